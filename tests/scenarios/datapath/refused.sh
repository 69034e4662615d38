#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 300
#
# A connection refused (no listener) while the peer's SYN is retransmitted:
# R1 connects to a port of R2 where nothing listens, and R2's replies are
# delayed 2.5 s (netem), so R1's SYN goes again (after 1 s) before R2's
# first RST arrives.  R2 refuses each copy: every RST leaves signed, with
# ISN 0 for R2 and the SYN's for R1 (RFC 5925 5.2, as the verifier and
# Linux's tcp_ao.c derive it), the later ones although R2's entry closed
# with the first; and R1 verifies the later ones as the first, although
# its entry closed with the first.  Neither end counts a failure: a BGP
# speaker whose peer is down (daemons/restart.sh) sends exactly this.
# Judged by tests/tools/aoverify.py on a capture of both directions.
. "$(dirname "$0")/../../lib.sh"
. "$(dirname "$0")/../../lib-ao.sh"
require tc tcpdump python3

topo_two r1 r2 192.0.2.1/24 192.0.2.2/24 2001:db8:1::1/64 2001:db8:1::2/64
ao_key r1 kc 0 11 22 && ao_key r2 kc 0 22 11
ao r1 peer add 192.0.2.2 keychain kc && ao r2 peer add 192.0.2.1 keychain kc
ao r1 peer add 2001:db8:1::2 keychain kc && ao r2 peer add 2001:db8:1::1 keychain kc
# Neighbours fixed first: an ARP or ND reply delayed too would hold the
# first SYN back and shift it against its retransmission timer.
MAC1=$(ip -n r1 -br link show to-r2 | awk '{print $3}')
MAC2=$(ip -n r2 -br link show to-r1 | awk '{print $3}')
for n in 192.0.2.2 2001:db8:1::2; do
	ip -n r1 neigh replace "$n" lladdr "$MAC2" dev to-r2 nud permanent
done
for n in 192.0.2.1 2001:db8:1::1; do
	ip -n r2 neigh replace "$n" lladdr "$MAC1" dev to-r1 nud permanent
done
check "R2: its replies to R1 delayed 2.5 s (netem)" \
	in_ns r2 tc qdisc add dev to-r1 root netem delay 2500ms

# refused ADDR PORT: how a connect() from R1 ends ("refused" is an RST).
refused() {
	in_ns r1 python3 -c 'import errno, socket, sys
a = sys.argv[1]
s = socket.socket(socket.AF_INET6 if ":" in a else socket.AF_INET)
s.settimeout(10)
try:
    s.connect((a, int(sys.argv[2])))
    print("connected")
except ConnectionRefusedError:
    print("refused")
except OSError as e:
    print(errno.errorcode.get(e.errno, str(e)))' "$1" "$2"
}


total_syns=0 total_rsts=0
for a in 192.0.2.2 2001:db8:1::2; do
	name=refused-${a//[:.]/-}
	cap_start r1 to-r2 "$name" "host $a and tcp port 1790" || bail "tcpdump did not start"
	check_eq "R1 -> $a:1790 (nothing listens): refused" refused "$(refused "$a" 1790)"
	# R2's second RST is still on its way (2.5 s behind the first).
	sleep 4
	cap_stop "$name"
	pcap=$(cap_path "$name")
	# From tcpdump's text: IPv6 has no tcp[] offsets in pcap filters.
	syns=$(tcpdump -nn -r "$pcap" 2>/dev/null | grep -c 'Flags \[S\]')
	rsts=$(tcpdump -nn -r "$pcap" 2>/dev/null | grep -c 'Flags \[R')
	# 6.1 retransmits a SYN after 1 s, then 2 s; 6.12 after 1 s, 1 s, ...
	# (tcp_syn_linear_timeouts): two or three copies before the RST.
	check "  R1 sent its SYN again before the first RST arrived ($syns copies)" \
		[ "$syns" -ge 2 ]
	check_eq "  R2 refused every copy: as many RSTs on the wire" "$syns" "$rsts"
	total_syns=$((total_syns + syns)) total_rsts=$((total_rsts + rsts))
	check "  every segment carries TCP-AO and its MAC verifies (aoverify)" \
		cap_check_ao "$name" 11 22
done
check_no_failures r1
check_no_failures r2
check_eq "R2: every copy of the SYNs verified" "$total_syns" "$(ao_stat r2 good)"
check_eq "R1: every RST verified, on an entry closed or not" "$total_rsts" "$(ao_stat r1 good)"
diag_out() { "$AOCTL" -n "$1" stats | sed 's/^/#   /'; }
diag "R1's stats:"; diag_out r1
diag "R2's stats:"; diag_out r2

done_testing
