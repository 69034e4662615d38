#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Guest half of tests/crypto/broken-selftest.sh (run by tests/vm/run with
# --no-load): the TCPAO_SELFTEST_BREAK=1 build must fail to load, saying
# which vector failed; the normal build must load and pass its self-test.
# Prints TAP.

broken=$TCPAO_SRC/build/broken-selftest/$(uname -r)/tcpao.ko
n=0
bad=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
nok() { n=$((n + 1)); bad=1; echo "not ok $n - $*"; }
check() { desc=$1; shift; if "$@"; then ok "$desc"; else nok "$desc"; fi; }
# shellcheck disable=SC2317 # called through check()
has() { printf '%s\n' "$log" | grep -q "$1"; }

echo "1..6"
grep -q '^tcpao ' /proc/modules && rmmod tcpao
# insmod does not load what tcpao.ko depends on (nf_defrag_ipv6).
for d in $(modinfo -F depends "$TCPAO_KO" | tr , ' '); do
	modprobe -q "$d"
done

if [ ! -e "$broken" ]; then
	nok "broken build $broken exists (run tests/crypto/broken-selftest.sh)"
	exit 1
fi
mark=$(dmesg | wc -l)
if insmod "$broken" 2>"$RESULTS/insmod-broken.err"; then
	nok "insmod of the TCPAO_SELFTEST_BREAK build fails"
	rmmod tcpao
else
	ok "insmod of the TCPAO_SELFTEST_BREAK build fails ($(cat "$RESULTS/insmod-broken.err"))"
fi
check "and the module is not loaded" sh -c '! grep -q "^tcpao " /proc/modules'
log=$(dmesg | tail -n +"$((mark + 1))")
echo "$log" | grep 'tcpao' | sed 's/^/# /'
check "the kernel log names the failed vector" \
	has 'tcpao: self-test FAILED: RFC 9235 vector 5.1.3 .*MAC mismatch'

mark=$(dmesg | wc -l)
check "insmod of the normal build succeeds" insmod "$TCPAO_KO"
log=$(dmesg | tail -n +"$((mark + 1))")
echo "$log" | grep 'tcpao' | sed 's/^/# /'
check "its self-test passed" has 'tcpao: self-test passed ([0-9]* vectors)'
check "rmmod tcpao" rmmod tcpao
exit $bad
