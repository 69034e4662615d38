#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 900
#
# Hostile segments, part 2 (part 1: hardening/segments.sh):
# malformed and forged segments, crafted with scapy, at a protected
# listener (SYNs without TCP-AO, with TCP-AO of length 0, with TCP-MD5, with
# bad MACs and unknown KeyIDs, with random options; segments with TCP-AO,
# well-formed or not, for no connection; IPv4 and IPv6) and TCP-AO on an
# unprotected connection, while BGP-like sessions run beside them.  Every
# segment must be dropped and counted exactly as tcpao's rules say, none
# may create connection state or touch the sessions, which stay up with
# every segment one end signed verified by the other.
#
# HARDEN_LISTENER (default 35000): how many hostile segments here.
. "$(dirname "$0")/../../lib.sh"
. "$TCPAO_SRC/tests/tools/harden-lib.sh"

TOTAL=${HARDEN_LISTENER:-35000}

hd_topo
check "keychains and peer policies (port 179, IPv4 and IPv6)" hd_protect 179
sysctl -qw net.core.netdev_max_backlog=10000

hd_sessions_start s4,r2,r1,192.0.2.2,179,recverr \
	s6,r2,r1,2001:db8::2,179,recverr u4,r2,r1,192.0.2.2,8080,recverr
hd_sessions_alive "BGP-like sessions up: IPv4 and IPv6 protected, IPv4 unprotected"

start=$(date +%s)
hd_relay < <(in_ns r1 taskset -c 0 python3 "$HD_TOOLS/malformed.py" --iface to-r2 \
	--smac $HD_MAC1 --dmac $HD_MAC2 --victim r2 --v4 192.0.2.1,192.0.2.2 \
	--v6 2001:db8::1,2001:db8::2 --port 179 --recv-id 10 --rnext 20 \
	--sess4 "$RESULTS/s4.status" --sess6 "$RESULTS/s6.status" \
	--unprot "$RESULTS/u4.status" --total "$TOTAL" --part listener \
	--seed 5926 2>"$RESULTS/malformed.err" | tee "$RESULTS/malformed.out")
sent=$(sed -n 's/^TOTAL //p' "$RESULTS/malformed.out")
diag "malformed.py: $(($(date +%s) - start)) s"
[ -n "$sent" ] || diag "$(tail -n 5 "$RESULTS/malformed.err")"
hd_full "hostile segments at the listener and the unprotected connection, every one accounted for" \
	"$sent" 35000 "$TOTAL"

sleep 2
read -r _ _ lp4 _ rp4 <"$RESULTS/s4.status"
read -r _ _ lp6 _ rp6 <"$RESULTS/s6.status"
hd_sessions_alive "the sessions stayed up during the attack"
hd_sessions_stop
sleep 1
hd_fetch r1 r2
for s in "4 $lp4 $rp4" "6 $lp6 $rp6"; do
	set -- $s
	check_eq "IPv$1 session: every segment r1 signed, r2 verified" \
		"$(hd_conn r1 "$2" "$3" signed)" "$(hd_conn r2 "$3" "$2" good)"
	check_eq "IPv$1 session: every segment r2 signed, r1 verified" \
		"$(hd_conn r2 "$3" "$2" signed)" "$(hd_conn r1 "$2" "$3" good)"
done
check_eq "no connection state from hostile SYNs (r2 created 2)" 2 \
	"$(hd_stat r2 connections_created)"
for c in bad_mac ao_required malformed no_state md5_conflict; do
	check_eq "r1 (not attacked) counted no $c" 0 "$(hd_stat r1 $c)"
done
hd_unfetch

done_testing
