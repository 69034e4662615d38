#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A rollover by configuration file against Linux's own TCP-AO,
# on the native kernel: the peer is not tcpao, so a live session that did
# not follow its file would be caught by someone else's verdict.
#
# Namespace "tc" is configured only by tcpao.service's own commands
# (tcpao-apply /etc/tcpao/tcpao.conf, run with "ip netns exec", which gives
# it /etc/netns/tc/tcpao) and protects a plain TCP peer; in "lx",
# tests/tools/aopeer holds key 0 and key 1 on its socket (TCP_AO_ADD_KEY),
# as a router configured for the rollover ahead of time does.  With a
# paced transfer running both ways, key 1 is added to tcpao's file with a
# start time LEAD s ahead and the service reloaded.  At that time Linux
# moves to key 1 (TCP_AO_INFO current_key and rnext, told to, as Junos or
# IOS-XR do at a key's start time) and tcpao's live session, by its start
# time, too.  Asserted: the reload succeeds; both streams arrive whole
# and each side confirms the other's SHA-256; from one second after the
# start time only key 1 is on the wire, both ways, and before it only
# key 0; every MAC verifies (tests/tools/aoverify.py, from the RFCs);
# Linux counts no bad MAC and no segment without a key, tcpao no failure.
#
# Before reloads changed only what differs, the reload flushed and replayed: the live connection
# stayed on the orphaned key set without key 1, dropped Linux's key-1
# segments (key-not-found) and the transfer stalled at the start time.
. "$(dirname "$0")/../../lib.sh"
. "$(dirname "$0")/../../lib-ao.sh"
require tcpdump python3

AOPEER=$TCPAO_SRC/build/tools/aopeer
PCAPAO=$TCPAO_SRC/tests/tools/pcapao.py
[ -x "$AOPEER" ] || bail "$AOPEER missing (tests/vm/run builds it: make -C tests/tools)"
"$AOPEER" probe 2>/dev/null ||
	skip_all "this kernel has no TCP-AO of its own (CONFIG_TCP_AO): run it on --kernel native"

LEAD=20
RATE=8000
BYTES=$((RATE * (LEAD + 8)))	# the transfers outlast the start time by 8 s

TC4=192.0.2.1 LX4=192.0.2.2
topo_two tc lx $TC4/24 $LX4/24

# ---- tcpao.service, as systemd would run it, in namespace tc ----
unit() {
	sed -e "s|@LIBEXECDIR@|$TCPAO_SRC/packaging|g" -e 's|@SYSCONFDIR@|/etc|g' \
		-e "s|@SBINDIR@|$(dirname "$AOCTL")|g" \
		"$TCPAO_SRC/packaging/systemd/tcpao.service.in" | sed -n "s/^$1=//p"
}
service() { # start|reload
	local cmd
	cmd=$(unit ExecReload)
	[ "$1" = start ] && cmd=$(unit ExecStart)
	# shellcheck disable=SC2046,SC2086 # the unit's words
	(umask 077 && in_ns tc env $(unit Environment) $cmd) >"$RESULTS/service-$1.log" 2>&1 ||
		{ sed 's/^/#   /' "$RESULTS/service-$1.log"; return 1; }
}

S0="native key zero #0"
S1="native key one"
CONF=/etc/netns/tc/tcpao
mkdir -p /etc/tcpao "$CONF/keys"
chmod 700 "$CONF" "$CONF/keys"
(umask 077 && printf '%s' "$S0" >"$CONF/keys/key0")
# write_conf [START1]: key 0, key 1 too when START1 is given, the policy.
write_conf() {
	{
		echo "# tc, written by native/keys.sh"
		echo "keychain add kc key 0 secret-file \"/etc/tcpao/keys/key0\" send-id 1 recv-id 2 tcp-ao-option enabled"
		[ -z "${1:-}" ] ||
			echo "keychain add kc key 1 secret \"$S1\" send-id 11 recv-id 12 tcp-ao-option enabled start-time $1"
		echo "peer add $LX4/32 keychain kc port 1100"
	} >"$CONF/tcpao.conf.new"
	chmod 600 "$CONF/tcpao.conf.new"
	mv "$CONF/tcpao.conf.new" "$CONF/tcpao.conf"
}
# For the capture verifier: both keys, as tcpao's side holds them.
KEYS=$RESULTS/keys.batch
printf 'keychain add kc key 0 secret "%s" send-id 1 recv-id 2 tcp-ao-option enabled\nkeychain add kc key 1 secret "%s" send-id 11 recv-id 12 tcp-ao-option enabled\n' \
	"$S0" "$S1" >"$KEYS"

write_conf
check "tcpao.service start: key 0 and the policy from tcpao.conf" service start

# ---- the session: Linux listens, tcpao's side connects, paced both ways ----
NCAP=$(mktemp -d /tmp/native-keys.XXXXXX)
on_exit "rm -rf '$NCAP'"
(exec ip netns exec tc tcpdump -i to-lx -s 0 -B 8192 -U -n --immediate-mode \
	-w "$NCAP/c.pcap" tcp port 1100) >"$RESULTS/tcpdump.log" 2>&1 &
cap=$!
wait_for 10 grep -q listening "$RESULTS/tcpdump.log"

# The start time, whole seconds: the file's start-time has no fraction.
start=$(($(date +%s) + LEAD + 3))
go=$RESULTS/go
in_ns lx "$AOPEER" listen $LX4 1100 \
	--key "send=2,recv=1,secret=$S0,current,rnext" --key "send=12,recv=11,secret=$S1" \
	--at "time=$start:current=12" --at "time=$start:rnext=11" \
	--send $BYTES --rate $RATE --deadline 60 --hold "$go" \
	--out "$RESULTS/lx.json" 2>"$RESULTS/lx.err" &
pl=$!
wait_for 10 grep -q listening "$RESULTS/lx.err"
in_ns tc "$AOPEER" connect $LX4 1100 --send $BYTES --rate $RATE --deadline 60 --hold "$go" \
	--out "$RESULTS/tc.json" 2>"$RESULTS/tc.err" &
pc=$!
wait_for 10 sh -c "'$AOCTL' -n tc conn show | grep -q established"

write_conf "$(date -u -d "@$start" +%Y-%m-%d.%H:%M:%S)"
check "tcpao.service reload under the live session: key 1 added, start time in $((start - $(date +%s))) s" \
	service reload
"$AOCTL" -n tc conn show detail >"$RESULTS/conn-after-reload.txt" 2>&1

# Until both hold the connection idle, or one of them gave up.
for _ in $(seq 400); do
	[ "$(cat "$RESULTS/lx.err" "$RESULTS/tc.err" | grep -c quiet)" = 2 ] && break
	kill -0 $pl 2>/dev/null && kill -0 $pc 2>/dev/null || break
	sleep 0.2
done
"$AOCTL" -n tc -j stats >"$RESULTS/stats.json"
"$AOCTL" -n tc conn show detail >"$RESULTS/conn-end.txt" 2>&1
touch "$go"
wait $pl
rl=$?
wait $pc
rc=$?
sleep 0.3
kill -TERM $cap 2>/dev/null
wait $cap 2>/dev/null
cp "$NCAP/c.pcap" "$RESULTS/c.pcap"
sed 's/^/#   /' "$RESULTS/lx.err" "$RESULTS/tc.err" | grep -v 'quiet\|listening'

check_eq "both streams whole, each side confirms the other's SHA-256 (exit codes)" "0 0" "$rl $rc"
check "Linux moved to key 1 at the start time (current_key 12, rnext 11), no bad MAC, no segment without a key" \
	python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
a = r["actions"]
assert [(x["done"], x["result"]) for x in a] == [(True, "ok")] * 2, a
i = r["info"]
assert (i["current_key"], i["rnext"]) == (12, 11), i
assert i["pkt_good"] > 0 and i["pkt_bad"] == 0 and i["pkt_key_not_found"] == 0, i' "$RESULTS/lx.json"
check "tcpao: segments verified and signed, none failed" python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))
assert s["good"] > 0 and s["signed"] > 0, s
bad = {k: s[k] for k in ("bad_mac", "key_not_found", "ao_required", "malformed",
       "key_expired", "key_not_yet_valid", "no_send_key", "tx_error") if s[k]}
assert not bad, bad' "$RESULTS/stats.json"

ids() { # WHEN TIME: "tcpao-side KeyIDs / Linux KeyIDs" --after or --before TIME
	python3 "$PCAPAO" --keyids "--$1" "$2" "$RESULTS/c.pcap" | awk -v a="$TC4:" '
		{ d = index($1, a) == 1 ? "tc" : "lx"; $1 = ""; v[d] = substr($0, 2) }
		END { print v["tc"] " / " v["lx"] }'
}
diag "KeyIDs (tcpao's side / Linux), whole capture: $(ids after 0)"
check_eq "capture: before the start time, key 0 only (KeyID 1 / 2)" "1 / 2" "$(ids before "$start")"
check_eq "capture: from 2 s after it, key 1 only (KeyID 11 / 12)" "11 / 12" "$(ids after $((start + 2)))"
check "capture: every segment signed (KeyIDs 1, 2, 11, 12), every MAC verified" \
	python3 "$TCPAO_SRC/tests/tools/aoverify.py" --keys "$KEYS" --keyids 1,2,11,12 \
	"$RESULTS/c.pcap"

done_testing
