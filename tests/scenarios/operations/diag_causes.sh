#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 600
#
# Diagnosis of segments that fail verification: tcpao on both
# ends, namespace "a" connects to a listener in "b", with deliberately
# mismatched keys.  For each mismatch b drops a's SYN, and must say why:
# its counter for the cause moves, "aoctl monitor" prints the cause and
# the fix, and after applying that fix on b the connection comes up.
#   1  a covers TCP options, b excludes them   -> options-covered
#   2  a excludes TCP options, b covers them   -> options-excluded
#   3  b's send-id and recv-id swapped         -> ids-swapped
#   4  a uses aes-128-cmac-96, b hmac-sha-1-96 -> other-algorithm
#   5  b's key starts in 3 hours (beyond the 1 h tolerance)
#                                              -> key-not-yet-valid
#   6  the diagnosis on a connection entry: b accepts a's SYN (key 0) but
#      answers, as a's RNextKeyID asks, with key 1, which covers options:
#      a's entry in "aoctl conn show" has the reason line, "-j" the cause
#   7  a flood of SYNs with bad MACs: at most TCPAO_DIAG_RATE (100)
#      diagnoses a second plus the bucket (100); the rest counted skipped,
#      and every bad MAC is either diagnosed or skipped
#   8  one forged segment into an established, idle connection: b shows
#      a cause on its entry; once a segment of it verifies, none
# The peer here is tcpao itself; native/diag.sh shows case 1 against
# Linux's own TCP-AO.
. "$(dirname "$0")/../../lib.sh"
. "$(dirname "$0")/../../lib-ao.sh"

A4=192.0.2.1 B4=192.0.2.2 PORT=5000
MAC_A=02:00:00:00:d0:01 MAC_B=02:00:00:00:d0:02
topo_two a b $A4/24 $B4/24
ip -n a link set to-b address $MAC_A
ip -n b link set to-a address $MAC_B
ip -n a neigh replace $B4 lladdr $MAC_B dev to-b nud permanent
ip -n b neigh replace $A4 lladdr $MAC_A dev to-a nud permanent

at() { date -u -d "@$(($(date +%s) + $1))" +%Y-%m-%d.%H:%M:%S; }

setup() {
	ao a keychain add kc && ao b keychain add kc &&
		ao a peer add $B4 keychain kc && ao b peer add 192.0.2.0/24 keychain kc
}
check "keychains and peer policies" setup

# The listener accepts and closes, for ever.
spawn in_ns b python3 -c '
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], int(sys.argv[2])))
s.listen(64)
while True:
    c, _ = s.accept()
    c.close()
' $B4 $PORT
check "listener in b" wait_for 20 in_ns b sh -c "ss -Hltn 'sport = :$PORT' | grep -q ."
spawn "$AOCTL" -n b monitor >"$RESULTS/monitor-b.log" 2>&1
sleep 0.5

# try_conn SECONDS: does a connect to b within SECONDS?
try_conn() {
	in_ns a python3 -c '
import socket, sys
s = socket.socket()
s.settimeout(float(sys.argv[3]))
try:
    s.connect((sys.argv[1], int(sys.argv[2])))
except OSError:
    sys.exit(1)
' $B4 $PORT "$1"
}

# keys NS [KEY...]: replace NS's keys; KEY: ID,SEND,RECV,ALG,OPT[,START]
keys() {
	local ns=$1 k id s r alg opt start
	shift
	for id in 0 1; do
		"$AOCTL" -n "$ns" keychain del kc key $id >/dev/null 2>&1
	done
	for k in "$@"; do
		IFS=, read -r id s r alg opt start <<<"$k"
		ao_key "$ns" kc "$id" "$s" "$r" "$alg" "$opt" "tcpao diag secret" \
			"$start" || return 1
	done
}

# cause NAME COUNTER FIX...: a fails to connect; b counts COUNTER and its
# monitor says NAME; after the command FIX... a connects.
cause() {
	local name=$1 ctr=$2 before
	shift 2
	before=$(ao_stat b "$ctr")
	check "$name: a cannot connect" fails try_conn 2
	local d=$(($(ao_stat b "$ctr") - before))
	if [ "$d" -gt 0 ]; then
		ok "$name: b counts $ctr (+$d)"
	else
		not_ok "$name: b counts $ctr"
	fi
	check_grep "$name: aoctl monitor on b names the cause and the fix" \
		"auth-fail .*$A4.* diagnosis $name \\($MSG\\)" "$RESULTS/monitor-b.log"
	check "$name: b fixed as the message says: $*" "$@"
	check "$name: then a connects" try_conn 10
}

H=hmac-sha-1-96 C=aes-128-cmac-96

# 1, 2: options coverage, both ways.
check "1: a covers options, b excludes" keys a 0,1,2,$H,enabled &&
	check "1: b's key" keys b 0,2,1,$H,disabled
MSG="peer covers TCP options: set tcp-ao-option enabled"
cause options-covered diag_options_covered ao b keychain set kc key 0 tcp-ao-option enabled

check "2: a excludes options, b covers" keys a 0,1,2,$H,disabled &&
	check "2: b's key" keys b 0,2,1,$H,enabled
MSG="peer excludes TCP options: set tcp-ao-option disabled"
cause options-excluded diag_options_excluded ao b keychain set kc key 0 tcp-ao-option disabled

# 3: b has a's IDs, not their mirror image.
check "3: b's send-id and recv-id swapped" keys a 0,1,2,$H,disabled &&
	check "3: b's key" keys b 0,1,2,$H,disabled
MSG="send-id/recv-id look swapped \\(the peer's KeyID 1 is one of our send-ids\\)"
# The IDs of a key in use (by the connections of cases 1 and 2, lingering)
# cannot change: the key is replaced.
cause ids-swapped diag_ids_swapped keys b 0,2,1,$H,disabled

# 4: the same secret, the other algorithm.
check "4: a uses $C, b $H" keys a 0,1,2,$C,disabled &&
	check "4: b's key" keys b 0,2,1,$H,disabled
MSG="peer uses the other algorithm with this key: check cryptographic-algorithm"
cause other-algorithm diag_other_algorithm ao b keychain set kc key 0 cryptographic-algorithm $C

# 5: b's clock or start time: the key starts in 3 hours here.
start=$(at 10800)
check "5: b's key starts at $start" keys a 0,1,2,$H,disabled &&
	check "5: b's key" keys b "0,2,1,$H,disabled,$start"
# The event carries the key's start time here, and so does the log line.
MSG="peer uses key 1, which starts at $start UTC here \\(clock or start-time mismatch\\)"
cause key-not-yet-valid diag_key_not_yet_valid ao b keychain set kc key 0 start-time "$(at -60)"
check_grep "5: the kernel log line names the key and its start time" \
	"key-not-yet-valid, keyid 1 \\(peer uses key 1, which starts at $start UTC here: clock or start-time mismatch\\)" \
	<(dmesg)

# 6: the diagnosis on a's connection entry (a SYN-ACK that fails).
check "6: a's key" keys a 0,1,2,$H,disabled &&
	check "6: b accepts key 0, answers with key 1 (options covered)" \
		keys b "0,7,1,$H,disabled,$(at -120)" "1,2,8,$H,enabled,$(at -60)"
before=$(ao_stat a diag_options_covered)
check "6: a cannot connect" fails try_conn 2
d=$(($(ao_stat a diag_options_covered) - before))
if [ "$d" -gt 0 ]; then ok "6: a counts diag_options_covered (+$d)"; else not_ok "6: a counts diag_options_covered"; fi
"$AOCTL" -n a conn show >"$RESULTS/conn-a.txt" 2>&1
"$AOCTL" -n a -j conn show >"$RESULTS/conn-a.json" 2>&1
check_grep "6: aoctl conn show on a has the reason line" \
	"^ *reason: peer covers TCP options: set tcp-ao-option enabled" "$RESULTS/conn-a.txt"
jcause() {
	python3 -c '
import json, sys
for c in json.load(open(sys.argv[1])):
    d = c.get("diagnosis")
    if d:
        print(d["cause"], d["keyid"], c["state"])
        break
' "$RESULTS/conn-a.json"
}
check_eq "6: aoctl -j conn show on a: cause, KeyID, state" \
	"options-covered 2 syn-sent" "$(jcause)"
check "6: b's key 1 fixed as the message says" ao b keychain set kc key 1 tcp-ao-option disabled
check "6: then a connects" try_conn 10

# 7: a flood of bad MACs stays within the bucket.
check "7: keys back in line" keys a 0,1,2,$H,disabled && keys b 0,2,1,$H,disabled
runs0=$(ao_stat b diag_runs) skip0=$(ao_stat b diag_skipped) bad0=$(ao_stat b bad_mac)
t0=$(date +%s)
in_ns a python3 "$TCPAO_SRC/tests/tools/synflood.py" --iface to-b --smac $MAC_A \
	--dmac $MAC_B --dst4 $B4 --net4 192.0.2. --dst6 2001:db8::2 \
	--net6 2001:db8:: --port $PORT --keyid 1 --rnext 2 --count 3000 \
	--v6-percent 0 --seed 1 --min-seconds 2 >"$RESULTS/flood.out" 2>&1
check "7: the flood was sent" grep -q SENT "$RESULTS/flood.out"
sleep 1
t1=$(date +%s)
runs=$(($(ao_stat b diag_runs) - runs0))
skip=$(($(ao_stat b diag_skipped) - skip0))
bad=$(($(ao_stat b bad_mac) - bad0))
max=$((100 * (t1 - t0 + 1) + 100))
diag "flood: $bad bad MACs, $runs diagnosed, $skip skipped in $((t1 - t0)) s"
check "7: bad MACs counted ($bad)" test "$bad" -gt 1000
check "7: diagnoses within the bucket ($runs <= $max)" test "$runs" -le "$max"
check "7: the rest skipped ($skip > 0)" test "$skip" -gt 0
check_eq "7: every bad MAC diagnosed or skipped" "$bad" $((runs + skip))
check "7: a still connects" try_conn 10

# 8: a reason stays while a connection fails, and goes once it verifies
# again.  An established, idle connection (a to b's port 5001); one forged
# segment of it with a bad MAC, sent on the wire (not through a's tcpao,
# which would sign it): b names a cause on the entry; then a sends, b
# verifies, and the reason goes.
P2=5001
spawn in_ns b python3 -c '
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], int(sys.argv[2])))
s.listen(4)
while True:
    c, _ = s.accept()
    while True:
        d = c.recv(100)
        if not d:
            break
        c.sendall(d)
    c.close()
' $B4 $P2
check "8: echo listener in b" wait_for 20 in_ns b sh -c "ss -Hltn 'sport = :$P2' | grep -q ."
rm -f "$RESULTS/go8" "$RESULTS/port8" "$RESULTS/echo8"
spawn in_ns a python3 -c '
import os, socket, sys, time
s = socket.socket()
s.connect((sys.argv[1], int(sys.argv[2])))
open(sys.argv[3] + "/port8", "w").write(str(s.getsockname()[1]))
while not os.path.exists(sys.argv[3] + "/go8"):
    time.sleep(0.2)
s.sendall(b"after the fix")
open(sys.argv[3] + "/echo8", "w").write(s.recv(100).decode())
time.sleep(600)
' $B4 $P2 "$RESULTS"
check "8: a connected" wait_for 20 test -s "$RESULTS/port8"
cport=$(cat "$RESULTS/port8" 2>/dev/null)
# reason8: the cause b shows for the connection (none: "-").
reason8() {
	"$AOCTL" -n b -j conn show | python3 -c '
import json, sys
for c in json.load(sys.stdin):
    if c["local_port"] == int(sys.argv[1]) and c["remote_port"] == int(sys.argv[2]):
        print(c.get("diagnosis", {}).get("cause", "-"))
' $P2 "$cport"
}
sleep 1
check_eq "8: established, nothing to say" "-" "$(reason8)"
in_ns a python3 -c '
import sys
from scapy.all import Ether, IP, TCP, sendp
opt = bytes([1, 2]) + bytes(range(12))	# KeyID 1, RNextKeyID 2, a bad MAC
sendp(Ether(src=sys.argv[1], dst=sys.argv[2]) /
      IP(src=sys.argv[3], dst=sys.argv[4]) /
      TCP(sport=int(sys.argv[5]), dport=int(sys.argv[6]), flags="A",
          seq=1, ack=1, options=[(29, opt)]), iface="to-b", verbose=False)
' $MAC_A $MAC_B $A4 $B4 "$cport" $P2
sleep 1
check_eq "8: one forged segment: b names a cause on the entry" "unknown-key" "$(reason8)"
touch "$RESULTS/go8"
check "8: a sends, b verifies and echoes" wait_for 20 grep -q "after the fix" "$RESULTS/echo8"
check_eq "8: verified again: the reason is gone" "-" "$(reason8)"
"$AOCTL" -n b stats 2>&1 | sed "s/^/#   /"

done_testing
