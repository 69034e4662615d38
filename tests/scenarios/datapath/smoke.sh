#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 600
#
# The datapath in brief, for every kernel: a peer policy on each end, then
# for IPv4 and IPv6 and each algorithm a 2 MB transfer that must arrive
# intact with TCP-AO on every segment (SYN to last ACK) and the configured
# KeyIDs, and the connection counters agreeing (what one end signed, the
# other verified).  The full matrix (100 MB, MTUs, path MTU) is
# datapath/matrix.sh; this one is cheap enough for the debug kernel.
. "$(dirname "$0")/../../lib.sh"
. "$(dirname "$0")/../../lib-ao.sh"

topo_two r1 r2 192.0.2.1/24 192.0.2.2/24 2001:db8:1::1/64 2001:db8:1::2/64
port=5100
keys() {
	ao r1 flush && ao r2 flush &&
		ao_key r1 kc 0 10 20 "$1" && ao_key r2 kc 0 20 10 "$1"
}
for alg in hmac-sha-1-96 aes-128-cmac-96; do
	check "$alg: keychains on both ends" keys "$alg"
	for a in 192.0.2.2 2001:db8:1::2; do
		p=192.0.2.1
		[ "$a" = 192.0.2.2 ] || p=2001:db8:1::1
		ao r1 peer add "$a" keychain kc && ao r2 peer add "$p" keychain kc
		port=$((port + 1))
		name=smoke-$alg-${a%%[.:]*}
		cap_start r2 to-r1 "$name"
		check "$alg $a: 2 MB intact" xfer r1 r2 "$a" $port 2000000
		cap_stop "$name"
		check "  every segment signed, KeyIDs 10/20" cap_check_ao "$name" 10 20
		read -r n _ <"$RESULTS/$name.stats"
		check "  SYN to last ACK captured ($n segments)" test "${n:-0}" -gt 100
	done
	check_eq "$alg: r1 counted no bad MAC" 0 "$(ao_stat r1 bad_mac)"
	check_eq "$alg: r2 counted no bad MAC" 0 "$(ao_stat r2 bad_mac)"
	s1=$(ao_stat r1 signed) g2=$(ao_stat r2 good)
	check "$alg: r2 verified segments ($g2) and r1 signed some ($s1)" \
		test "$g2" -gt 0 -a "$s1" -gt 0
done
done_testing
