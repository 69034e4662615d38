#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 600
#
# Peer policies deleted under the datapath.  A SYN
# finds its policy under RCU and the connection entry it creates takes a
# reference on it; a policy deleted in between must stay valid for that
# reader (a reference taken from zero, then a use after free, is what
# refcount_t and KASAN report, and any report fails the run).  So: r1
# deletes and re-adds its policies for r2 (IPv4 and IPv6) in a tight loop,
# as every reload does, while short connections open and close both ways
# as fast as they go (tests/tools/connstorm.py): SYNs from r2 verified in
# r1's input hook (the key derivation and MAC between lookup and entry make
# the window wide) and SYNs of r1 signed in its output hook.  Afterwards
# r1's configuration is what it was, no segment failed verification, and a
# protected session comes up.
#
# HARDEN_RACE_SECONDS (default 20): how long the storm and the churn last.
. "$(dirname "$0")/../../lib.sh"
. "$TCPAO_SRC/tests/tools/harden-lib.sh"

SECS=${HARDEN_RACE_SECONDS:-20}

hd_topo
check "keychains and peer policies r1/r2 (all ports)" hd_protect
"$AOCTL" -n r1 -j peer show >"$RESULTS/peer-before.json"

# Each batch: 250 rounds of delete and re-add, IPv4 and IPv6.
awk 'BEGIN { for (i = 0; i < 250; i++) {
	print "peer del 192.0.2.2"; print "peer add 192.0.2.2 keychain kc"
	print "peer del 2001:db8::2"; print "peer add 2001:db8::2 keychain kc" } }' \
	>"$RESULTS/churn.batch"

python3 "$HD_TOOLS/connstorm.py" --seconds "$SECS" --parallel 8 --timeout 1.5 \
	listen:r1:192.0.2.1:179 listen:r1:[2001:db8::1]:179 \
	listen:r2:192.0.2.2:179 listen:r2:[2001:db8::2]:179 \
	connect:r2:192.0.2.1:179 connect:r2:[2001:db8::1]:179 \
	connect:r1:192.0.2.2:179 connect:r1:[2001:db8::2]:179 \
	>"$RESULTS/storm.out" 2>&1 &
storm=$!
on_exit "kill $storm"
wait_for 60 grep -q storming "$RESULTS/storm.out" || bail "connstorm did not start"

rounds=0
failed=0
start=$(date +%s)
while kill -0 $storm 2>/dev/null; do
	if "$AOCTL" -n r1 -b "$RESULTS/churn.batch" >"$RESULTS/churn.out" 2>&1; then
		rounds=$((rounds + 250))
	else
		failed=$((failed + 1))
		diag "batch failed: $(tail -n 2 "$RESULTS/churn.out")"
	fi
done
wait $storm
diag "churn: $rounds rounds of delete and re-add in $(($(date +%s) - start)) s"
sed 's/^/# /' "$RESULTS/storm.out"
check_eq "every batch of deletes and re-adds applied" 0 "$failed"
check "r1 deleted and re-added its policies while the storm ran" [ "$rounds" -gt 0 ]
while read -r _ ns addr port _ conn _ fail; do
	check "connections $ns -> $addr port $port opened and closed during the churn ($conn, $fail abandoned)" \
		[ "${conn:-0}" -gt 0 ]
done < <(grep '^CONNECT ' "$RESULTS/storm.out")
check_eq "four streams of connections ran" 4 "$(grep -c '^CONNECT ' "$RESULTS/storm.out")"

"$AOCTL" -n r1 -j peer show >"$RESULTS/peer-after.json"
check "r1's peer policies are what they were (but for connection counts)" \
	python3 -c '
import json, sys
def strip(o):
    return [{k: v for k, v in p.items() if k != "connections"} for p in o]
a, b = (strip(json.load(open(f))) for f in sys.argv[1:3])
sys.exit(a != b)' "$RESULTS/peer-before.json" "$RESULTS/peer-after.json"
hd_fetch r1 r2
for ns in r1 r2; do
	check_eq "$ns: no segment failed verification (bad-mac)" 0 "$(hd_stat $ns bad_mac)"
	diag "$ns: $(hd_stat $ns connections_created) connections created, $(hd_stat $ns key_not_found) SYNs without a policy (key-not-found), $(hd_stat $ns ao_required) unsigned (ao-required)"
done
hd_unfetch

hd_sessions_start s4,r2,r1,192.0.2.2,179,interval=0.5 \
	s6,r1,r2,2001:db8::1,179,interval=0.5
sleep 2
hd_sessions_alive "protected sessions come up after the churn, both ways"
hd_sessions_stop
done_testing
