#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 600
#
# Hook manners: tcpao's output hook next to nftables
# with conntrack and an NFQUEUE consumer on a protected flow.
#   - Every packet of the flow goes through a queue at POST_ROUTING before
#     tcpao's hook (tests/tools/nfqueue.c accepts it), so tcpao signs
#     segments reinjected from the consumer's context, where the socket
#     lock is not held: the socket must still be adjusted safely (on the
#     debug kernel lockdep watches), and the data arrive intact.
#   - The accepting side writes at once (tests/tools/push.py), so that its
#     first burst is GSO super-packets (the queue passes them whole), which
#     tcpao segments in software: every segment must still pass the hooks
#     after tcpao's at POST_ROUTING (conntrack's confirmation is one; here
#     an nftables chain at priority INT_MAX counts them) -- as many as the
#     peer receives.
#   - Conntrack stays sane: no packet of the flows invalid, every one after
#     the SYNs established.
. "$(dirname "$0")/../../lib.sh"
. "$(dirname "$0")/../../lib-ao.sh"
require nft cc

NFQ=/tmp/tcpao-nfqueue.$$
on_exit "rm -f $NFQ"
check "the NFQUEUE consumer builds" cc -O2 -Wall -Wextra -Werror -o "$NFQ" \
	"$TCPAO_SRC/tests/tools/nfqueue.c"
PUSH=$TCPAO_SRC/tests/tools/push.py
if [ "$KERNEL_FLAVOR" = debug ]; then BYTES=2000000; else BYTES=8000000; fi

topo_two r1 r2 192.0.2.1/24 192.0.2.2/24 2001:db8:1::1/64 2001:db8:1::2/64
ao_key r1 kc 0 11 22 && ao_key r2 kc 0 22 11
ok=1
for a in 192.0.2.2 2001:db8:1::2; do ao r1 peer add $a keychain kc port 5001 || ok=0; done
for a in 192.0.2.1 2001:db8:1::1; do ao r2 peer add $a keychain kc port 5001 || ok=0; done
check_eq "keychains and peer policies (port 5001)" 1 $ok

# Counters are anonymous, told apart by their rules' comments (named
# counters need CONFIG_NFT_OBJREF, which the debug kernel lacks).
ok=1
for ns in r1 r2; do
	in_ns $ns nft -f - <<'EOF' || ok=0
table inet manners {
	chain post {
		type filter hook postrouting priority 0; policy accept;
		tcp sport 5001 counter queue num 0 comment "queued"
		tcp dport 5001 counter queue num 0 comment "queued"
	}
	chain last {
		type filter hook postrouting priority 2147483647; policy accept;
		tcp sport 5001 counter comment "last"
		tcp dport 5001 counter comment "last"
	}
	chain out {
		type filter hook output priority 0; policy accept;
		ct state invalid counter comment "invalid"
	}
	chain in {
		type filter hook input priority 0; policy accept;
		ct state invalid counter comment "invalid"
		tcp sport 5001 counter comment "rx"
		tcp dport 5001 counter comment "rx"
		tcp sport 5001 ct state established counter comment "rx_est"
		tcp dport 5001 ct state established counter comment "rx_est"
	}
}
EOF
	# exec: $! must be the consumer itself, which SIGTERM makes report.
	(exec ip netns exec $ns "$NFQ" 0 >"$RESULTS/nfq-$ns.out" 2>&1) &
	eval "nfq_$ns=\$!"
	on_exit "kill $!"
done
check_eq "nftables rules with conntrack and a queue at POST_ROUTING (r1, r2)" 1 $ok
check "a consumer on each queue (r1, r2)" \
	wait_for 20 sh -c "grep -q ready '$RESULTS/nfq-r1.out' && grep -q ready '$RESULTS/nfq-r2.out'"

cap_start r1 to-r2 hooks "tcp port 5001"
for a in 192.0.2.2 2001:db8:1::2; do
	in_ns r2 python3 "$PUSH" server $a 5001 $BYTES >"$RESULTS/push-srv" 2>&1 &
	sp=$!
	wait_for 20 grep -q listening "$RESULTS/push-srv"
	in_ns r1 timeout 240 python3 "$PUSH" client $a 5001 >"$RESULTS/push-cli" 2>&1
	wait $sp
	check "$BYTES bytes from the accepting side ($a), every packet through the queues, intact" \
		sh -c "[ -s '$RESULTS/push-cli' ] && [ \"\$(tail -n 1 '$RESULTS/push-srv')\" = \"\$(cat '$RESULTS/push-cli')\" ]"
	sed 's/^/# /' "$RESULTS/push-srv" "$RESULTS/push-cli"
done
cap_stop hooks

for ns in r1 r2; do
	eval "kill -TERM \$nfq_$ns"
done
check "the consumers stopped cleanly" wait_for 10 sh -c \
	"grep -q '^packets' '$RESULTS/nfq-r1.out' && grep -q '^packets' '$RESULTS/nfq-r2.out'"
diag "r1 consumer: $(tail -n 1 "$RESULTS/nfq-r1.out"); r2: $(tail -n 1 "$RESULTS/nfq-r2.out")"
gso=$(sed -n 's/^packets [0-9]* gso \([0-9]*\).*/\1/p' "$RESULTS/nfq-r2.out")
check "r2's queue handed GSO super-packets to tcpao's hook ($gso)" test "${gso:-0}" -gt 0

# counter NS NAME: packets counted by the rules with comment NAME.
counter() {
	in_ns "$1" nft list table inet manners |
		sed -n "s/.*counter packets \([0-9]*\) .*comment \"$2\".*/\1/p" |
		awk '{ n += $1 } END { print n + 0 }'
}
check "the counters counted the flows ($(counter r1 rx) packets received by r1)" \
	test "$(counter r1 rx)" -gt 100
for pair in "r2 r1" "r1 r2"; do
	set -- $pair
	check_eq "every packet $1 sent passed the POST_ROUTING hooks after tcpao's: as many as $2 received" \
		"$(counter "$2" rx)" "$(counter "$1" last)"
done
check_eq "conntrack: no packet invalid (r1)" 0 "$(counter r1 invalid)"
check_eq "conntrack: no packet invalid (r2)" 0 "$(counter r2 invalid)"
check_eq "conntrack: every packet r1 received established (SYN-ACKs on)" \
	"$(counter r1 rx)" "$(counter r1 rx_est)"
check_eq "conntrack: every packet r2 received but the two SYNs established" \
	"$(($(counter r2 rx) - 2))" "$(counter r2 rx_est)"
check "every segment on the wire carries TCP-AO" cap_check_ao hooks 11 22
for ns in r1 r2; do
	bad=
	for c in bad_mac key_not_found ao_required malformed no_state tx_error \
		rx_error no_option_space; do
		v=$(ao_stat $ns $c)
		[ "$v" = 0 ] || bad="$bad $c=$v"
	done
	check_eq "$ns: no segment dropped or left unsigned" "" "$bad"
done

done_testing
