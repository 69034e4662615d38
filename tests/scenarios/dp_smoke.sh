#!/bin/bash
# Temporary smoke test of the datapath (to be folded into the real suite).
set -u
AOCTL=${AOCTL:-$TCPAO_SRC/tools/aoctl/aoctl}
XFER=$TCPAO_SRC/tests/tools/xfer.py
n=0; fail=0
ok() { n=$((n+1)); echo "ok $n - $*"; }
nok() { n=$((n+1)); fail=1; echo "not ok $n - $*"; }

ip netns add r1; ip netns add r2
ip link add v1 netns r1 type veth peer v2 netns r2
ip -n r1 addr add 192.0.2.1/30 dev v1; ip -n r2 addr add 192.0.2.2/30 dev v2
ip -n r1 addr add 2001:db8::1/64 dev v1 nodad; ip -n r2 addr add 2001:db8::2/64 dev v2 nodad
for r in r1 r2; do ip -n $r link set lo up; done
ip -n r1 link set v1 up; ip -n r2 link set v2 up
$AOCTL -n r1 keychain add kc key 0 secret s3cretpw send-id 10 recv-id 20 && ok "kc r1" || nok "kc r1"
$AOCTL -n r2 keychain add kc key 0 secret s3cretpw send-id 20 recv-id 10 && ok "kc r2" || nok "kc r2"
$AOCTL -n r1 peer add 192.0.2.2 keychain kc && ok "peer r1" || nok "peer r1"
$AOCTL -n r2 peer add 192.0.2.1 keychain kc && ok "peer r2" || nok "peer r2"
$AOCTL -n r1 peer add 2001:db8::2 keychain kc && ok "peer6 r1" || nok "peer6 r1"
$AOCTL -n r2 peer add 2001:db8::1 keychain kc && ok "peer6 r2" || nok "peer6 r2"
$AOCTL -n r1 keychain show
ip netns exec r2 tcpdump -ni v2 -w $RESULTS/cap.pcap -U tcp 2>/dev/null &
tp=$!
sleep 1
for a in "192.0.2.2" "2001:db8::2"; do
	ip netns exec r2 python3 $XFER server $a 5000 > $RESULTS/srv.out &
	sp=$!
	sleep 0.5
	ip netns exec r1 timeout 60 python3 $XFER client $a 5000 2000000 > $RESULTS/cli.out
	wait $sp
	cat $RESULTS/srv.out $RESULTS/cli.out
	[ -s $RESULTS/cli.out ] && [ "$(tail -1 $RESULTS/srv.out)" = "$(cat $RESULTS/cli.out)" ] && ok "transfer $a intact" || nok "transfer $a"
done
sleep 1; kill $tp; wait $tp
$AOCTL -n r1 stats; $AOCTL -n r2 stats
$AOCTL -n r1 conn show; $AOCTL -n r2 conn show
tcpdump -nr $RESULTS/cap.pcap -c 12 -v 2>/dev/null | head -40
total=$(tcpdump -nr $RESULTS/cap.pcap 2>/dev/null | wc -l)
withao=$(tcpdump -nr $RESULTS/cap.pcap -v 2>/dev/null | grep -c "tcp-ao keyid")
big=$(tcpdump -nr $RESULTS/cap.pcap -v 2>/dev/null | grep -oE "length [0-9]+\)" | tr -dc '0-9\n' | sort -n | tail -1)
echo "# packets $total with-ao $withao largest-ip $big"
[ "$total" = "$withao" ] && ok "every segment carries TCP-AO" || nok "every segment carries TCP-AO ($withao of $total)"
[ "$big" = 1500 ] && ok "largest IP packet is the MTU" || nok "largest IP packet $big, MTU 1500"
noao=$(tcpdump -nr $RESULTS/cap.pcap -v 2>/dev/null | grep -c "options" ) 
echo "# packets $total"
bad=$($AOCTL -n r2 -j stats | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d.get("bad_mac",d))')
echo "# bad_mac r2: $bad"
echo "1..$n"
exit $fail
