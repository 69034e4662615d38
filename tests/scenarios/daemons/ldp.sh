#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The seed's LDP example with Debian 12's unmodified FRR 8.4: zebra, ospfd
# and ldpd on R1 (loopback 192.168.0.11) and R2 (192.168.0.12), OSPF for
# loopback reachability, MPLS forwarding on.  tcpao's peer policies (port
# 646, between the transport addresses) protect the LDP session with the
# seed's keychain new_auth_key.  OSPF comes up, the LDP session becomes
# OPERATIONAL, labels are exchanged and installed in the kernel's MPLS
# table, and every LDP segment over TCP carries TCP-AO (the UDP hellos are
# not TCP and stay as they are).  Capture: $RESULTS/ldp.pcap.
. "$(dirname "$0")/../../lib.sh"
. "$(dirname "$0")/../../lib-daemons.sh"
require vtysh tcpdump python3
[ -x /usr/lib/frr/ldpd ] || skip_all "FRR's ldpd is not installed"

seed_topology --v4-only
check "R1: MPLS on (platform_labels, input on to-R2)" mpls_enable R1 to-R2
check "R2: MPLS on (platform_labels, input on to-R1)" mpls_enable R2 to-R1
check "R1: seed keychain" seed_keychain R1 r1
check "R2: seed keychain" seed_keychain R2 r2
check "R1: peer policies" seed_peers R1 r1
check "R2: peer policies" seed_peers R2 r2
cap_start ldp R1 to-R2 port 646 || bail "tcpdump did not start"

check "R1: FRR (zebra, ospfd, ldpd) with frr-ldp-r1.conf" \
	frr_start R1 R1 "$DAEMONS_DATA/frr-ldp-r1.conf" zebra ospfd ldpd
check "R2: FRR (zebra, ospfd, ldpd) with frr-ldp-r2.conf" \
	frr_start R2 R2 "$DAEMONS_DATA/frr-ldp-r2.conf" zebra ospfd ldpd

ospf_full() { # NAME NEIGHBOR
	vtysh_ "$1" -c "show ip ospf neighbor" | grep -Eq "^$2 .* Full/"
}
ldp_up() { # NAME NEIGHBOR
	vtysh_ "$1" -c "show mpls ldp neighbor" | grep -Eq "^ipv4 +$2 +OPERATIONAL"
}
# Label bindings: "ipv4 FEC NEXTHOP LOCAL REMOTE IN-USE".
remote_label() { # NAME FEC PEER
	vtysh_ "$1" -c "show mpls ldp binding" |
		awk -v f="$2" -v p="$3" '$1 == "ipv4" && $2 == f && $3 == p { print $5 }'
}
has_remote_label() { # NAME FEC PEER
	case $(remote_label "$@") in ''|-) return 1 ;; esac
}
mpls_route() { # NS REGEX
	ip -n "$1" -f mpls route show | grep -Eq "$2"
}

for r in "R1 192.168.0.12" "R2 192.168.0.11"; do
	set -- $r
	if wait_for 60 ospf_full "$1" "$2"; then
		ok "$1: OSPF neighbour $2 Full"
	else
		not_ok "$1: OSPF neighbour $2 Full" "$(vtysh_ "$1" -c 'show ip ospf neighbor')"
	fi
done
for r in "R1 192.168.0.12" "R2 192.168.0.11"; do
	set -- $r
	if wait_for 60 ldp_up "$1" "$2"; then
		ok "$1: LDP session to $2 OPERATIONAL"
	else
		not_ok "$1: LDP session to $2 OPERATIONAL" \
			"$(vtysh_ "$1" -c 'show mpls ldp neighbor' -c 'show mpls ldp discovery')"
	fi
done

# Each router's label for its own loopback reached the other (imp-null,
# penultimate hop popping, for the peer's own loopback; a real label for
# the router's other FECs).
for r in "R1 192.168.0.12/32 192.168.0.12" "R1 192.168.0.11/32 192.168.0.12" \
	"R2 192.168.0.11/32 192.168.0.11" "R2 192.168.0.12/32 192.168.0.11"; do
	set -- $r
	if wait_for 30 has_remote_label "$@"; then
		ok "$1: label binding for $2 from $3: $(remote_label "$@")"
	else
		not_ok "$1: label binding for $2 from $3" "$(vtysh_ "$1" -c 'show mpls ldp binding')"
	fi
done
check_eq "R1: R2 advertises imp-null for its loopback" imp-null \
	"$(remote_label R1 192.168.0.12/32 192.168.0.12)"
# R1's local label for R2's loopback swaps to R2's imp-null: pop towards R2.
if wait_for 30 mpls_route R1 "via inet 192\.0\.2\.2 dev to-R2"; then
	ok "R1: kernel MPLS table has the LSP towards R2"
else
	not_ok "R1: kernel MPLS table has the LSP towards R2" "$(ip -n R1 -f mpls route show)"
fi
if wait_for 30 mpls_route R2 "via inet 192\.0\.2\.1 dev to-R1"; then
	ok "R2: kernel MPLS table has the LSP towards R1"
else
	not_ok "R2: kernel MPLS table has the LSP towards R1" "$(ip -n R2 -f mpls route show)"
fi
diag_cmd "R1: vtysh -c 'show mpls ldp neighbor detail'" vtysh_ R1 -c "show mpls ldp neighbor detail"
diag_cmd "R1: vtysh -c 'show mpls ldp binding'" vtysh_ R1 -c "show mpls ldp binding"
diag_cmd "R1: ip -f mpls route" ip -n R1 -f mpls route show

# tcpao's view: the session between the transport addresses (loopbacks).
sel="c['remote_address'] == '192.168.0.12' and 646 in (c['local_port'], c['remote_port']) and c['state'] == 'established'"
check_eq "R1: LDP connection 192.168.0.11 -> 192.168.0.12, new_auth_key, KeyIDs 1/2" \
	"192.168.0.11 new_auth_key 1 2" "$(aoconn R1 "$sel" local_address keychain send_keyid recv_keyid)"
sel="c['remote_address'] == '192.168.0.11' and 646 in (c['local_port'], c['remote_port']) and c['state'] == 'established'"
check_eq "R2: LDP connection 192.168.0.12 -> 192.168.0.11, new_auth_key, KeyIDs 2/1" \
	"192.168.0.12 new_auth_key 2 1" "$(aoconn R2 "$sel" local_address keychain send_keyid recv_keyid)"
diag_cmd "R1: aoctl conn show" "$AOCTL" -n R1 conn show

# LDP keepalives (every 5 s with a 15 s hold time) keep flowing, verified.
sleep 6
check "R1: LDP session still OPERATIONAL" ldp_up R1 192.168.0.12
check_stat "R1: segments verified" R1 good -gt 0
check_stat "R2: segments verified" R2 good -gt 0
check_clean R1
check_clean R2

cap_stop ldp
check_all_ao "capture: every LDP segment over TCP carries TCP-AO" "$RESULTS/ldp.pcap" "tcp port 646"
check_macs "capture: every LDP segment's MAC verifies" "$RESULTS/ldp.pcap"
hellos=$(tcpdump -nn -r "$RESULTS/ldp.pcap" "udp port 646" 2>/dev/null | wc -l)
if [ "$hellos" -gt 0 ]; then ok "capture: LDP hellos over UDP ($hellos)"; else not_ok "capture: LDP hellos over UDP"; fi
check_eq "capture: R1 signs with KeyID 1" 1 "$(keyids "$RESULTS/ldp.pcap" "tcp and src host 192.168.0.11")"
check_eq "capture: R2 signs with KeyID 2" 2 "$(keyids "$RESULTS/ldp.pcap" "tcp and src host 192.168.0.12")"
diag_cmd "capture (first TCP segments)" show_segments "$RESULTS/ldp.pcap" "tcp port 646" 4

done_testing
