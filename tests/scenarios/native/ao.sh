#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tcpao against Linux's own TCP-AO (net/ipv4/tcp_ao.c), an implementation
# we did not write, on the native kernel (Debian 13's linux-source-6.12
# with CONFIG_TCP_AO=y): tcpao protects a plain TCP peer in namespace "tc"
# with peer policies; tests/tools/aopeer uses Linux's TCP_AO_* socket
# options in namespace "lx"; a veth pair joins them.
#
# One guest, two namespaces, rather than two guests joined by a QEMU socket
# netdev: tcpao works per network namespace (its policies, connections and
# counters are those of "tc"; "lx" has none, so tcpao leaves its segments
# alone) and Linux's TCP-AO per socket, so one kernel hosts both ends
# without either touching the other's segments, and the veth between them
# is a wire whose capture shows exactly what each side sent.  Two guests
# would double the boot and the memory, run two TCG vCPU sets on two host
# cores, and put the two ends on different clocks, when the rollover by
# start time needs both on one.  What the two ends do share is the
# kernel's crypto API (AES, SHA-1): a flaw there would hit both the same
# way, which is why every capture also goes through the independent MAC
# verifier (tests/tools/aoverify.py, Python's hmac and cryptography).
#
# Cases (each its own port, keychain and capture):
#   1  IPv4, Linux connects; hmac-sha-1-96, options covered; 2 MB each
#      way; Linux's ISN just below 2^32: Linux's sending SNE wraps 0 -> 1
#   2  IPv6, tcpao's side connects; aes-128-cmac-96 with a 20-byte secret
#      (RFC 5926 key normalisation), options excluded; 2 MB each way;
#      tcpao's side's ISN just below 2^32: tcpao's sending SNE wraps
#   3  IPv4, tcpao's side connects; aes-128-cmac-96, options covered
#   4  IPv6, Linux connects; hmac-sha-1-96, options excluded
#   5  rollover driven by Linux's RNextKeyID (IPv4, Linux connects): tcpao
#      holds key 1 pending (start time in 30 minutes); Linux asks for it
#      (TCP_AO_INFO set_rnext) and tcpao sends with it from then on
#   6  rollover driven by tcpao's start time (IPv6, tcpao's side connects,
#      paced traffic): at key 1's start time tcpao advertises key 1's
#      RecvID; Linux moves its Current_key by itself and asks for key 1
#      back (aopeer --follow); then it deletes key 0 (TCP_AO_DEL_KEY)
#   7  a connection refused by tcpao's side (no listener): its signed RST,
#      which Linux in SYN-SENT verifies (ECONNREFUSED at once)
#   8  wrong secrets, both directions: no connection, counted as bad MACs
# For 1-6: both sides confirm the other's SHA-256; tcpao and Linux derive
# from the same ISNs; Linux's TCP_AO_INFO shows good > 0, bad = 0; tcpao's
# "aoctl -j conn show" agrees (its signed = Linux's good, its good = Linux's
# segments sent), and "aoctl -j stats" has no failure.
. "$(dirname "$0")/../../lib.sh"
. "$(dirname "$0")/../../lib-ao.sh"

AOPEER=$TCPAO_SRC/build/tools/aopeer
AOPAIR=$TCPAO_SRC/tests/tools/aopair.py
[ -x "$AOPEER" ] || bail "$AOPEER missing (tests/vm/run builds it: make -C tests/tools)"
"$AOPEER" probe 2>/dev/null ||
	skip_all "this kernel has no TCP-AO of its own (CONFIG_TCP_AO): run it on --kernel native"

# The counters of the two sides are compared segment for segment: no
# segment may be lost between them.  veth drops what overflows the
# receiving CPU's backlog (1000 packets), which a TCG guest can reach.
backlog=$(sysctl -n net.core.netdev_max_backlog)
sysctl -qw net.core.netdev_max_backlog=100000
on_exit "sysctl -qw net.core.netdev_max_backlog=$backlog"

TC4=192.0.2.1 LX4=192.0.2.2 TC6=2001:db8:1::1 LX6=2001:db8:1::2
topo_two tc lx $TC4/24 $LX4/24 $TC6/64 $LX6/64
WRAP=$((0xffffffff - 1000000))	# 1 MB below 2^32
MB2=$((2 * 1000 * 1000))

at() { date -u -d "@$(($(date +%s) + $1))" +%Y-%m-%d.%H:%M:%S; }

# tc_key KC ID SEND RECV ALG OPT SECRET [START]: a key on tcpao's side
# (lib-ao.sh's ao_key: the secret goes to a root-only file), also written
# to keys.batch for the capture verifier; sf KC ID: that file, for Linux.
KEYS=$RESULTS/keys.batch
tc_key() {
	ao_key tc "$@" || return 1
	printf 'keychain add %s key %s secret-file %s send-id %s recv-id %s cryptographic-algorithm %s tcp-ao-option %s\n' \
		"$1" "$2" "$(sf "$1" "$2")" "$3" "$4" "$5" "$6" >>"$KEYS"
}
sf() { echo "$AO_SECRETS/tc-$1-$2"; }

# ncap_start NAME PORT / ncap_stop NAME: whole packets (the MACs cover the
# data) on tcpao's side of the wire, written to the guest's tmpfs (over
# 9p tcpdump can fall behind) and copied to $RESULTS/NAME.pcap at the end.
NCAP=$(mktemp -d /tmp/native-cap.XXXXXX)
on_exit "rm -rf '$NCAP'"
ncap_start() {
	(exec ip netns exec tc tcpdump -i to-lx -s 0 -B 8192 -U -n --immediate-mode \
		-w "$NCAP/$1.pcap" tcp port "$2") >"$RESULTS/$1.tcpdump.log" 2>&1 &
	eval "ncap_$1=$!"
	wait_for 10 grep -q listening "$RESULTS/$1.tcpdump.log"
}
ncap_stop() {
	local p
	eval "p=\$ncap_$1"
	sleep 0.3
	kill -TERM "$p" 2>/dev/null
	wait "$p" 2>/dev/null
	cp "$NCAP/$1.pcap" "$RESULTS/$1.pcap"
}

# --- The tool itself first: a plain exchange over loopback, ISN below 2^32 ----
self_test() {
	local go=$RESULTS/self.go
	"$AOPEER" listen 127.0.0.1 999 --send 300000 --quiet-ms 0 \
		--out "$RESULTS/self-l.json" 2>"$RESULTS/self-l.err" &
	local p=$!
	wait_for 10 grep -q listening "$RESULTS/self-l.err" || return 1
	"$AOPEER" connect 127.0.0.1 999 --send 700000 --isn $WRAP --quiet-ms 0 \
		--out "$RESULTS/self-c.json" 2>"$RESULTS/self-c.err" || return 1
	wait $p || return 1
	python3 - "$RESULTS/self-l.json" "$RESULTS/self-c.json" <<'EOF'
import json, sys
l, c = (json.load(open(f)) for f in sys.argv[1:3])
assert l["peer_confirms"] and c["peer_confirms"], (l, c)
assert l["received_sha256"] == c["sent_sha256"] and c["received_sha256"] == l["sent_sha256"]
assert (l["received"], c["received"]) == (700000, 300000)
EOF
}
check "aopeer: plain exchange over loopback, both hashes confirmed" self_test

# --- One connection between the two sides -----------------------------------------
# pair NAME WHO FAMILY PORT 'LINUX OPTIONS' 'TCPAO-SIDE OPTIONS'
# WHO connects: lx (Linux, to tcpao's side) or tc (tcpao's side, to Linux).
# Both peers hold the connection idle at the end (aopeer --hold) while
# "aoctl conn show" is taken, so that the two sides' counters are of one
# moment.  Reports: $RESULTS/NAME-{lx,tc,conns}.json.
pair() {
	local name=$1 who=$2 fam=$3 port=$4 lxo=$5 tco=$6 tca lxa go pl pc
	if [ "$fam" = 4 ]; then tca=$TC4 lxa=$LX4; else tca=$TC6 lxa=$LX6; fi
	go=$RESULTS/$name.go
	rm -f "$go"
	# shellcheck disable=SC2086 # option words
	if [ "$who" = lx ]; then
		in_ns tc "$AOPEER" listen "$tca" "$port" $tco --hold "$go" \
			--out "$RESULTS/$name-tc.json" 2>"$RESULTS/$name-tc.err" &
		pl=$!
		wait_for 10 grep -q listening "$RESULTS/$name-tc.err" || return 1
		in_ns lx "$AOPEER" connect "$tca" "$port" $lxo --hold "$go" \
			--out "$RESULTS/$name-lx.json" 2>"$RESULTS/$name-lx.err" &
		pc=$!
	else
		in_ns lx "$AOPEER" listen "$lxa" "$port" $lxo --hold "$go" \
			--out "$RESULTS/$name-lx.json" 2>"$RESULTS/$name-lx.err" &
		pl=$!
		wait_for 10 grep -q listening "$RESULTS/$name-lx.err" || return 1
		in_ns tc "$AOPEER" connect "$lxa" "$port" $tco --hold "$go" \
			--out "$RESULTS/$name-tc.json" 2>"$RESULTS/$name-tc.err" &
		pc=$!
	fi
	# Until both hold the connection idle, or one of them gave up.
	local i
	for i in $(seq 600); do
		grep -q quiet "$RESULTS/$name-lx.err" "$RESULTS/$name-tc.err" 2>/dev/null &&
			[ "$(cat "$RESULTS/$name-lx.err" "$RESULTS/$name-tc.err" | grep -c quiet)" = 2 ] &&
			break
		kill -0 "$pl" 2>/dev/null && kill -0 "$pc" 2>/dev/null || break
		sleep 0.2
	done
	"$AOCTL" -n tc -j conn show detail >"$RESULTS/$name-conns.json"
	touch "$go"
	wait "$pl"
	local r1=$?
	wait "$pc"
	local r2=$?
	sed 's/^/#   /' "$RESULTS/$name-lx.err" "$RESULTS/$name-tc.err" | grep -v 'quiet\|listening'
	[ $r1 -eq 0 ] && [ $r2 -eq 0 ]
}

# verdict NAME CHECK...: aopair.py's checks as TAP lines.
verdict() {
	local name=$1 line
	shift
	python3 "$AOPAIR" "$RESULTS/$name-lx.json" "$RESULTS/$name-tc.json" \
		"$RESULTS/$name-conns.json" "$@" >"$RESULTS/$name.verdict" 2>&1
	while IFS= read -r line; do
		case $line in
		"ok: "*) ok "  ${line#ok: }" ;;
		"FAIL: "*) not_ok "  ${line#FAIL: }" ;;
		*) diag "${line#\# }" ;;
		esac
	done <"$RESULTS/$name.verdict"
}

# verify NAME KEYID...: every segment of capture NAME carries TCP-AO with
# one of the KeyIDs and its MAC verifies: tests/tools/aoverify.py, written
# from the RFCs, recomputes each from the keys, the ISNs and the SNEs.
verify() {
	local name=$1 ids
	shift
	ids=$(echo "$@" | tr ' ' ,)
	check "  capture $name: every segment signed (KeyIDs $ids), every MAC verified" \
		python3 "$TCPAO_SRC/tests/tools/aoverify.py" --keys "$KEYS" --keyids "$ids" \
		"$RESULTS/$name.pcap"
}

# --- 1. IPv4, Linux connects, HMAC-SHA-1, options covered, SNE wrap ---------------
tc_key k1 0 1 2 hmac-sha-1-96 enabled "native test one" &&
	ao tc peer add $LX4 keychain k1 port 1001
ncap_start c1 1001
check "1: IPv4, Linux connects, hmac-sha-1-96, options covered, 2 MB each way across Linux's 2^32 wrap" \
	pair c1 lx 4 1001 "--key send=2,recv=1,secret-file=$(sf k1 0) --isn $WRAP --send $MB2" \
	"--send $MB2"
ncap_stop c1
verdict c1 keys=1/2 native=2/1 sne=*/1 isn=$WRAP
verify c1 1 2

# --- 2. IPv6, tcpao's side connects, AES-128-CMAC 20-byte secret, options excluded, SNE wrap
tc_key k2 0 3 4 aes-128-cmac-96 disabled "twenty byte secret!!" &&
	ao tc peer add $LX6 keychain k2 port 1002
ncap_start c2 1002
check "2: IPv6, tcpao's side connects, aes-128-cmac-96 (20-byte secret), options excluded, 2 MB each way across tcpao's 2^32 wrap" \
	pair c2 tc 6 1002 "--key send=4,recv=3,alg=cmac(aes128),exclude-opt,secret-file=$(sf k2 0) --send $MB2" \
	"--isn $WRAP --send $MB2"
ncap_stop c2
verdict c2 keys=3/4 native=4/3 sne=1/* plain_isn=$WRAP
verify c2 3 4

# --- 3. IPv4, tcpao's side connects, AES-128-CMAC, options covered ----------------------
tc_key k3 0 5 6 aes-128-cmac-96 enabled "twenty byte secret!!" &&
	ao tc peer add $LX4 keychain k3 port 1003
ncap_start c3 1003
check "3: IPv4, tcpao's side connects, aes-128-cmac-96, options covered" \
	pair c3 tc 4 1003 "--key send=6,recv=5,alg=aes-128-cmac-96,secret-file=$(sf k3 0) --send 200000" \
	"--send 300000"
ncap_stop c3
verdict c3 keys=5/6 native=6/5 sne=*/*
verify c3 5 6

# --- 4. IPv6, Linux connects, HMAC-SHA-1, options excluded ----------------------------
tc_key k4 0 7 8 hmac-sha-1-96 disabled "native test four" &&
	ao tc peer add $LX6 keychain k4 port 1004
ncap_start c4 1004
check "4: IPv6, Linux connects, hmac-sha-1-96, options excluded" \
	pair c4 lx 6 1004 "--key send=8,recv=7,exclude-opt,secret-file=$(sf k4 0) --send 300000" \
	"--send 200000"
ncap_stop c4
verdict c4 keys=7/8 native=8/7 sne=*/*
verify c4 7 8

# --- 5. Rollover driven by Linux's RNextKeyID ---------------------------------------------
# tcpao's key 1 starts in 30 minutes (pending: usable when the peer asks for
# it, RFC 5925 7.5.2 e); Linux asks for it half-way.  tcpao keeps
# advertising key 0's RecvID (its active key), so Linux keeps sending with
# key 0: only the direction Linux receives rolls over.
tc_key k5 0 10 20 hmac-sha-1-96 enabled "rollover key zero" "$(at -600)" &&
	tc_key k5 1 11 21 hmac-sha-1-96 enabled "rollover key one" "$(at 1800)" &&
	ao tc peer add $LX4 keychain k5 port 1005
ncap_start c5 1005
lxkeys="--key send=20,recv=10,secret-file=$(sf k5 0),current,rnext --key send=21,recv=11,secret-file=$(sf k5 1)"
check "5: rollover driven by Linux's RNextKeyID (TCP_AO_INFO set_rnext half-way; tcpao's key 1 pending)" \
	pair c5 lx 4 1005 "$lxkeys --send 800000 --at bytes=800000:rnext=11" "--send 800000"
ncap_stop c5
verdict c5 keys=11/20 native=20/11 sne=*/*
check "  Linux's set_rnext succeeded" python3 -c '
import json, sys
a = json.load(open(sys.argv[1]))["actions"]
assert [(x["done"], x["result"]) for x in a] == [(True, "ok")], a' "$RESULTS/c5-lx.json"
ids=$(python3 "$TCPAO_SRC/tests/tools/pcapao.py" --keyids "$RESULTS/c5.pcap")
diag "KeyIDs per direction: $(echo "$ids" | tr '\n' ';')"
check_eq "  capture: tcpao's side sent KeyID 10, then 11" "10 11" \
	"$(echo "$ids" | awk -v a="$TC4" 'index($1, a ":") == 1 { $1 = ""; print substr($0, 2) }')"
check_eq "  capture: Linux sent KeyID 20 throughout" "20" \
	"$(echo "$ids" | awk -v a="$LX4" 'index($1, a ":") == 1 { $1 = ""; print substr($0, 2) }')"
verify c5 10 11 20

# --- 6. Rollover driven by tcpao's start time ---------------------------------------------
LEAD=8
start6=$(($(date +%s) + LEAD))
tc_key k6 0 30 40 hmac-sha-1-96 disabled "start time key zero" "$(at -600)" &&
	tc_key k6 1 31 41 hmac-sha-1-96 disabled "start time key one" "$(date -u -d "@$start6" +%Y-%m-%d.%H:%M:%S)" &&
	ao tc peer add $LX6 keychain k6 port 1006
ncap_start c6 1006
lxkeys="--key send=40,recv=30,exclude-opt,secret-file=$(sf k6 0),current,rnext --key send=41,recv=31,exclude-opt,secret-file=$(sf k6 1)"
check "6: rollover driven by tcpao's start time (in ${LEAD}s), paced traffic across it; Linux then deletes key 0" \
	pair c6 tc 6 1006 "$lxkeys --follow --send 150000 --rate 10000 --at time=$((start6 + 5)):del=40/30" \
	"--send 150000 --rate 10000"
ncap_stop c6
verdict c6 keys=31/41 native=41/31 sne=*/*
check "  Linux moved its Current_key to key 1 at tcpao's start time, by itself, then asked for key 1" python3 -c '
import json, sys
ev = json.load(open(sys.argv[1]))["events"]
start = int(sys.argv[2])
moved = [e for e in ev if e["current_key"] == 41]
assert moved and moved[0]["by"] == "peer", ev
assert moved[0]["t"] >= start - 0.5, (moved[0], start)
assert ev[-1]["current_key"] == 41 and ev[-1]["rnext"] == 31, ev
a = json.load(open(sys.argv[1]))["actions"]
assert [(x["done"], x["result"]) for x in a] == [(True, "ok")], a
k = json.load(open(sys.argv[1]))["keys"]
assert [(x["sndid"], x["rcvid"]) for x in k] == [(41, 31)], k
print("# moved at %.1f s after the start time" % (moved[0]["t"] - start))' "$RESULTS/c6-lx.json" "$start6"
verify c6 30 31 40 41

# --- Counters: nothing failed so far ------------------------------------------------------
"$AOCTL" -n tc -j stats >"$RESULTS/stats.json"
check "tcpao stats: segments verified and signed, none failed or left unsigned" python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))
assert s["good"] > 0 and s["signed"] > 0, s
bad = {k: s[k] for k in ("bad_mac", "key_not_found", "ao_required", "malformed",
       "key_expired", "key_not_yet_valid", "no_send_key", "no_option_space",
       "no_state", "tx_error") if s[k]}
assert not bad, bad' "$RESULTS/stats.json"

# --- 7. Refused: tcpao's side signs the RST that answers Linux's SYN -----------------------
tc_key k7 0 50 60 hmac-sha-1-96 enabled "native test seven" &&
	ao tc peer add $LX4 keychain k7 port 1007
ncap_start c7 1007
in_ns lx "$AOPEER" connect $TC4 1007 --key "send=60,recv=50,secret-file=$(sf k7 0)" \
	--timeout 10 --out "$RESULTS/c7-lx.json" 2>"$RESULTS/c7-lx.err"
ncap_stop c7
check "7: Linux's connect to a port nobody listens on: refused (tcpao's RST verified by Linux)" python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
assert r["connect"] == "ECONNREFUSED", r
assert r["connect_seconds"] < 5, r
i = r["info"]
assert i["pkt_good"] == 1 and i["pkt_bad"] == 0 and i["pkt_key_not_found"] == 0, i' \
	"$RESULTS/c7-lx.json"
check_eq "  capture: one SYN, one RST" "1 1" \
	"$(tcpdump -nn -r "$RESULTS/c7.pcap" 2>/dev/null | grep -c 'Flags \[S\]') $(tcpdump -nn -r "$RESULTS/c7.pcap" 2>/dev/null | grep -c 'Flags \[R')"
verify c7 50 60

# --- 8. Wrong secrets, both ways ------------------------------------------------------------
tc_key k8 0 70 80 hmac-sha-1-96 enabled "native test eight" &&
	ao tc peer add $LX4 keychain k8 port 1008 &&
	ao tc peer add $LX6 keychain k8 port 1008
bad0=$(ao_stat tc bad_mac)
ncap_start c8 1008
# Linux -> tcpao's side (IPv4), and tcpao's side -> Linux (IPv6), at once.
in_ns tc "$AOPEER" listen $TC4 1008 --timeout 6 --out "$RESULTS/c8a-tc.json" \
	2>"$RESULTS/c8a-tc.err" &
p1=$!
in_ns lx "$AOPEER" listen $LX6 1008 --key "send=80,recv=70,secret=not-the-secret" \
	--timeout 6 --out "$RESULTS/c8b-lx.json" 2>"$RESULTS/c8b-lx.err" &
p2=$!
wait_for 10 grep -q listening "$RESULTS/c8a-tc.err"
wait_for 10 grep -q listening "$RESULTS/c8b-lx.err"
in_ns lx "$AOPEER" connect $TC4 1008 --key "send=80,recv=70,secret=not-the-secret" \
	--timeout 4 --out "$RESULTS/c8a-lx.json" 2>"$RESULTS/c8a-lx.err" &
p3=$!
in_ns tc "$AOPEER" connect $LX6 1008 --timeout 4 --out "$RESULTS/c8b-tc.json" \
	2>"$RESULTS/c8b-tc.err"
wait $p1 $p2 $p3
ncap_stop c8
check "8: Linux connects with a wrong secret: no connection, tcpao counts bad MACs" python3 -c '
import json, sys
c, l = (json.load(open(f)) for f in sys.argv[1:3])
assert c["connect"] == "ETIMEDOUT" and l["connect"] == "ETIMEDOUT", (c, l)
assert int(sys.argv[4]) > int(sys.argv[3]), sys.argv[3:]' \
	"$RESULTS/c8a-lx.json" "$RESULTS/c8a-tc.json" "$bad0" "$(ao_stat tc bad_mac)"
check "  tcpao's side connects with the other secret: no connection, Linux's listener counts bad MACs" python3 -c '
import json, sys
c, l = (json.load(open(f)) for f in sys.argv[1:3])
assert c["connect"] == "ETIMEDOUT" and l["connect"] == "ETIMEDOUT", (c, l)
i = l["listener"]
assert i["pkt_bad"] > 0 and i["pkt_good"] == 0, i' "$RESULTS/c8b-tc.json" "$RESULTS/c8b-lx.json"
check "  capture: no segment but SYNs (no SYN-ACK, no RST)" sh -c \
	"! tcpdump -nn -r '$RESULTS/c8.pcap' 2>/dev/null | grep -v 'Flags \[S\]'"
# The verifier knows only tcpao's keys: tcpao's SYNs verify, Linux's
# (the other secret) must not.
python3 "$TCPAO_SRC/tests/tools/aoverify.py" --keys "$KEYS" "$RESULTS/c8.pcap" \
	>"$RESULTS/c8.aoverify" 2>&1
check_eq "  capture: the verifier rejects Linux's SYNs with the other secret (exit 1)" 1 $?
sed 's/^/#   /' "$RESULTS/c8.aoverify" | head -n 12

done_testing
