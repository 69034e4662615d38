#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 1800
#
# Bulk transfers under TCP-AO: IPv4 and IPv6, each
# algorithm, TCP options covered and excluded, at MTU 1500 and 9000, and
# across a router whose next link has a smaller MTU (path-MTU discovery).
# Each transfer must arrive intact (sha256), every segment must carry TCP-AO
# with the configured KeyIDs, no packet may exceed its link's MTU, and no
# segment may fail verification.
. "$(dirname "$0")/../../lib.sh"
. "$(dirname "$0")/../../lib-ao.sh"

MB=$(xfer_mb)
BYTES=$((MB * 1000 * 1000))
diag "transfers of $MB MB on the $KERNEL_FLAVOR kernel"

# Keychain "kc" on both ends, mirrored IDs: R1 sends with 11, R2 with 22.
keys() {
	ao_key "$1" kc 0 11 22 "$3" "$4" &&
		ao_key "$2" kc 0 22 11 "$3" "$4"
}

no_bad() {
	for ns in "$@"; do
		for c in bad_mac key_not_found ao_required malformed no_state \
			 tx_error no_option_space; do
			v=$(ao_stat "$ns" $c)
			[ "$v" = 0 ] || { echo "$ns $c=$v"; return 1; }
		done
	done
}

# ---- MTU 1500 and 9000: the algorithm x option-mode x family matrix ----
for mtu in 1500 9000; do
	topo_two --mtu $mtu r1 r2 192.0.2.1/24 192.0.2.2/24 \
		2001:db8:1::1/64 2001:db8:1::2/64
	for alg in hmac-sha-1-96 aes-128-cmac-96; do
		for opt in enabled disabled; do
			# At 9000, two combinations: the matrix is at 1500.
			[ $mtu = 9000 ] && [ $opt = disabled ] && continue
			check "mtu $mtu $alg tcp-ao-option $opt: keys" keys r1 r2 "$alg" $opt
			ao r1 peer add 192.0.2.2 keychain kc && ao r2 peer add 192.0.2.1 keychain kc &&
				ao r1 peer add 2001:db8:1::2 keychain kc && ao r2 peer add 2001:db8:1::1 keychain kc
			for a in 192.0.2.2 2001:db8:1::2; do
				[ $mtu = 9000 ] && [ $alg = hmac-sha-1-96 ] && [ $a != 192.0.2.2 ] && continue
				[ $mtu = 9000 ] && [ $alg != hmac-sha-1-96 ] && [ $a = 192.0.2.2 ] && continue
				name=m$mtu-$alg-$opt-${a%%:*}
				name=${name//./_}
				cap_start r2 to-r1 "$name"
				check "mtu $mtu $alg options $opt $a: $MB MB intact" \
					xfer r1 r2 $a 5001 $BYTES
				cap_stop "$name"
				check "  every segment signed with KeyID 11 or 22" cap_check_ao "$name" 11 22
				max=$(cap_max_ip "$name")
				check "  no packet over the MTU (largest $max)" test "$max" -le $mtu -a "$max" -ge $((mtu - 100))
			done
			check "  no segment failed on either side" no_bad r1 r2
			ao r1 flush && ao r2 flush
		done
	done
	ip netns del r1
	ip netns del r2
	sleep 1
done

# ---- path-MTU discovery: R1 =1500= RTA =1400= RTB =1500= R2 ----
# Both ends announce an MSS for 1500; only the routers know the path is
# narrower.  RTA answers with packet-too-big, which tcpao lets through, or
# frag-needed, a hard error of RFC 5925 7.8 that tcpao drops unless the
# policy says accept-icmps (as an operator who knows the path may be
# narrower configures it; hardening/icmp.sh shows the default), and R1 must
# shrink its segments: the extension header length keeps TCP-AO's 16
# bytes inside the new MTU.
ns_create r1 rta rtb r2
ns_link r1 rta 198.51.100.1/24 198.51.100.254/24 2001:db8:a::1/64 2001:db8:a::fe/64
ns_link --mtu 1400 rta rtb 10.9.9.1/24 10.9.9.2/24 2001:db8:9::1/64 2001:db8:9::2/64
ns_link rtb r2 203.0.113.254/24 203.0.113.2/24 2001:db8:b::fe/64 2001:db8:b::2/64
for rt in rta rtb; do
	in_ns $rt sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
done
in_ns r1 ip route add default via 198.51.100.254
in_ns r1 ip -6 route add default via 2001:db8:a::fe
in_ns rta ip route add 203.0.113.0/24 via 10.9.9.2
in_ns rta ip -6 route add 2001:db8:b::/64 via 2001:db8:9::2
in_ns rtb ip route add 198.51.100.0/24 via 10.9.9.1
in_ns rtb ip -6 route add 2001:db8:a::/64 via 2001:db8:9::1
in_ns r2 ip route add default via 203.0.113.254
in_ns r2 ip -6 route add default via 2001:db8:b::fe
for pass in "203.0.113.2 hmac-sha-1-96" "2001:db8:b::2 aes-128-cmac-96"; do
	set -- $pass
	a=$1 alg=$2
	ao r1 flush && ao r2 flush
	check "pmtu $alg: keys" keys r1 r2 "$alg" enabled
	ao r1 peer add 203.0.113.2 keychain kc accept-icmps &&
		ao r2 peer add 198.51.100.1 keychain kc &&
		ao r1 peer add 2001:db8:b::2 keychain kc && ao r2 peer add 2001:db8:a::1 keychain kc
	name=pmtu-${a%%[.:]*}
	cap_start rtb to-rta "$name"
	cap_start rta to-r1 "$name-r1" icmp or icmp6
	check "pmtu $a $alg: $MB MB intact across a 1400-byte link" xfer r1 r2 $a 5002 $BYTES
	cap_stop "$name-r1"
	cap_stop "$name"
	check "  every segment signed" cap_check_ao "$name" 11 22
	max=$(cap_max_ip "$name")
	check "  full-sized segments, nothing over 1400 on the narrow link (largest $max)" \
		test "$max" -le 1400 -a "$max" -ge 1380
	check "  the router sent frag-needed / packet-too-big to R1" \
		sh -c "tcpdump -nr '$RESULTS/$name-r1.pcap' 2>/dev/null | grep -Eq 'need to frag|packet too big'"
	check "  no segment failed, no ICMP dropped" no_bad r1 r2
	check_eq "  packet-too-big, and frag-needed with accept-icmps, reach TCP" 0 \
		"$(ao_stat r1 icmp_dropped)"
done

done_testing
