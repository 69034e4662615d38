#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 900
#
# SYN flood: 100,000 SYNs with bad MACs, from spoofed addresses
# and ports of the protected prefixes (IPv4 and IPv6), at a protected
# listener.  Every one must be dropped and counted (bad-mac), none may
# create connection state (the connections gauge stays flat, no connection
# is created but the legitimate one, TCP never sees a request), memory must
# stay flat, and a legitimate client must still connect during the flood,
# protected, and keep its session up.
#
# Memory: unreclaimable slab before and after.  On the debug kernel KASAN's
# quarantine keeps freed objects (every flooded skb) as slab until it holds
# 1/32 of RAM, so the allowance there is that plus 16 MB; elsewhere 16 MB.
# TCP request sockets (their own slab cache) and tcpao's connection table
# are exact.
#
# HARDEN_SYNS (default 100000): how many SYNs, sent by two flooders, at
# least; they go on for HARDEN_FLOOD_SECONDS (default 12) in any case.
. "$(dirname "$0")/../../lib.sh"
. "$TCPAO_SRC/tests/tools/harden-lib.sh"

SYNS=${HARDEN_SYNS:-100000}

hd_topo
protect() {
	hd_protect 179 &&
	printf '%s\n' "peer del 192.0.2.1 port 179" "peer del 2001:db8::1 port 179" \
		"peer add 192.0.2.0/24 keychain kc port 179" \
		"peer add 2001:db8::/64 keychain kc port 179" |
		"$AOCTL" -n r2 -b -
}
check "keychains; r2 protects 192.0.2.0/24 and 2001:db8::/64 on port 179" protect
sysctl -qw net.core.netdev_max_backlog=10000

# The listener is open from now on; its legitimate client connects later.
# (hd_sessions_start waits for it to be up: start it by hand.)
hd_sessions_start_bg l4,r2,r1,192.0.2.2,179,delay,interval=1
check "the protected listener is up" wait_for 60 in_ns r2 sh -c \
	"ss -Hltn 'sport = :179' | grep -q ."

req_socks() {
	awk '$1 ~ /^request_sock_TCP/ { n += $2 } END { print n + 0 }' /proc/slabinfo
}
syn_recv() {
	in_ns r2 ss -Htn state syn-recv | wc -l
}
created0=$(hd_stat r2 connections_created)
bad0=$(hd_stat r2 bad_mac)
slab0=$(hd_slab)
req0=$(req_socks)

flood() {
	in_ns r1 python3 "$HD_TOOLS/synflood.py" --iface to-r2 --smac $HD_MAC1 \
		--dmac $HD_MAC2 --dst4 192.0.2.2 --net4 192.0.2. \
		--dst6 2001:db8::2 --net6 2001:db8:: --port 179 --keyid 10 \
		--rnext 20 --count "$1" --v6-percent "$2" --seed "$3" \
		--min-seconds "${HARDEN_FLOOD_SECONDS:-12}" \
		--until "$RESULTS/flood.stop"
}
start=$(date +%s)
flood $((SYNS / 2)) 0 1 >"$RESULTS/flood1.out" 2>&1 &
f1=$!
flood $((SYNS - SYNS / 2)) 40 2 >"$RESULTS/flood2.out" 2>&1 &
f2=$!
on_exit "kill $f1 $f2"
wait_for 120 grep -q sending "$RESULTS/flood1.out"
wait_for 120 grep -q sending "$RESULTS/flood2.out"
sleep 3

# During the flood: no state, and the legitimate client gets through.
check_eq "during the flood: no half-open connection in TCP" 0 "$(syn_recv)"
check_eq "during the flood: tcpao's connection table is empty" 0 \
	"$(hd_stat r2 connections)"
t=$(date +%s)
bad_t=$(hd_stat r2 bad_mac)
echo "connect l4" >"$HD_FIFO"
if hd_sessions_wait l4 120; then
	ok "a legitimate client connected during the flood ($(($(date +%s) - t)) s)"
else
	not_ok "a legitimate client connected during the flood" \
		"$(cat "$RESULTS/l4.fail" 2>/dev/null)"
fi
# The flooders go on until flood.stop exists (synflood.py --until), and
# the flood's SYNs kept arriving while the client connected.
bad_c=$(hd_stat r2 bad_mac)
if kill -0 $f1 2>/dev/null && kill -0 $f2 2>/dev/null &&
	[ "$bad_c" -gt "$bad_t" ]; then
	ok "the flood was still going on then ($((bad_c - bad_t)) SYNs dropped meanwhile)"
else
	not_ok "the flood was still going on then" \
		"bad_mac $bad_t -> $bad_c; $(cat "$RESULTS"/flood*.out)"
fi
mid_conns=$(hd_stat r2 connections)
check_eq "during the flood: one connection, the legitimate one" 1 "$mid_conns"
touch "$RESULTS/flood.stop"
wait $f1
wait $f2
diag "flood: $(($(date +%s) - start)) s; $(grep -h SENT "$RESULTS"/flood*.out | tr '\n' ' ')"
sent=$(($(sed -n 's/^SENT \([0-9]*\).*/\1/p' "$RESULTS/flood1.out") + \
	$(sed -n 's/^SENT \([0-9]*\).*/\1/p' "$RESULTS/flood2.out")))
hd_full "SYNs with bad MACs sent" "$sent" 100000 "$SYNS"

# The victim may still be working through its backlog: wait (30 s at
# most) until the counter reaches what was sent, then compare exactly.
for _ in $(seq 60); do
	[ $(($(hd_stat r2 bad_mac) - bad0)) -lt "$sent" ] || break
	sleep 0.5
done
check_eq "every SYN dropped and counted as bad-mac" "$sent" \
	$(($(hd_stat r2 bad_mac) - bad0))
check_eq "connections created: only the legitimate one" 1 \
	$(($(hd_stat r2 connections_created) - created0))
check_eq "the connections gauge stayed flat (one)" 1 "$(hd_stat r2 connections)"
check_eq "no TCP request socket was allocated" "$req0" "$(req_socks)"
slab1=$(hd_slab)
allow=16384
[ "$KERNEL_FLAVOR" != debug ] ||
	allow=$((allow + $(awk '/^MemTotal:/ { print $2 }' /proc/meminfo) / 32))
diag "unreclaimable slab: $slab0 kB before, $slab1 kB after (allowed growth $allow kB)"
if [ $((slab1 - slab0)) -le $allow ]; then
	ok "memory flat: slab grew by $((slab1 - slab0)) kB (allowed $allow kB)"
else
	not_ok "memory flat" "slab grew by $((slab1 - slab0)) kB, allowed $allow kB"
fi

hd_sessions_alive "the legitimate session stayed up"
hd_sessions_stop
check_eq "the legitimate session saw no bad MAC on its side (r1)" 0 \
	"$(hd_stat r1 bad_mac)"

done_testing
