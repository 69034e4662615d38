#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-needs: trixie-root
#
# R1 of native/bird_pair.sh, run by tests/vm/run in the second guest (the
# native-TCP-AO kernel, "# vm-peer" of bird_pair.sh): Debian 13's BIRD 2.17
# signing with Linux's own TCP-AO, on pair0, the link to the main guest.
# It writes "ready" into $TCPAO_PAIR once BIRD runs, then carries out the
# main test's requests until it writes "done" (or the host "stop"): each
# request is a file req.N holding one line,
#	configure STEP   BIRD takes the configuration of rollover step STEP
#	                 (data/native/bird217-pair.sh) with "birdc configure"
#	birdc ARGS...    a birdc command
#	aokeys           BIRD's "dump ao keys": the keys it reads back from
#	                 each of its sockets (TCP_AO_GET_KEYS)
# answered by rep.N (the output), then rc.N (the exit status).
. "$(dirname "$0")/../../lib.sh"

PAIR=${TCPAO_PAIR:-}
[ -n "$PAIR" ] || bail "no TCPAO_PAIR: run by tests/vm/run for a '# vm-peer' scenario"
ROOT=${TCPAO_TRIXIE_ROOT:-}
[ -n "$ROOT" ] && [ -x "$ROOT/usr/sbin/bird" ] || bail "no Debian 13 root (TCPAO_TRIXIE_ROOT)"
[ -e /sys/class/net/pair0 ] || bail "no pair0: the link to the main guest is missing"
. "$TCPAO_SRC/tests/scenarios/data/native/bird217-pair.sh"
mkdir -p "$PAIR"

ns_create R1
ip link set pair0 netns R1 || bail "cannot move pair0 into R1"
ip -n R1 addr add 192.0.2.1/30 dev pair0
ip -n R1 addr add 2001:db8::1/64 dev pair0 nodad
ip -n R1 addr add 192.168.0.11/32 dev lo
ip -n R1 link set pair0 up

D=/tmp/tcpao-bird-R1
mkdir -p "$ROOT$D"
on_exit "cp '$ROOT$D/bird.log' '$RESULTS/bird-R1.log'"
birdc_() { chroot "$ROOT" /usr/sbin/birdc -s "$D/bird.ctl" "$@"; }
conf() {
	pair_conf R1 "$1" "$D/bird.log" >"$ROOT$D/bird.conf" &&
		cp "$ROOT$D/bird.conf" "$RESULTS/bird-R1.step$1.conf"
}

conf 1
check "R1: Linux's own TCP-AO in this kernel ($(uname -r); tests/tools/aopeer probe)" \
	"$TCPAO_SRC/build/tools/aopeer" probe
in_ns R1 chroot "$ROOT" /usr/sbin/bird -c "$D/bird.conf" -s "$D/bird.ctl" -P "$D/bird.pid" \
	2>"$RESULTS/bird-R1.stderr" || bail "BIRD 2.17 does not start"
on_exit "kill \$(cat '$ROOT$D/bird.pid')"
check "R1: BIRD 2.17 (Debian 13, chroot) starts" wait_for 30 birdc_ show status
diag "R1: $(chroot "$ROOT" /usr/sbin/bird --version 2>&1)"
echo ready >"$PAIR/ready.tmp" && mv "$PAIR/ready.tmp" "$PAIR/ready"

n=0 served=0 failed=0
while :; do
	n=$((n + 1))
	while [ ! -e "$PAIR/req.$n" ] && [ ! -e "$PAIR/done" ] && [ ! -e "$PAIR/stop" ]; do
		sleep 0.2
	done
	[ -e "$PAIR/req.$n" ] || break
	read -r cmd args <"$PAIR/req.$n"
	case $cmd in
	configure) conf "$args" && birdc_ configure ;;
	birdc)
		# shellcheck disable=SC2086 # birdc's words
		birdc_ $args ;;
	aokeys) rm -f "$ROOT$D/aokeys" && birdc_ dump ao keys "\"$D/aokeys\"" >/dev/null &&
		wait_for 10 test -s "$ROOT$D/aokeys" && cat "$ROOT$D/aokeys" ;;
	*) echo "unknown request: $cmd"; false ;;
	esac >"$PAIR/rep.$n" 2>&1
	rc=$?
	served=$((served + 1))
	[ $rc = 0 ] || failed=$((failed + 1))
	echo "$cmd $args: exit $rc" >>"$RESULTS/requests.log"
	echo $rc >"$PAIR/rc.tmp" && mv "$PAIR/rc.tmp" "$PAIR/rc.$n"
done
check "R1: the main test ended with done (not stopped by the host)" test -e "$PAIR/done"
check "R1: $served requests of the main test carried out ($failed failed)" test "$served" -gt 0 -a "$failed" = 0
check "R1: BIRD 2.17 ran to the end" birdc_ show status
done_testing
