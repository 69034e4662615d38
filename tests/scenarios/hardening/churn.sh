#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 900
#
# Churn, part 1: 10,000 configuration changes (keys added to
# and deleted from the keychain the connections use and from another one,
# peer policies added and deleted for other prefixes, the tolerance
# changed) on both ends while a rate-limited bulk transfer and idle
# BGP-like sessions run over protected connections: no change may cost
# them a segment (zero bad MACs or other drops, every segment one end
# signed the other verified, the bulk stream intact), and the configuration
# ends as it started.
#
# Part 2: network namespaces deleted with live protected connections (a
# bulk transfer in flight, idle sessions, a socket binding), their owner
# killed first: the namespace of one end, then the other; both at once;
# and one whose only connection has a socket binding, which holds its
# socket until the collector notices.  Each must really go (its veth peer
# disappears); the harness fails the run on any splat or leak.
#
# HARDEN_CHURN (default 10000): configuration changes.
. "$(dirname "$0")/../../lib.sh"
. "$TCPAO_SRC/tests/tools/harden-lib.sh"

CHANGES=${HARDEN_CHURN:-10000}
BATCH=1000

hd_topo
check "keychains and peer policies r1/r2 (all ports)" hd_protect
check "a spare keychain on each end" sh -c \
	"'$AOCTL' -n r1 keychain add spare && '$AOCTL' -n r2 keychain add spare"
"$AOCTL" -n r1 -j keychain show detail >"$RESULTS/kc-r1-before.json"
"$AOCTL" -n r2 -j keychain show detail >"$RESULTS/kc-r2-before.json"
"$AOCTL" -n r1 -j peer show >"$RESULTS/peer-r1-before.json"
"$AOCTL" -n r2 -j peer show >"$RESULTS/peer-r2-before.json"

hd_sessions_start s4,r2,r1,192.0.2.2,179,interval=2 \
	s6,r2,r1,2001:db8::2,179,interval=2 \
	b4,r2,r1,192.0.2.2,5001,bulk,rate=1500000,hold=60
hd_sessions_alive "idle sessions (IPv4, IPv6) and a bulk transfer are up"

# One batch: ten changes per round, each round leaving things as it found
# them.  Keys 1-40 start in 2090 (never sent with), with IDs far from key
# 0's; the secrets are test values.
mkbatch() {
	_from=$1 _rounds=$2
	awk -v from="$_from" -v rounds="$_rounds" 'BEGIN {
	for (r = from; r < from + rounds; r++) {
		k = 1 + r % 40; x = 1 + r % 200; t = 60 + r % 3600
		printf "keychain add kc key %d secret-hex %08x%08x send-id %d recv-id %d start-time 2090-01-01.%02d:%02d:%02d cryptographic-algorithm %s\n",
			k, r, k, 100 + k, 200 + k, k % 24, r % 60, k % 60,
			(r % 2) ? "aes-128-cmac-96" : "hmac-sha-1-96"
		printf "peer add 198.51.100.%d keychain kc\n", x
		printf "keychain set kc tolerance %d\n", t
		printf "keychain add spare key %d secret churn%d send-id %d recv-id %d\n", k, r, k, k
		printf "peer add 2001:db8:100::%x/128 keychain spare port %d\n", x, 1 + r % 65535
		printf "keychain del kc key %d\n", k
		printf "peer del 198.51.100.%d\n", x
		printf "keychain del spare key %d\n", k
		printf "peer del 2001:db8:100::%x/128 port %d\n", x, 1 + r % 65535
		printf "keychain set kc tolerance 3600\n"
	}
	}'
}

done_changes=0
failed=0
start=$(date +%s)
i=0
while [ $done_changes -lt "$CHANGES" ]; do
	ns=r$((1 + i % 2))
	n=$(((CHANGES - done_changes) / 10))
	[ $n -le $((BATCH / 10)) ] || n=$((BATCH / 10))
	[ $n -gt 0 ] || n=1
	f=$RESULTS/churn-$i.batch
	(umask 077 && mkbatch $((i * BATCH / 10)) $n >"$f")
	if ! "$AOCTL" -n $ns -b "$f" >"$RESULTS/churn-$i.out" 2>&1; then
		failed=$((failed + 1))
		diag "batch $i ($ns): $(tail -n 3 "$RESULTS/churn-$i.out")"
	fi
	done_changes=$((done_changes + n * 10))
	i=$((i + 1))
done
diag "churn: $done_changes changes in $i batches, $(($(date +%s) - start)) s"
check_eq "every batch of changes applied" 0 "$failed"
hd_full "configuration changes while the sessions ran" "$done_changes" 10000 "$CHANGES"

hd_sessions_alive "the sessions and the bulk transfer stayed up"
read -r _ _ lp4 _ rp4 _ <"$RESULTS/s4.status"
read -r _ _ lpb _ rpb _ <"$RESULTS/b4.status"
hd_sessions_stop
sleep 1
hd_fetch r1 r2
for ns in r1 r2; do
	for c in bad_mac key_not_found ao_required malformed no_state \
		key_expired key_not_yet_valid no_send_key no_option_space \
		tx_error md5_conflict; do
		v=$(hd_stat $ns $c)
		[ "$v" = 0 ] || not_ok "$ns counted no $c" "$c = $v"
	done
	ok "$ns dropped nothing and sent everything ($(hd_stat $ns good) verified, $(hd_stat $ns signed) signed)"
done
for s in "idle $lp4 $rp4" "bulk $lpb $rpb"; do
	set -- $s
	check_eq "$1 session: every segment r1 signed, r2 verified" \
		"$(hd_conn r1 "$2" "$3" signed)" "$(hd_conn r2 "$3" "$2" good)"
	check_eq "$1 session: every segment r2 signed, r1 verified" \
		"$(hd_conn r2 "$3" "$2" signed)" "$(hd_conn r1 "$2" "$3" good)"
done
# The same JSON but for the connection counts (the sessions come and go)
# and the keychains' generations (each change published a key set).
same_but_conns() {
	python3 -c '
import json, sys
def strip(o):
    if isinstance(o, dict):
        return {k: strip(v) for k, v in o.items()
                if k not in ("connections", "generation")}
    if isinstance(o, list):
        return [strip(v) for v in o]
    return o
a, b = (strip(json.load(open(f))) for f in sys.argv[1:3])
if a != b:
    print(a, b, sep="\n")
sys.exit(a != b)' "$1" "$2"
}
for ns in r1 r2; do
	"$AOCTL" -n $ns -j keychain show detail >"$RESULTS/kc-$ns-after.json"
	"$AOCTL" -n $ns -j peer show >"$RESULTS/peer-$ns-after.json"
	hd_unfetch
	check "$ns: peer policies as before the churn" \
		same_but_conns "$RESULTS/peer-$ns-before.json" "$RESULTS/peer-$ns-after.json"
	check "$ns: keychains as before the churn (keys, tolerance)" \
		same_but_conns "$RESULTS/kc-$ns-before.json" "$RESULTS/kc-$ns-after.json"
done

# ---- Part 2: namespaces deleted under live protected connections ----
dtopo() {
	ip netns add d1 && ip netns add d2 &&
	_lib_ns="$_lib_ns d1 d2" &&
	ip link add to-d2 netns d1 type veth peer name to-d1 netns d2 &&
	printf '%s\n' "link set lo up" "addr add 10.9.0.1/24 dev to-d2" \
		"addr add 2001:db8:9::1/64 dev to-d2 nodad" "link set to-d2 up" |
		ip -n d1 -b - &&
	printf '%s\n' "link set lo up" "addr add 10.9.0.2/24 dev to-d1" \
		"addr add 2001:db8:9::2/64 dev to-d1 nodad" "link set to-d1 up" |
		ip -n d2 -b - &&
	printf '%s\n' "keychain add kc key 0 secret-hex 0x0102030405060708 send-id 1 recv-id 2" \
		"peer add 10.9.0.2 keychain kc" "peer add 2001:db8:9::2 keychain kc" |
		"$AOCTL" -n d1 -b - &&
	printf '%s\n' "keychain add kc key 0 secret-hex 0x0102030405060708 send-id 2 recv-id 1" \
		"peer add 10.9.0.1 keychain kc" "peer add 2001:db8:9::1 keychain kc" |
		"$AOCTL" -n d2 -b -
}
gone() {
	! ip -n "$1" link show "$2" >/dev/null 2>&1
}
# Whether a namespace really went: its veth peer goes with it.
for how in one-then-other both bound-socket; do
	dtopo || bail "namespaces d1/d2"
	rm -rf "$RESULTS/d-$how"
	mkdir -p "$RESULTS/d-$how"
	if [ $how = bound-socket ]; then
		specs="d7,d2,d1,10.9.0.2,180,bind"
	else
		specs="d4,d2,d1,10.9.0.2,179 d6,d2,d1,2001:db8:9::2,179
			db,d2,d1,10.9.0.2,5001,bulk d7,d2,d1,10.9.0.2,180,bind"
	fi
	python3 "$HD_TOOLS/sessions.py" --dir "$RESULTS/d-$how" $specs \
		>"$RESULTS/d-$how/sessions.out" 2>&1 &
	dpid=$!
	prot=0 n=0
	for s in $specs; do
		s=${s%%,*}
		n=$((n + 1))
		wait_for 120 test -s "$RESULTS/d-$how/$s.status" ||
			diag "$how: session $s: $(cat "$RESULTS/d-$how/$s.fail" 2>/dev/null)"
		# The client end has a connection entry (0x20000) and is
		# not unprotected (1).
		read -r _ _ _ _ _ _ fl _ <"$RESULTS/d-$how/$s.status"
		[ $((0x${fl:-0} & 0x20001)) = $((0x20000)) ] && prot=$((prot + 1))
	done
	check_eq "$how: $n live protected connection(s), one with a socket binding" $n $prot
	sleep 2
	kill -KILL $dpid
	wait $dpid 2>/dev/null
	case $how in
	one-then-other)
		ip netns delete d2
		check "$how: d2 went, d1 still had its ends" wait_for 60 gone d1 to-d2
		ip netns delete d1
		;;
	both)
		ip netns delete d1
		ip netns delete d2
		;;
	bound-socket)
		# The binding holds its socket, which holds d1, until the
		# collector sees the socket closed.
		ip netns delete d1
		check "$how: d1 went despite the binding" wait_for 60 gone d2 to-d1
		ip netns delete d2
		;;
	esac
	_lib_ns=$(echo "$_lib_ns" | sed 's/ d1//; s/ d2//')
done
# Deleted namespaces go in the background: give them time, then check
# the main namespaces still work.
sleep 10
check "r1 and r2 still answer (aoctl stats)" sh -c \
	"'$AOCTL' -n r1 stats >/dev/null && '$AOCTL' -n r2 stats >/dev/null"

done_testing
