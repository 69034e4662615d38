#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 900
#
# What must not connect does not, and the counters say why: a wrong secret,
# a wrong send-id/recv-id, TCP-AO on one side only.  With
# allow-without-tcpao the one-sided case connects, unprotected and counted,
# whichever side opens the connection.
. "$(dirname "$0")/../../lib.sh"
. "$(dirname "$0")/../../lib-ao.sh"

# connect NSC ADDR PORT: 0 if a TCP connection opens within 4 s.
connect() {
	in_ns "$1" python3 -c 'import socket,sys
a=sys.argv[1]; s=socket.socket(socket.AF_INET6 if ":" in a else socket.AF_INET)
s.settimeout(4); s.connect((a,int(sys.argv[2]))); s.sendall(b"x"); s.close()' "$2" "$3" 2>/dev/null
}

listen() {
	spawn in_ns "$1" python3 -c 'import socket,sys
a=sys.argv[1]; s=socket.socket(socket.AF_INET6 if ":" in a else socket.AF_INET)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind((a,int(sys.argv[2]))); s.listen(8)
while True:
    c,_=s.accept(); c.recv(10); c.close()' "$2" "$3"
	sleep 1
}

topo_two r1 r2 192.0.2.1/24 192.0.2.2/24 2001:db8:1::1/64 2001:db8:1::2/64
listen r2 192.0.2.2 179
listen r2 2001:db8:1::2 179
listen r1 192.0.2.1 179

setup() {	# setup SECRET2 SEND2 RECV2: R1 11/22 "right", R2 as given
	ao r1 flush && ao r2 flush
	ao_key r1 kc 0 11 22 hmac-sha-1-96 disabled right && ao_key r2 kc 0 "$2" "$3" hmac-sha-1-96 disabled "$1"
	ao r1 peer add 192.0.2.0/24 keychain kc && ao r2 peer add 192.0.2.0/24 keychain kc
	ao r1 peer add 2001:db8:1::/64 keychain kc && ao r2 peer add 2001:db8:1::/64 keychain kc
}

setup right 22 11
check "matching keys: IPv4 connects" connect r1 192.0.2.2 179
check "matching keys: IPv6 connects" connect r1 2001:db8:1::2 179

setup wrong 22 11
b=$(ao_stat r2 bad_mac)
created=$(ao_stat r2 connections_created)
check "wrong secret: IPv4 does not connect" fails connect r1 192.0.2.2 179
check "wrong secret: IPv6 does not connect" fails connect r1 2001:db8:1::2 179
check "  R2 counts bad MACs" [ "$(ao_stat r2 bad_mac)" -gt "$b" ]
check_eq "  and creates no connection for them" "$created" \
	"$(ao_stat r2 connections_created)"

setup right 22 12
k=$(ao_stat r2 key_not_found)
check "wrong recv-id on R2: does not connect" fails connect r1 192.0.2.2 179
check "  R2 counts key-not-found (R1's KeyID is unknown to it)" [ "$(ao_stat r2 key_not_found)" -gt "$k" ]

setup right 23 11
check "wrong send-id on R2: does not connect" fails connect r1 192.0.2.2 179
check "  R1 counts key-not-found (R2's KeyID is unknown to it)" [ "$(ao_stat r1 key_not_found)" -gt 0 ]

# TCP-AO on R1 only.  R2 must have no tcpao state at all (the connection
# entries of the tests above keep its hooks on, and a namespace that runs
# tcpao refuses TCP-AO from a peer it has no keys for, as native TCP-AO
# does): start over with fresh namespaces.
ip netns del r1
ip netns del r2
sleep 1
topo_two r1 r2 192.0.2.1/24 192.0.2.2/24 2001:db8:1::1/64 2001:db8:1::2/64
listen r2 192.0.2.2 179
listen r1 192.0.2.1 179
ao_key r1 kc 0 11 22
ao r1 peer add 192.0.2.2 keychain kc
check "AO on R1 only, R1 connects: refused" fails connect r1 192.0.2.2 179
check "  R1 counts ao-required (the SYN-ACK had no TCP-AO)" [ "$(ao_stat r1 ao_required)" -gt 0 ]
a=$(ao_stat r1 ao_required)
check "AO on R1 only, R2 connects: refused" fails connect r2 192.0.2.1 179
check "  R1 counts ao-required (the SYN had no TCP-AO)" [ "$(ao_stat r1 ao_required)" -gt "$a" ]

ao r1 peer del 192.0.2.2 && ao r1 peer add 192.0.2.2 keychain kc allow-without-tcpao
cap_start r1 to-r2 allow
check "allow-without-tcpao, R2 connects: unprotected connection" connect r2 192.0.2.1 179
check "allow-without-tcpao, R1 connects: unprotected connection" connect r1 192.0.2.2 179
cap_stop allow
check_eq "  both counted as without-ao-accepted" 2 "$(ao_stat r1 without_ao_accepted)"
n=$(tcpdump -nr "$RESULTS/allow.pcap" -v 2>/dev/null | grep -c 'Flags \[S\.\]')
check "  both handshakes completed ($n SYN-ACKs)" [ "$n" -ge 2 ]
check "  no segment but R1's SYN carries TCP-AO" sh -c \
	"! tcpdump -nr '$RESULTS/allow.pcap' -v 2>/dev/null | grep -v 'Flags \[S\]' | grep -q 'tcp-ao'"
check "  R1's SYN verifies (the rest may go unsigned)" \
	cap_check_ao allow 11 22 -- --unsigned-ok 179
done_testing
