# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# The netlink scenarios' helpers (harden_netlink*.sh), after lib.sh and
# harden-lib.sh, with FUZZ set: builds tests/tools/nlfuzz.c into $FUZZ.
#
#	run_fuzz DESC CMD...   run nlfuzz (CMD), one TAP line, add the
#	                       messages it sent to $total; $_n names its log
#	snap                   namespace fz's configuration as aoctl shows
#	                       it, without what the clock or the collector
#	                       changes

check "nlfuzz builds" cc -O2 -Wall -Werror -I"$TCPAO_SRC/include/uapi" \
	-o "$FUZZ" "$TCPAO_SRC/tests/tools/nlfuzz.c"
chmod 755 "$FUZZ"
total=0

run_fuzz() {
	_desc=$1
	shift
	_start=$(date +%s)
	"$@" >"$RESULTS/nlfuzz-$_n.out" 2>&1
	_rc=$?
	_sum=$(grep '^nlfuzz: [0-9]* messages' "$RESULTS/nlfuzz-$_n.out")
	diag "$_desc: $(($(date +%s) - _start)) s"
	grep '^nlfuzz: ' "$RESULTS/nlfuzz-$_n.out" | sed 's/^/# /'
	if [ $_rc -eq 0 ] && [ -n "$_sum" ]; then
		ok "$_desc: no failure"
		_c=${_sum#nlfuzz: }
		total=$((total + ${_c%% *}))
	else
		not_ok "$_desc" "exit $_rc; $(grep -m 5 -E '^FAIL' "$RESULTS/nlfuzz-$_n.out")
$(tail -n 3 "$RESULTS/nlfuzz-$_n.out")"
	fi
}

snap() {
	{
		"$AOCTL" -n fz -j keychain show detail
		"$AOCTL" -n fz -j peer show
		"$AOCTL" -n fz -j limits show
	} | python3 -c '
import json, sys
def strip(o):
    if isinstance(o, dict):
        return {k: strip(v) for k, v in o.items()
                if k not in ("transition", "state", "connections",
                             "bindings") and
                not k.startswith(("active", "next"))}
    if isinstance(o, list):
        return [strip(v) for v in o]
    return o
for line in sys.stdin.read().split("\n"):
    if line.strip():
        print(json.dumps(strip(json.loads(line)), sort_keys=True))'
}
