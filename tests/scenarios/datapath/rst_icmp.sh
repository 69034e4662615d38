#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 900
#
# Resets and ICMP errors: a forged RST (bad MAC, or no TCP-AO) is dropped
# and the session lives on; a properly signed RST closes it; ACKs sent from
# TIME_WAIT are signed; an ICMP port unreachable (IPv4 and IPv6) does not
# kill a protected session, unless the peer has accept-icmps.
. "$(dirname "$0")/../../lib.sh"
. "$(dirname "$0")/../../lib-ao.sh"

SESSION=$TCPAO_SRC/tests/tools/session.py
INJECT=$TCPAO_SRC/tests/tools/inject.py
topo_two r1 r2 192.0.2.1/24 192.0.2.2/24 2001:db8:1::1/64 2001:db8:1::2/64
MAC1=$(ip -n r1 -br link show to-r2 | awk '{print $3}')
inj() { in_ns r2 python3 "$INJECT" to-r1 "$MAC1" "$@"; }

ao_key r1 kc 0 11 22 && ao_key r2 kc 0 22 11
ao r1 peer add 192.0.2.2 keychain kc && ao r2 peer add 192.0.2.1 keychain kc
ao r1 peer add 2001:db8:1::2 keychain kc && ao r2 peer add 2001:db8:1::1 keychain kc

alive_n() { sed -n 's/^alive //p' "$1" 2>/dev/null; }
# still_alive STATUS: the session makes progress over the next 2 s.
still_alive() {
	_before=$(alive_n "$1")
	sleep 2
	_after=$(alive_n "$1")
	[ -n "$_before" ] && [ -n "$_after" ] && [ "$_after" -gt "$_before" ]
}

pause() { touch "$RESULTS/$1.status.pause"; sleep 1.5; }
resume() { rm -f "$RESULTS/$1.status.pause"; }

# session NAME SERVER-ADDR PORT [--recverr]: R1 (client) talks to R2.
session() {
	st=$RESULTS/$1.status
	spawn in_ns r2 python3 "$SESSION" server "$2" "$3"
	sleep 1
	spawn in_ns r1 python3 "$SESSION" client "$2" "$3" "$st" ${4:-}
	wait_for 20 grep -q alive "$st"
}

# forged_only NAME: the capture verifier fails exactly the attacker's two
# RSTs (one with a bad MAC, one without TCP-AO) and verifies every other
# segment, R2's real RST included.
forged_only() {
	! cap_check_ao "$1" 11 22 || return 1
	_v=$RESULTS/$1.aoverify
	[ "$(grep -c '^FAIL frame' "$_v")" -eq 2 ] &&
		grep -q '^FAIL .* \[R\] seq [0-9]*: bad MAC' "$_v" &&
		grep -q '^FAIL .* \[R\] seq [0-9]*: no TCP-AO option' "$_v"
}

lport_of() {	# lport_of PORT: R1's local port of its session to PORT
	in_ns r1 ss -Htn state established "( dport = :$1 )" |
		awk '{print $3}' | sed 's/.*://' | head -n 1
}

for fam in 4 6; do
	if [ $fam = 4 ]; then A1=192.0.2.1 A2=192.0.2.2 code=3; else A1=2001:db8:1::1 A2=2001:db8:1::2 code=4; fi
	name=rst$fam
	cap_start r1 to-r2 $name "tcp port 1790"
	check "IPv$fam: session up" session $name $A2 1790
	lport=$(lport_of 1790)
	# Idle, so that sequence numbers stand still while the attacker
	# learns them from the capture.
	pause $name
	b0=$(ao_stat r1 bad_mac) r0=$(ao_stat r1 ao_required) i0=$(ao_stat r1 icmp_dropped)
	check "  forged: in-window RST with a bad MAC, the same without TCP-AO, ICMP port unreachable" \
		inj attack "$(cap_path $name)" $A1 "$lport" $A2 1790 22 11 $code
	resume $name
	check "  the session survives all three" still_alive "$RESULTS/$name.status"
	check "  R1 counted them: bad-mac, ao-required, icmp-dropped" \
		test "$(ao_stat r1 bad_mac)" -gt "$b0" -a "$(ao_stat r1 ao_required)" -gt "$r0" \
		-a "$(ao_stat r1 icmp_dropped)" -gt "$i0"

	# A real RST: R2 aborts, its kernel sends an RST that tcpao signs.
	touch "$RESULTS/$name.status.rst"
	wait_for 10 grep -q '^error' "$RESULTS/$name.status"
	check "  a signed RST from R2 closes it: $(cat "$RESULTS/$name.status")" \
		grep -Eq 'error (ECONNRESET|EPIPE)' "$RESULTS/$name.status"
	cap_stop $name
	check "  the RST carried TCP-AO" sh -c \
		"tcpdump -nr '$RESULTS/$name.pcap' -v 2>/dev/null | grep 'Flags \[R' | grep -q tcp-ao"
	check "  every MAC verifies, the real RST's too, but the two forged RSTs'" forged_only $name
done

# accept-icmps: the same ICMP error now reaches TCP.  Linux reports it on
# an established socket only with IP_RECVERR, so the client asks for it.
ao r1 peer del 192.0.2.2 && ao r1 peer add 192.0.2.2 keychain kc accept-icmps
cap_start r1 to-r2 icmpok "tcp port 1791"
check "accept-icmps: session up (with IP_RECVERR)" session icmpok 192.0.2.2 1791 --recverr
sleep 1
lport=$(lport_of 1791)
pause icmpok
check "  ICMP port unreachable injected" inj icmp-at "$(cap_path icmpok)" 192.0.2.1 "$lport" 192.0.2.2 1791 3
resume icmpok
wait_for 10 grep -q '^error' "$RESULTS/icmpok.status"
check "  it kills the session: $(cat "$RESULTS/icmpok.status")" grep -q 'error ECONNREFUSED' "$RESULTS/icmpok.status"
cap_stop icmpok
check "  every segment signed, every MAC verifies" cap_check_ao icmpok 11 22

# TIME_WAIT: R1 closes first and sits in TIME_WAIT; replaying R2's FIN
# (valid MAC, old segment) makes R1's TIME_WAIT socket answer with an ACK,
# which must be signed too.
cap_start r1 to-r2 tw "tcp port 1792"
check "TIME_WAIT: session up" session tw 192.0.2.2 1792
touch "$RESULTS/tw.status.stop"
wait_for 10 grep -q '^closed' "$RESULTS/tw.status"
sleep 1
check "  R1's end is in TIME_WAIT" sh -c "ip netns exec r1 ss -Htn state time-wait | grep -q ':1792'"
n=$(tcpdump -nr "$(cap_path tw)" 2>/dev/null | wc -l)
check "  R2's FIN replayed" inj replay "$(cap_path tw)" 192.0.2.2 1792 F
sleep 1
cap_stop tw
m=$(tcpdump -nr "$(cap_path tw)" 2>/dev/null | wc -l)
check "  R1 answered from TIME_WAIT ($n -> $m segments)" [ "$m" -ge $((n + 2)) ]
check "  every segment, the TIME_WAIT ACK included, carries TCP-AO and verifies" cap_check_ao tw 11 22
done_testing
