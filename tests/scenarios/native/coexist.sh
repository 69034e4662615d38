#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# On a kernel with Linux's own TCP-AO (CONFIG_TCP_AO: the native kernel),
# tcpao leaves alone every socket that uses it, and TCP-MD5 sockets outside
# its policies (Documentation/kernels.rst):
#
#   1. native TCP-AO and TCP-MD5 connections, no tcpao policy: they work,
#      the wire carries the native KeyIDs, Linux verified every segment
#      (TCP_AO_INFO: good > 0, bad 0), tcpao counted and kept nothing;
#   2. the same with tcpao peer policies covering the very same flows on
#      both ends: the socket's own TCP-AO wins, tcpao stays out of it;
#   3. a tcpao connection on the same policies works on this kernel;
#   4. one listening socket with a native key for one peer only: that peer
#      comes in over native TCP-AO, another (covered by a tcpao policy)
#      over tcpao, both to the same listener (BIRD's way: one listener,
#      keys per peer);
#   5. TCP-MD5 on a flow a tcpao policy covers is refused (md5-conflict).
#
# Addresses: r1 192.0.2.1 and .5, 2001:db8:1::1; r2 192.0.2.2,
# 2001:db8:1::2.  Native keys use KeyIDs 100/101 (r1 sends 100), tcpao's
# 10/20.
. "$(dirname "$0")/../../lib.sh"
. "$(dirname "$0")/../../lib-ao.sh"

NAO=$TCPAO_SRC/tests/tools/nativeao.py
python3 "$NAO" probe || skip_all "the kernel has no TCP_AO_ADD_KEY (CONFIG_TCP_AO): run on --kernel native"
require tcpdump

topo_two r1 r2 192.0.2.1/24 192.0.2.2/24 2001:db8:1::1/64 2001:db8:1::2/64
ip -n r1 addr add 192.0.2.5/24 dev to-r2

SECRET=native-secret
ao_r1() { echo "ao:$1:100:101:${2:-hmac(sha1)}:$SECRET"; }
ao_r2() { echo "ao:$1:101:100:${2:-hmac(sha1)}:$SECRET"; }
# The native keys for cap_check_ao's verifier, in aoctl's words: Linux
# covers TCP options unless told otherwise (TCP_AO_KEYF_EXCLUDE_OPT), and
# both algorithms use KeyIDs 100/101; the verifier tries each.
for alg in hmac-sha-1-96 aes-128-cmac-96; do
	printf 'keychain add native key 0 secret %s send-id 100 recv-id 101 cryptographic-algorithm %s tcp-ao-option enabled\n' \
		"$SECRET" "$alg"
done >"$AO_SECRETS/native.key"

# nat NAME SERVER-ADDR PORT CLIENT-ARGS -- SERVER-KEYS: one native transfer
# r1 -> r2 of 200 kB, captured on r2; ok if the server got what was sent.
nat() {
	local name=$1 addr=$2 port=$3 cargs=() sargs=()
	shift 3
	while [ $# -gt 0 ] && [ "$1" != -- ]; do cargs+=("$1"); shift; done
	shift
	sargs=("$@")
	cap_start r2 to-r1 "$name" "tcp port $port"
	in_ns r2 python3 "$NAO" server "$addr" "$port" "${sargs[@]}" \
		>"$RESULTS/$name.srv" 2>&1 &
	local sp=$!
	wait_for 10 grep -q listening "$RESULTS/$name.srv"
	in_ns r1 python3 "$NAO" client "$addr" "$port" 200000 "${cargs[@]}" \
		>"$RESULTS/$name.cli" 2>&1
	local rc=$?
	# A client that never connected leaves the server waiting.
	[ $rc -eq 0 ] || kill "$sp" 2>/dev/null
	wait "$sp"
	cap_stop "$name"
	[ $rc -eq 0 ] && [ -s "$RESULTS/$name.cli" ] &&
		[ "$(tail -n 1 "$RESULTS/$name.srv" | cut -d' ' -f1-2)" = \
		  "$(cut -d' ' -f1-2 "$RESULTS/$name.cli")" ]
}

# What Linux's TCP_AO_INFO said on the server: "good bad".
nat_counters() {
	tail -n 1 "$RESULTS/$1.srv" | sed -n 's/.* good=\([0-9]*\) bad=\([0-9]*\) .*/\1 \2/p'
}

check_native_counters() {
	local good bad
	read -r good bad < <(nat_counters "$1")
	check "  Linux verified its segments (good ${good:-?} > 0, bad ${bad:-?} = 0)" \
		test "${good:-0}" -gt 0 -a "${bad:-1}" -eq 0
}

# tcpao's counters that must not move for a native connection.
untouched() {
	local ns=$1 s v bad=
	for s in good signed bad_mac key_not_found ao_required no_state malformed md5_conflict; do
		v=$(ao_stat "$ns" "$s")
		[ "$v" = 0 ] || bad="$bad $s=$v"
	done
	[ -z "$bad" ] || { echo "# $ns:$bad"; return 1; }
}

no_conns() {
	check_eq "  $1: tcpao keeps no connection" 0 "$(ao_stat "$1" connections)"
}

# --- 1. No tcpao policy ---------------------------------------------------------
for v in 4 6; do
	if [ $v = 4 ]; then a1=192.0.2.1 a2=192.0.2.2; else a1=2001:db8:1::1 a2=2001:db8:1::2; fi
	pl=$([ $v = 4 ] && echo 32 || echo 128)
	check "IPv$v, no policy: native TCP-AO transfer intact" \
		nat "nopol-ao$v" $a2 $((2000 + v)) "$(ao_r1 $a2/$pl)" -- "$(ao_r2 $a1/$pl)"
	check "  every segment has TCP-AO with the native KeyIDs 100/101" \
		cap_check_ao "nopol-ao$v" 100 101
	check_native_counters "nopol-ao$v"
done
check "no policy: native TCP-MD5 transfer intact" \
	nat nopol-md5 192.0.2.2 2010 "md5:192.0.2.2/32:$SECRET" -- "md5:192.0.2.1/32:$SECRET"
check "r1: tcpao counted nothing" untouched r1
check "r2: tcpao counted nothing" untouched r2
no_conns r1
no_conns r2

# --- 2. tcpao policies on the same flows: the socket's own TCP-AO wins -----------
ao_key r1 kc 0 10 20 && ao_key r2 kc 0 20 10 &&
	ao r1 peer add 192.0.2.2 keychain kc && ao r1 peer add 2001:db8:1::2 keychain kc &&
	ao r2 peer add 192.0.2.0/24 keychain kc && ao r2 peer add 2001:db8:1::/64 keychain kc
check "tcpao keychains and peer policies on both ends" test $? -eq 0
for v in 4 6; do
	if [ $v = 4 ]; then a1=192.0.2.1 a2=192.0.2.2; else a1=2001:db8:1::1 a2=2001:db8:1::2; fi
	pl=$([ $v = 4 ] && echo 32 || echo 128)
	check "IPv$v, tcpao policy on the flow: native TCP-AO transfer intact" \
		nat "pol-ao$v" $a2 $((2020 + v)) "$(ao_r1 $a2/$pl "cmac(aes128)")" -- \
		"$(ao_r2 $a1/$pl "cmac(aes128)")"
	check "  every segment has TCP-AO with the native KeyIDs 100/101" \
		cap_check_ao "pol-ao$v" 100 101
	check_native_counters "pol-ao$v"
done
check "r1: tcpao counted nothing" untouched r1
check "r2: tcpao counted nothing" untouched r2
no_conns r1
no_conns r2

# --- 3. tcpao's own connection on this kernel ------------------------------------
cap_start r2 to-r1 tcpao "tcp port 2030"
check "tcpao connection (plain sockets, the policies): 1 MB intact" \
	xfer r1 r2 192.0.2.2 2030 1000000
cap_stop tcpao
check "  every segment has TCP-AO with tcpao's KeyIDs 10/20" cap_check_ao tcpao 10 20
g=$(ao_stat r2 good) s=$(ao_stat r1 signed)
check "  tcpao signed ($s) and verified ($g) its segments" test "$s" -gt 0 -a "$g" -gt 0
check_eq "  no bad MAC at r2" 0 "$(ao_stat r2 bad_mac)"

# --- 4. One listener: a native peer and a tcpao peer -----------------------------
g0=$(ao_stat r2 good)
cap_start r2 to-r1 mixed "tcp port 2040"
in_ns r2 python3 "$NAO" server 192.0.2.2 2040 --accept 2 "$(ao_r2 192.0.2.1/32)" \
	>"$RESULTS/mixed.srv" 2>&1 &
sp=$!
wait_for 10 grep -q listening "$RESULTS/mixed.srv"
in_ns r1 python3 "$NAO" client 192.0.2.2 2040 200000 --bind 192.0.2.1 \
	"$(ao_r1 192.0.2.2/32)" >"$RESULTS/mixed-native.cli" 2>&1
rc1=$?
check "listener with a native key for .1: .1 over native TCP-AO" test $rc1 -eq 0
in_ns r1 python3 "$NAO" client 192.0.2.2 2040 200000 --bind 192.0.2.5 \
	>"$RESULTS/mixed-tcpao.cli" 2>&1
rc2=$?
check "  .5 (no native key, tcpao policy) over tcpao to the same listener" test $rc2 -eq 0
[ $rc1 -eq 0 ] && [ $rc2 -eq 0 ] || kill "$sp" 2>/dev/null
wait "$sp"
cap_stop mixed
check_eq "  the listener got both transfers intact" \
	"$(cut -d' ' -f1-2 "$RESULTS/mixed-native.cli"; cut -d' ' -f1-2 "$RESULTS/mixed-tcpao.cli")" \
	"$(cut -d' ' -f1-2 "$RESULTS/mixed.srv" | grep -v listening)"
tcpdump -r "$RESULTS/mixed.pcap" -w "$RESULTS/mixed-n.pcap" host 192.0.2.1 2>/dev/null
tcpdump -r "$RESULTS/mixed.pcap" -w "$RESULTS/mixed-t.pcap" host 192.0.2.5 2>/dev/null
check "  .1's segments carry the native KeyIDs 100/101" cap_check_ao mixed-n 100 101
check "  .5's segments carry tcpao's KeyIDs 10/20" cap_check_ao mixed-t 10 20
g1=$(ao_stat r2 good)
check "  r2's tcpao verified .5's segments ($g0 -> $g1)" test "$g1" -gt "$g0"
check_eq "  no bad MAC at r2" 0 "$(ao_stat r2 bad_mac)"
check_eq "  no key-not-found at r2" 0 "$(ao_stat r2 key_not_found)"

# --- 5. TCP-MD5 on a flow a tcpao policy covers: refused ------------------------
in_ns r2 python3 "$NAO" server 192.0.2.2 2050 "md5:192.0.2.1/32:$SECRET" \
	>"$RESULTS/polmd5.srv" 2>&1 &
sp=$!
wait_for 10 grep -q listening "$RESULTS/polmd5.srv"
in_ns r1 python3 "$NAO" client 192.0.2.2 2050 1000 --timeout 3 \
	"md5:192.0.2.2/32:$SECRET" >"$RESULTS/polmd5.cli" 2>&1
check "TCP-MD5 where a tcpao policy applies: the connection fails" test $? -ne 0
kill "$sp" 2>/dev/null
wait "$sp" 2>/dev/null
m=$(ao_stat r1 md5_conflict)
check "  r1 counted its TCP-MD5 SYNs as md5-conflict ($m)" test "$m" -gt 0
done_testing
