#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The diagnosis of failed segments against a peer we did not write: Linux's own
# TCP-AO (tests/tools/aopeer in namespace "lx", native kernel) connects to
# a plain TCP listener that tcpao protects in namespace "tc".  Linux covers
# TCP options in the MAC unless told otherwise; tcpao's key has its
# default, "tcp-ao-option disabled" (Junos' default): every SYN fails.
# tcpao must name that cause ("peer covers TCP options: set tcp-ao-option
# enabled") in "aoctl monitor" and count it; with the key fixed as the
# message says, Linux's connection comes up and the exchange completes.
. "$(dirname "$0")/../../lib.sh"
. "$(dirname "$0")/../../lib-ao.sh"

AOPEER=$TCPAO_SRC/build/tools/aopeer
[ -x "$AOPEER" ] || bail "$AOPEER missing (tests/vm/run builds it: make -C tests/tools)"
"$AOPEER" probe 2>/dev/null ||
	skip_all "this kernel has no TCP-AO of its own (CONFIG_TCP_AO): run it on --kernel native"

TC4=192.0.2.1 LX4=192.0.2.2 PORT=5001 SECRET=diag-native-secret
topo_two tc lx $TC4/24 $LX4/24

setup() {
	ao tc keychain add kc &&
		ao_key tc kc 0 2 1 hmac-sha-1-96 disabled "$SECRET" &&
		ao tc peer add $LX4 keychain kc
}
check "tcpao in tc: key 0 (send-id 2, recv-id 1, options excluded), policy for lx" setup
spawn "$AOCTL" -n tc monitor >"$RESULTS/monitor-tc.log" 2>&1

# The listener (plain TCP: tcpao signs for it) takes the one connection
# that comes up.
in_ns tc "$AOPEER" listen $TC4 $PORT --send 1000 --quiet-ms 0 --timeout 60 \
	--out "$RESULTS/tc.json" 2>"$RESULTS/tc.err" &
listener=$!
on_exit "kill $listener"
check "listener in tc" wait_for 10 grep -q listening "$RESULTS/tc.err"

linux() { # TIMEOUT: Linux connects with SendID 1, RecvID 2, options covered
	in_ns lx "$AOPEER" connect $TC4 $PORT --send 1000 --quiet-ms 0 \
		--key "send=1,recv=2,secret=$SECRET" --timeout "$1" \
		--out "$RESULTS/lx-$1.json" 2>"$RESULTS/lx-$1.err"
}

before=$(ao_stat tc diag_options_covered)
check "Linux (options covered) cannot connect to tcpao (options excluded)" fails linux 4
d=$(($(ao_stat tc diag_options_covered) - before))
if [ "$d" -gt 0 ]; then
	ok "tc counts diag_options_covered (+$d)"
else
	not_ok "tc counts diag_options_covered"
fi
check_eq "and counts the SYNs as bad-mac, not something else" 0 "$(ao_stat tc key_not_found)"
check_grep "aoctl monitor names the cause and the fix" \
	"auth-fail .*$LX4.* cause bad-mac keyid 1 diagnosis options-covered \(peer covers TCP options: set tcp-ao-option enabled\)" \
	"$RESULTS/monitor-tc.log"
"$AOCTL" -n tc stats | sed 's/^/#   /'
check "the fix the message names: tcp-ao-option enabled" \
	ao tc keychain set kc key 0 tcp-ao-option enabled
check "then Linux connects and the exchange completes" linux 20
check "and tcpao's listener side completes it too" wait "$listener"

done_testing
