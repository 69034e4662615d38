#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The seed's BGP example with Debian 12's own, unmodified BIRD 2: R1
# (AS 65500) and R2 (AS 65501) peer over IPv4 and IPv6; tcpao's peer
# policies protect both sessions with the seed's keychain new_auth_key.
# Both sessions come up, each side learns the other's prefixes, every BGP
# segment on the wire carries TCP-AO (including the close when BIRD stops,
# and R1's answer to R2's reconnection attempts), with key 0's KeyIDs, and
# no segment fails verification.  Capture: $RESULTS/bgp.pcap.
. "$(dirname "$0")/../../lib.sh"
. "$(dirname "$0")/../../lib-daemons.sh"
require bird birdc tcpdump python3

seed_topology
check "R1: seed keychain new_auth_key (aoctl -b seed-r1.batch)" seed_keychain R1 r1
check "R2: seed keychain new_auth_key (aoctl -b seed-r2.batch)" seed_keychain R2 r2
check "R1: peer policies (aoctl -b r1-peers.batch)" seed_peers R1 r1
check "R2: peer policies (aoctl -b r2-peers.batch)" seed_peers R2 r2
cap_start bgp R1 to-R2 tcp port 179 || bail "tcpdump did not start"

check "R1: BIRD starts" bird_start R1 R1 "$DAEMONS_DATA/bird-r1.conf"
check "R2: BIRD starts" bird_start R2 R2 "$DAEMONS_DATA/bird-r2.conf"
check_bird_up R1 r2_v4
check_bird_up R1 r2_v6
check_bird_up R2 r1_v4
check_bird_up R2 r1_v6

# Routes both ways, over each address family, with the neighbour's AS path.
route_from() { # NAME PREFIX PROTO AS
	birdc_ "$1" show route "$2" | grep -q "\[$3 .*\[AS$4i\]"
}
for r in "R1 203.0.113.0/24 r2_v4 65501" "R1 2001:db8:200::/48 r2_v6 65501" \
	"R2 198.51.100.0/24 r1_v4 65500" "R2 2001:db8:100::/48 r1_v6 65500"; do
	set -- $r
	if wait_for 30 route_from "$@"; then
		ok "$1: learned $2 from $3 (AS $4)"
	else
		not_ok "$1: learned $2 from $3 (AS $4)" "$(birdc_ "$1" show route)"
	fi
done

# A few keepalives (every 3 s) in both directions.
sleep 7
for p in r2_v4 r2_v6; do
	check "R1: BIRD $p still Established" bird_up R1 $p
done
diag_cmd "R1: birdc show protocols" birdc_ R1 show protocols
diag_cmd "R1: birdc show route" birdc_ R1 show route
diag_cmd "R1: aoctl keychain show" "$AOCTL" -n R1 keychain show
diag_cmd "R1: aoctl conn show" "$AOCTL" -n R1 conn show
diag_cmd "R2: aoctl conn show" "$AOCTL" -n R2 conn show

# tcpao's view: one established connection per session, key 0 both ways
# (R1 sends KeyID 1 and receives 2; R2 the reverse).
for a in 192.0.2.2 2001:db8::2; do
	sel="c['remote_address'] == '$a' and 179 in (c['local_port'], c['remote_port']) and c['state'] == 'established'"
	check_eq "R1: connection to $a established, keychain new_auth_key, sends KeyID 1, receives KeyID 2" \
		"new_auth_key 1 2" "$(aoconn R1 "$sel" keychain send_keyid recv_keyid)"
done
for a in 192.0.2.1 2001:db8::1; do
	sel="c['remote_address'] == '$a' and 179 in (c['local_port'], c['remote_port']) and c['state'] == 'established'"
	check_eq "R2: connection to $a established, keychain new_auth_key, sends KeyID 2, receives KeyID 1" \
		"new_auth_key 2 1" "$(aoconn R2 "$sel" keychain send_keyid recv_keyid)"
done
check_stat "R1: segments verified" R1 good -gt 0
check_stat "R1: segments signed" R1 signed -gt 0
check_stat "R2: segments verified" R2 good -gt 0
check_clean R1
check_clean R2

# Close: BIRD on R1 stops (NOTIFICATION Cease, FIN); R2 then keeps trying
# to reconnect to R1, whose kernel answers with a (signed) RST.
check "R1: BIRD stops" bird_stop R1 TERM
rst_seen() {
	[ "$(count_flags "$RESULTS/bgp.pcap" "src host 192.0.2.1" R.)" -gt 0 ] &&
		[ "$(count_flags "$RESULTS/bgp.pcap" "src host 2001:db8::1" R.)" -gt 0 ]
}
if wait_for 20 rst_seen; then
	ok "R1 refuses R2's reconnections over IPv4 and IPv6 (RST)"
else
	not_ok "R1 refuses R2's reconnections over IPv4 and IPv6 (RST)"
fi
cap_stop bgp
check_clean R1
check_clean R2

check_all_ao "capture: every BGP segment over IPv4 carries TCP-AO" \
	"$RESULTS/bgp.pcap" "ip and tcp port 179"
check_all_ao "capture: every BGP segment over IPv6 carries TCP-AO" \
	"$RESULTS/bgp.pcap" "ip6 and tcp port 179"
check_eq "capture: R1 signs with KeyID 1 (key 0) only" 1 \
	"$(keyids "$RESULTS/bgp.pcap" "src host 192.0.2.1 or src host 2001:db8::1")"
check_eq "capture: R2 signs with KeyID 2 (key 0) only" 2 \
	"$(keyids "$RESULTS/bgp.pcap" "src host 192.0.2.2 or src host 2001:db8::2")"
check_macs "capture: every segment's MAC verifies (SYNs, R1's RSTs refusing R2's SYNs, FINs)" \
	"$RESULTS/bgp.pcap"
diag_cmd "capture (first segments)" show_segments "$RESULTS/bgp.pcap" "tcp port 179" 6

done_testing
