#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 900
#
# Forged RSTs and ICMP errors: RSTs with the exact sequence
# number the victim expects (and RST+ACK, and elsewhere in the window),
# without TCP-AO or with a bad MAC, and ICMP port/protocol unreachable
# (IPv4) and administratively prohibited/port unreachable (IPv6) quoting
# the victim's next sequence number, at protected BGP-like sessions whose
# ends ask for ICMP errors (IP_RECVERR), over IPv4 and IPv6.  Each must be
# dropped and counted (ao-required, bad-mac, icmp-dropped), and the
# sessions must keep working afterwards.  ICMP fragmentation needed is a
# hard error too (RFC 5925 7.8): dropped and counted; ICMPv6 packet too big
# must pass (path MTU discovery).
#
# Controls: the same forgeries at unprotected sessions reset them (RST:
# ECONNRESET) or break them (ICMP: ECONNREFUSED, ENOPROTOOPT or EACCES),
# which shows the forgeries were good enough to hurt.
#
# HARDEN_RESETS (default 2000): forgeries of each kind per session.
. "$(dirname "$0")/../../lib.sh"
. "$TCPAO_SRC/tests/tools/harden-lib.sh"

COUNT=${HARDEN_RESETS:-2000}

hd_topo
check "keychains and peer policies (port 179, IPv4 and IPv6)" hd_protect 179
hd_sessions_start s4,r2,r1,192.0.2.2,179,recverr \
	s6,r2,r1,2001:db8::2,179,recverr \
	c4,r2,r1,192.0.2.2,8081,recverr c6,r2,r1,2001:db8::2,8082,recverr \
	i4,r2,r1,192.0.2.2,8083,recverr i6,r2,r1,2001:db8::2,8084,recverr
hd_sessions_alive "sessions up: protected s4 s6, unprotected controls c4 c6 i4 i6"

hd_relay < <(in_ns r1 python3 "$HD_TOOLS/forge.py" --iface to-r2 \
	--smac $HD_MAC1 --dmac $HD_MAC2 --victim r2 --recv-id 10 --rnext 20 \
	--dir "$RESULTS" --count "$COUNT" --prot s4,s6 --ctl-rst c4,c6 \
	--ctl-icmp i4,i6 2>"$RESULTS/forge.err" | tee "$RESULTS/forge.out")
[ -s "$RESULTS/forge.out" ] || diag "$(tail -n 5 "$RESULTS/forge.err")"

# After the attacks, the protected sessions still carry messages.
sleep 3
hd_sessions_stop c4=ECONNRESET c6=ECONNRESET \
	'i4=ECONNREFUSED|ENOPROTOOPT|EACCES' 'i6=ECONNREFUSED|ENOPROTOOPT|EACCES'
hd_fetch r1
for c in bad_mac ao_required icmp_dropped; do
	check_eq "r1 (not attacked) counted no $c" 0 "$(hd_stat r1 $c)"
done
hd_unfetch
"$AOCTL" -n r2 stats >"$RESULTS/stats-r2.txt" 2>&1

done_testing
