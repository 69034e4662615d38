#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 900
#
# Hostile segments, part 1: malformed and forged TCP segments,
# crafted with scapy (tests/tools/malformed.py), at protected connections
# (in their windows, IPv4 and IPv6) that BGP-like sessions use meanwhile:
#   TCP-AO with length 0, 1, 3 and beyond the header; two TCP-AO options;
#   TCP-AO with TCP-MD5; TCP-MD5 alone; data offsets below 5, beyond the
#   segment and into the payload; wrong MAC lengths; bad MACs; unknown
#   KeyIDs; no TCP-AO; random option bytes (with and without a TCP-AO
#   option); forged RSTs; SYNs on the connection; IPv4 options; IPv4
#   fragments; IPv6 hop-by-hop, atomic and first fragments; bad TCP
#   checksums (those are TCP's: not counted by tcpao).
# Every segment must be dropped and counted exactly as tcpao's rules say
# (per counter and per connection), and the sessions must see none of it:
# they stay up, and every segment one end signed the other verified.
# Part 2, at a protected listener and an unprotected connection, is
# hardening/listener.sh; together they make 100,000.
#
# HARDEN_SEGMENTS (default 65000): how many hostile segments here.
. "$(dirname "$0")/../../lib.sh"
. "$TCPAO_SRC/tests/tools/harden-lib.sh"

TOTAL=${HARDEN_SEGMENTS:-65000}

hd_topo
check "keychains and peer policies (port 179, IPv4 and IPv6)" hd_protect 179
# Forged segments are dropped before TCP: whatever TCP would answer must
# not be needed.  A backlog big enough for the whole burst keeps it from
# overflowing when the victim verifies more slowly than scapy sends (the
# debug kernel, diagnosing bad MACs): a frame dropped there never reaches
# tcpao, and malformed.py counts once the victim's counters stand still.
sysctl -qw net.core.netdev_max_backlog=100000

hd_sessions_start s4,r2,r1,192.0.2.2,179,recverr \
	s6,r2,r1,2001:db8::2,179,recverr
hd_sessions_alive "BGP-like sessions up (IPv4, IPv6)"
sleep 1

# One CPU sends, so one CPU's backlog receives, in order: the IPv4
# fragments of a segment share their IP ID with every other fragmented
# segment (template frames), and two CPUs working through two backlogs at
# once could mix fragments of different segments in one reassembly.
start=$(date +%s)
hd_relay < <(in_ns r1 taskset -c 0 python3 "$HD_TOOLS/malformed.py" --iface to-r2 --smac $HD_MAC1 \
	--dmac $HD_MAC2 --victim r2 --v4 192.0.2.1,192.0.2.2 \
	--v6 2001:db8::1,2001:db8::2 --port 179 --recv-id 10 --rnext 20 \
	--sess4 "$RESULTS/s4.status" --sess6 "$RESULTS/s6.status" \
	--total "$TOTAL" --part connection \
	2>"$RESULTS/malformed.err" | tee "$RESULTS/malformed.out")
sent=$(sed -n 's/^TOTAL //p' "$RESULTS/malformed.out")
diag "malformed.py: $(($(date +%s) - start)) s"
[ -n "$sent" ] || diag "$(tail -n 5 "$RESULTS/malformed.err")"
hd_full "hostile segments at connections, every one accounted for" "$sent" 65000 "$TOTAL"

# Let the sessions run a little longer after the attack.
sleep 2
read -r _ _ lp4 _ rp4 <"$RESULTS/s4.status"
read -r _ _ lp6 _ rp6 <"$RESULTS/s6.status"
hd_sessions_alive "the sessions stayed up during the attack"
hd_sessions_stop
sleep 1
hd_fetch r1 r2

# Zero bad MACs on the sessions: every segment one end signed, the other
# verified (retransmissions are signed and verified again), and the client
# end, which no forged segment was aimed at, dropped nothing.
for s in "4 $lp4 $rp4" "6 $lp6 $rp6"; do
	set -- $s
	s1=$(hd_conn r1 "$2" "$3" signed) g2=$(hd_conn r2 "$3" "$2" good)
	s2=$(hd_conn r2 "$3" "$2" signed) g1=$(hd_conn r1 "$2" "$3" good)
	b1=$(hd_conn r1 "$2" "$3" bad)
	check_eq "IPv$1 session: every segment r1 signed, r2 verified ($s1)" "$s1" "$g2"
	check_eq "IPv$1 session: every segment r2 signed, r1 verified ($s2)" "$s2" "$g1"
	check_eq "IPv$1 session: r1 dropped none of the session's segments" 0 "$b1"
done
for c in bad_mac key_not_found ao_required malformed no_state md5_conflict icmp_dropped; do
	check_eq "r1 (not attacked) counted no $c" 0 "$(hd_stat r1 $c)"
done
check_eq "no connection state from hostile segments (r2 created 2)" 2 \
	"$(hd_stat r2 connections_created)"
hd_unfetch
"$AOCTL" -n r2 stats >"$RESULTS/stats-r2.txt" 2>&1

done_testing
