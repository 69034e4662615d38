#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 900
#
# A transfer through 2% loss (netem, both ways): it completes, SACK is in
# use, and every segment, retransmissions and SACK-bearing ACKs included,
# is signed and verifies.
. "$(dirname "$0")/../../lib.sh"
. "$(dirname "$0")/../../lib-ao.sh"

MB=$(( $(xfer_mb) / 4 + 1 ))
topo_two r1 r2 192.0.2.1/24 192.0.2.2/24 2001:db8:1::1/64 2001:db8:1::2/64
for ns in r1 r2; do
	in_ns $ns sysctl -qw net.ipv4.tcp_sack=1
done
in_ns r1 tc qdisc add dev to-r2 root netem loss 2%
in_ns r2 tc qdisc add dev to-r1 root netem loss 2%
keys() {
	ao_key r1 kc 0 11 22 && ao_key r2 kc 0 22 11
}
check "keychains on both ends" keys
ao r1 peer add 192.0.2.2 keychain kc && ao r2 peer add 192.0.2.1 keychain kc
ao r1 peer add 2001:db8:1::2 keychain kc && ao r2 peer add 2001:db8:1::1 keychain kc
for a in 192.0.2.2 2001:db8:1::2; do
	name=loss-${a%%[.:]*}
	cap_start r2 to-r1 "$name"
	XFER_TIMEOUT=600 check "$a: $MB MB through 2% loss intact" \
		xfer r1 r2 $a 5003 $((MB * 1000 * 1000))
	cap_stop "$name"
	check "  every segment signed" cap_check_ao "$name" 11 22
	sacks=$(cap_sacks "$name")
	check "  SACK blocks in use ($sacks ACKs carried them)" [ "$sacks" -gt 0 ]
done
for ns in r1 r2; do
	check_eq "$ns: no segment failed verification" 0 "$(ao_stat $ns bad_mac)"
	check_eq "$ns: no segment lacked room for TCP-AO" 0 "$(ao_stat $ns no_option_space)"
done
done_testing
