#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 900
#
# Unload under load: `rmmod tcpao` while protected connections
# are live, 50 times in a row.  Before each unload: tcpao loaded and
# configured on both ends, a new protected connection (every fifth one
# through a socket binding), a bulk transfer and idle sessions running,
# a monitor listening for events.  The module must either refuse with a
# clear reason or unload cleanly (module gone, "unloaded" in the log), and
# load again.  Connections opened before an unload run on without TCP-AO
# afterwards (both ends lost it together); none may break.  The harness
# fails the run on any splat or leak.
#
# HARDEN_RMMOD (default 50): unloads.
. "$(dirname "$0")/../../lib.sh"
. "$TCPAO_SRC/tests/tools/harden-lib.sh"

ROUNDS=${HARDEN_RMMOD:-50}

hd_topo
for ns in r1 r2; do
	[ $ns = r1 ] && ids="send-id 10 recv-id 20" || ids="send-id 20 recv-id 10"
	peer=$([ $ns = r1 ] && echo 2 || echo 1)
	(umask 077 && cat >"$RESULTS/$ns.batch" <<EOF
keychain add kc key 0 secret "tcpao rmmod test" $ids
keychain add kc key 1 secret "next key" send-id 11 recv-id 21 start-time 2090-01-01.00:00
peer add 192.0.2.$peer keychain kc
peer add 2001:db8::$peer keychain kc
EOF
	)
done
configure() {
	"$AOCTL" -n r1 -b "$RESULTS/r1.batch" && "$AOCTL" -n r2 -b "$RESULTS/r2.batch"
}
loaded() {
	grep -q '^tcpao ' /proc/modules
}
check "configured" configure
hd_sessions_start b4,r2,r1,192.0.2.2,5001,bulk,rate=300000,hold=60 \
	s4,r2,r1,192.0.2.2,179,interval=1 s6,r2,r1,2001:db8::2,179,interval=1
hd_sessions_alive "a bulk transfer and idle sessions are up"
"$AOCTL" -n r1 monitor >"$RESULTS/monitor.out" 2>&1 &
on_exit "kill $!"

unloaded=0 refused=0 reloaded=0 protected=0 bad=0
start=$(date +%s)
for i in $(seq 1 "$ROUNDS"); do
	if ! loaded; then
		if insmod "$TCPAO_KO" 2>"$RESULTS/insmod.err"; then
			reloaded=$((reloaded + 1))
		else
			bad=$((bad + 1))
			diag "round $i: insmod failed: $(cat "$RESULTS/insmod.err")"
			continue
		fi
		configure >"$RESULTS/configure.out" 2>&1 ||
			diag "round $i: configuration failed: $(cat "$RESULTS/configure.out")"
	fi
	opt=
	[ $((i % 5)) -ne 0 ] || opt=,bind
	if hd_sessions_add "p$i,r2,r1,192.0.2.2,$((2000 + i)),interval=2$opt" 60; then
		read -r _ _ _ _ _ _ fl _ <"$RESULTS/p$i.status"
		[ $((0x${fl:-0} & 0x20001)) != $((0x20000)) ] ||
			protected=$((protected + 1))
	else
		diag "round $i: new session: $(cat "$RESULTS/p$i.fail" 2>/dev/null)"
	fi
	dmesg_lines=$(dmesg | wc -l)
	if rmmod tcpao 2>"$RESULTS/rmmod.err"; then
		if loaded || ! dmesg | tail -n +"$((dmesg_lines + 1))" |
			grep -q 'tcpao: unloaded'; then
			bad=$((bad + 1))
			diag "round $i: rmmod returned 0 but the module is not cleanly gone"
		else
			unloaded=$((unloaded + 1))
		fi
	else
		refused=$((refused + 1))
		diag "round $i: rmmod refused: $(cat "$RESULTS/rmmod.err")"
		grep -Eq 'in use|busy' "$RESULTS/rmmod.err" ||
			bad=$((bad + 1))
	fi
done
diag "$ROUNDS rounds in $(($(date +%s) - start)) s"
loaded || insmod "$TCPAO_KO"
check_eq "no unload went wrong (refusals without a clear reason, insmod failures)" 0 $bad
hd_full "unloads with live protected connections (or clear refusals)" \
	$((unloaded + refused)) 50 "$ROUNDS"
check_eq "every round had a new live protected connection" "$ROUNDS" $protected
check "tcpao loaded again at the end" loaded
check "and configured again" configure

# Every connection survived every unload.
hd_sessions_alive "no session broke across the unloads"
hd_sessions_stop

done_testing
