#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 1800
#
# Linux's own TCP-AO selftests (tools/testing/selftests/net/tcp_ao of
# Debian 13's linux-source-6.12, built on the host by
# tests/vm/build-selftests) as a peer's test suite:
#
#   native    against Linux's TCP-AO (CONFIG_TCP_AO=y): the baseline
#   stock612  Debian's 6.12 (no TCP-AO) with tcpao loaded, every binary
#             run under LD_PRELOAD=libtcpao-compat.so, unchanged: their
#             IPPROTO_TCP TCP_AO_* calls reach tcpao (src/linuxapi.c)
#
# Each binary (IPv4 and IPv6 builds; bench-lookups, a benchmark, is left
# out) runs from a writable directory of its own (the tests mount tracefs
# in their current directory), with its ksft output kept in
# $RESULTS/<test>.tap.  Every case goes to $RESULTS/selftests.tsv
# (test, case, result: pass, fail, skip, xfail, error; a binary that bails
# out gives a case "(bail out) MESSAGE", one that times out "(timeout)";
# then the key the comparison matches cases by, see ksft_cases)
# and the counts per test to $RESULTS/selftests-counts.tsv;
# tests/vm/selftests-compare puts two kernels' files side by side.
#
# Asserted:
#   native    connect, connect-deny, rst, icmps-discard, icmps-accept,
#             seq-ext, restore, self-connect, setsockopt-closed and
#             unsigned-md5 (the known-good set), IPv4 and IPv6: every case
#             passes (skips allowed) and the binary exits 0
#   stock612  the same for connect, connect-deny, rst, icmps-discard,
#             icmps-accept and seq-ext; key-management: every case that
#             involves only the algorithms and MAC length tcpao implements
#             passes (see Documentation/linuxapi.rst for the rest)
# Everything else is reported (TAP diagnostics and the TSV files), not
# asserted: where tcpao differs, Documentation/linuxapi.rst says why.
# key-management picks hashes at random, hmac(sha512) and hmac(sha3-512)
# among them: tests/vm/native.config builds them in (CONFIG_CRYPTO_SHA512,
# CONFIG_CRYPTO_SHA3) so that it runs to its end on the native kernel.
#
# TCPAO_SELFTESTS=DIR: the binaries (default: the newest build in
# ${TCPAO_CACHE:-/root/.cache/tcpao}/selftests-tcp_ao-*/bin).
# SELFTESTS=LIST: only these tests (names without _ipv4/_ipv6, separated
# by commas).
. "$(dirname "$0")/../../lib.sh"

SHIM=$TCPAO_SRC/tools/libtcpao-compat/libtcpao-compat.so
if [ -z "${TCPAO_SELFTESTS:-}" ]; then
	for d in $(ls -dt "${TCPAO_CACHE:-/root/.cache/tcpao}"/selftests-tcp_ao-*/ 2>/dev/null); do
		[ -e "$d/.tcpao-built" ] && { TCPAO_SELFTESTS=${d}bin; break; }
	done
fi
[ -n "${TCPAO_SELFTESTS:-}" ] && [ -x "$TCPAO_SELFTESTS/connect_ipv4" ] ||
	skip_all "the tcp_ao selftests are not built (run tests/vm/build-selftests on the host)"

ALL="connect connect-deny rst icmps-discard icmps-accept seq-ext restore
self-connect setsockopt-closed unsigned-md5 key-management
connect-deny-tcpao key-management-tcpao"
KNOWN_NATIVE="connect connect-deny rst icmps-discard icmps-accept seq-ext restore
self-connect setsockopt-closed unsigned-md5 connect-deny-tcpao key-management-tcpao"
KNOWN_TCPAO="connect connect-deny-tcpao rst icmps-discard icmps-accept seq-ext
key-management-tcpao"
# Where tcpao answers, cases of the asserted tests that may fail because
# tcpao differs from Linux by design (Documentation/linuxapi.rst, "Linux's
# TCP-AO selftests"), as an awk regular expression over the case: the
# tcp_ao_* trace events, which only Linux's TCP-AO fires; the namespace's
# TCPAOKeyNotFound for a SYN with TCP-AO to a listener without keys; a
# connect() that Linux refuses because no key covers the server
# (connect-deny's "Client: Wrong addr", whose server then sees the SYN).
DIFFS="^Some trace events were expected, but didn.t occur"
DIFFS+="|TCPAOKeyNotFound counter did not increase"
DIFFS+="|^Client: Wrong addr: (accepted|connected)|^ready to accept"
TESTS=${SELFTESTS:-$ALL}
TESTS=${TESTS//,/ }

case $KERNEL_FLAVOR in
native) preload= ;;
*)
	[ -e "$SHIM" ] || bail "$SHIM is missing (make -C tools)"
	[ -e /sys/module/tcpao ] || bail "tcpao is not loaded"
	preload=$SHIM
	known=$KNOWN_TCPAO
	;;
esac
[ "$KERNEL_FLAVOR" = native ] && known=$KNOWN_NATIVE
diag "kernel $(uname -r) ($KERNEL_FLAVOR), binaries $TCPAO_SELFTESTS${preload:+, LD_PRELOAD=$preload}"

# ksft_cases FILE: "result<TAB>case<TAB>key" per ksft line.  The key is
# the case with its numbers replaced by N (the descriptions carry counter
# values, which differ from run to run and kernel to kernel) and no error
# text after "failed with -N" (icmps-accept's ICMP is random), " (2)",
# " (3)"... after a key seen before: two kernels' rows match by key
# (tests/vm/selftests-compare keys them the same way).
ksft_cases() {
	awk '
	{ sub(/\r$/, "") }
	/^Bail out!/ { d = $0; sub(/^Bail out! */, "", d); print "error\t(bail out) " d "\t(bail out)"; next }
	/^(not )?ok [0-9]+/ {
		r = /^ok/ ? "pass" : "fail"
		d = $0; sub(/^(not )?ok [0-9]+ */, "", d)
		if (d ~ /^# *SKIP/) { r = "skip"; sub(/^# *SKIP */, "", d) }
		else if (d ~ /^# *XFAIL/) { r = "xfail"; sub(/^# *XFAIL */, "", d) }
		else if (d ~ /^# *error/) { r = "error"; sub(/^# *error */, "", d) }
		sub(/[ \t]+$/, "", d)
		k = d; gsub(/[0-9]+/, "N", k); sub(/failed with -N: .*/, "failed with -N", k)
		if (++seen[k] > 1) k = k " (" seen[k] ")"
		print r "\t" d "\t" k
	}' "$1"
}

printf 'test\tcase\tresult\tkey\n' >"$RESULTS/selftests.tsv"
printf 'test\tpass\tfail\tskip\txfail\terror\texit\tseconds\n' >"$RESULTS/selftests-counts.tsv"
for t in $TESTS; do
	for af in ipv4 ipv6; do
		name=${t}_$af
		bin=$TCPAO_SELFTESTS/$name
		[ -x "$bin" ] || { not_ok "$name: $bin is missing"; continue; }
		work=$(mktemp -d /tmp/selftest.XXXXXX)
		start=$(date +%s)
		rc=0
		(cd "$work" && exec timeout -k 10 600 \
			env ${preload:+LD_PRELOAD=$preload} "$bin") \
			>"$RESULTS/$name.tap" 2>"$RESULTS/$name.err" </dev/null || rc=$?
		secs=$(( $(date +%s) - start ))
		# A test killed while tracefs was mounted leaves it behind.
		umount "$work"/* 2>/dev/null || true
		rm -rf "$work"
		ksft_cases "$RESULTS/$name.tap" >"$RESULTS/$name.cases"
		[ "$rc" = 124 ] || [ "$rc" = 137 ] && printf 'error\t(timeout)\t(timeout)\n' >>"$RESULTS/$name.cases"
		awk -F'\t' -v t="$name" '{ print t "\t" $2 "\t" $1 "\t" $3 }' "$RESULTS/$name.cases" >>"$RESULTS/selftests.tsv"
		read -r p f s x e < <(awk -F'\t' '{ n[$1]++ }
			END { print n["pass"]+0, n["fail"]+0, n["skip"]+0, n["xfail"]+0, n["error"]+0 }' \
			"$RESULTS/$name.cases")
		printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$p" "$f" "$s" "$x" "$e" "$rc" "$secs" \
			>>"$RESULTS/selftests-counts.tsv"
		summary="$p pass, $f fail, $s skip, $x xfail, $e error, exit $rc, ${secs}s"
		# A binary that stopped early ran fewer cases than it planned.
		plan=$(sed -n 's/^1\.\.\([0-9][0-9]*\).*/\1/p' "$RESULTS/$name.tap" | head -n 1)
		ran=$(grep -cE '^(not )?ok [0-9]' "$RESULTS/$name.tap" || true)
		[ "${plan:-0}" -le "$ran" ] || summary+=", ran $ran of $plan"
		# Failures other than the documented differences.
		d=0
		[ -z "$preload" ] ||
			d=$(awk -F'\t' -v re="$DIFFS" '$1 != "pass" && $1 != "skip" &&
				$1 != "xfail" && $2 ~ re { n++ } END { print n + 0 }' \
				"$RESULTS/$name.cases")
		case " $(echo $known) " in
		*" $t "*)
			if [ "$((f + e))" = "$d" ] && [ "$p" -gt 0 ] &&
			   [ "${plan:-0}" -le "$ran" ] &&
			   { [ "$rc" = 0 ] || [ "$d" -gt 0 ]; }; then
				note=
				[ "$d" = 0 ] || note=" ($d of them documented differences)"
				ok "$name: $summary$note"
			else
				not_ok "$name: $summary"
				grep -E '^not ok|^Bail' "$RESULTS/$name.tap" | head -n 10 | sed 's/^/#   /'
			fi ;;
		*)
			diag "$name: $summary (not asserted)" ;;
		esac
	done
done

done_testing
