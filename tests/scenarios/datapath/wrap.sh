#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 600
#
# The sequence space wraps in both directions during a transfer: both ends
# are opened with TCP_REPAIR a few megabytes below 2^32, tcpao gets the ISNs
# and an SNE of 7 through TCPAO_SO_REPAIR, and data crosses the wrap both
# ways.  The SNE goes to 8 on both sides and no segment fails; the capture
# verifier, told only the ISNs and the starting SNE, recomputes every MAC.
. "$(dirname "$0")/../../lib.sh"
. "$(dirname "$0")/../../lib-ao.sh"

REPAIR=$TCPAO_SRC/tests/tools/repair.py
BYTES=$((6 * 1000 * 1000))
# R1 sends from 4 MB below the wrap, R2 from 2 MB below.
S1=$((0xffffffff - 4000000)) S2=$((0xffffffff - 2000000))
ISN1=0x12345678 ISN2=0x9abcdef0

run() {
	fam=$1 a1=$2 a2=$3
	in_ns r2 python3 "$REPAIR" "$a2" 179 "$a1" 40179 $S2 $S1 $ISN2 $ISN1 7 $BYTES \
		>"$RESULTS/r2-$fam.out" 2>&1 &
	p2=$!
	in_ns r1 python3 "$REPAIR" "$a1" 40179 "$a2" 179 $S1 $S2 $ISN1 $ISN2 7 $BYTES \
		>"$RESULTS/r1-$fam.out" 2>&1 &
	p1=$!
	wait $p1
	r1=$?
	wait $p2
	r2=$?
	cat "$RESULTS"/r[12]-$fam.out | sed 's/^/# /'
	[ $r1 -eq 0 ] && [ $r2 -eq 0 ] || return 1
	for f in "$RESULTS"/r[12]-$fam.out; do
		# Both ends send the same stream: each must have received what
		# the other sent, all of it, across the wrap.
		awk -v n=$BYTES '/^sent/ { exit !($2 == $4 && $5 == n) }' "$f" || return 1
		grep -q 'snd_sne=8 rcv_sne=8 .* bad=0' "$f" || return 1
	done
}

topo_two r1 r2 192.0.2.1/24 192.0.2.2/24 2001:db8:1::1/64 2001:db8:1::2/64
ao_key r1 kc 0 11 22 && ao_key r2 kc 0 22 11
ao r1 peer add 192.0.2.2 keychain kc && ao r2 peer add 192.0.2.1 keychain kc
ao r1 peer add 2001:db8:1::2 keychain kc && ao r2 peer add 2001:db8:1::1 keychain kc

for fam in 4 6; do
	if [ $fam = 4 ]; then a1=192.0.2.1 a2=192.0.2.2; else a1=2001:db8:1::1 a2=2001:db8:1::2; fi
	cap_start r2 to-r1 wrap$fam
	check "IPv$fam: 6 MB each way across the 2^32 wrap, SNE 7 -> 8 both ways" run $fam $a1 $a2
	cap_stop wrap$fam
	# No handshake in the capture (TCP_REPAIR): the verifier gets the
	# ISNs and the SNE of each side's first segment.
	check "  every segment signed, every MAC verifies across the wrap" \
		cap_check_ao wrap$fam 11 22 -- --isn "$a1,40179,$ISN1,7" --isn "$a2,179,$ISN2,7"
done
for ns in r1 r2; do
	check_eq "$ns: no segment failed verification" 0 "$(ao_stat $ns bad_mac)"
done
done_testing
