#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Misconfigured keychains with BIRD 2 BGP between R1 and R2 (seed keychain
# new_auth_key on R1): the session must never establish, and tcpao must say
# why, in "aoctl stats" and "aoctl monitor":
#   1. R2's key 0 has another secret: both sides count bad-mac;
#   2. R2 got R1's keychain (send-id and recv-id not reversed): both sides
#      count key-not-found (each receives KeyID 1, which neither expects);
#   3. R2's keychain fixed while BIRD keeps retrying: the session comes up,
#      protected, without touching BIRD.
# Every segment on the wire carries TCP-AO throughout.  Captures:
# $RESULTS/badkey-*.pcap.
. "$(dirname "$0")/../../lib.sh"
. "$(dirname "$0")/../../lib-daemons.sh"
require bird birdc tcpdump python3

# How long a misconfigured session is watched: BIRD retries every 2 s.
watch=15

seed_topology
check "R1: seed keychain" seed_keychain R1 r1
check "R1: peer policies" seed_peers R1 r1

bird_never_up() { # NAME PROTO...: none of them reaches Established in $watch s
	local name=$1 p end=$(($(date +%s) + watch))
	shift
	while [ "$(date +%s)" -lt "$end" ]; do
		for p in "$@"; do
			bird_up "$name" "$p" && return 1
		done
		sleep 1
	done
	! grep -q "session established" "$RESULTS/bird-$name.log"
}
stat_delta() { # NS COUNTER BEFORE
	echo $(($(aostat "$1" "$2") - $3))
}
synacks() { # PCAP: SYN-ACKs (handshakes that got an answer)
	count_flags "$1" "tcp port 179" S.
}
start_birds() {
	bird_start R1 R1 "$DAEMONS_DATA/bird-r1.conf" &&
		bird_start R2 R2 "$DAEMONS_DATA/bird-r2.conf"
}
stop_birds() {
	bird_stop R1 && bird_stop R2
}

# --- 1. Wrong secret on R2 ---------------------------------------------------
sed 's/"tcpao seed key 0"/"not the seed secret"/' "$SEED_DATA/seed-r2.batch" \
	>"$DTMP/wrong-secret-r2.batch"
check "R2: keychain with a wrong secret for key 0" aoctl_batch R2 "$DTMP/wrong-secret-r2.batch"
check "R2: peer policies" seed_peers R2 r2
spawn "$AOCTL" -n R2 monitor >"$RESULTS/monitor-R2.log" 2>&1
cap_start badkey-secret R1 to-R2 tcp port 179 || bail "tcpdump did not start"
declare -A before
for ns in R1 R2; do
	for c in bad-mac key-not-found good; do before[$ns.$c]=$(aostat $ns $c); done
done
check "BIRD starts on R1 and R2" start_birds
check "wrong secret: no BGP session comes up in ${watch}s" bird_never_up R1 r2_v4 r2_v6
check "wrong secret: R2 never Established either" bird_never_up R2 r1_v4 r1_v6
diag_cmd "R1: birdc show protocols" birdc_ R1 show protocols
for ns in R1 R2; do
	d=$(stat_delta $ns bad-mac "${before[$ns.bad-mac]}")
	if [ "$d" -gt 0 ]; then ok "wrong secret: $ns counts bad-mac (+$d)"; else not_ok "wrong secret: $ns counts bad-mac"; fi
	check_eq "wrong secret: $ns counts no key-not-found" 0 "$(stat_delta $ns key-not-found "${before[$ns.key-not-found]}")"
	check_eq "wrong secret: $ns verified nothing" 0 "$(stat_delta $ns good "${before[$ns.good]}")"
done
diag_cmd "R2: aoctl stats" "$AOCTL" -n R2 stats
check_grep "wrong secret: aoctl monitor on R2 reports auth-fail, cause bad-mac" \
	'auth-fail .*192\.0\.2\.1.* cause bad-mac keyid 1' "$RESULTS/monitor-R2.log"
diag_cmd "R2: aoctl monitor" head -n 5 "$RESULTS/monitor-R2.log"
check "BIRD stops on R1 and R2" stop_birds
cap_stop badkey-secret
check_all_ao "wrong secret: every BGP segment carries TCP-AO" "$RESULTS/badkey-secret.pcap" "tcp port 179"
check_eq "wrong secret: no SYN-ACK ever answered a SYN" 0 "$(synacks "$RESULTS/badkey-secret.pcap")"
check_macs "wrong secret: each side's MACs verify with that side's own key" \
	"$RESULTS/badkey-secret.pcap"

# --- 2. send-id and recv-id not reversed on R2 ---------------------------------
check "R2: flush" "$AOCTL" -n R2 flush
check "R2: R1's keychain, IDs not reversed (seed-r1.batch)" seed_keychain R2 r1
check "R2: peer policies" seed_peers R2 r2
cap_start badkey-ids R1 to-R2 tcp port 179 || bail "tcpdump did not start"
for ns in R1 R2; do
	for c in bad-mac key-not-found good; do before[$ns.$c]=$(aostat $ns $c); done
done
check "BIRD starts on R1 and R2" start_birds
check "IDs not reversed: no BGP session comes up in ${watch}s" bird_never_up R1 r2_v4 r2_v6
check "IDs not reversed: R2 never Established either" bird_never_up R2 r1_v4 r1_v6
for ns in R1 R2; do
	d=$(stat_delta $ns key-not-found "${before[$ns.key-not-found]}")
	if [ "$d" -gt 0 ]; then ok "IDs not reversed: $ns counts key-not-found (+$d)"; else not_ok "IDs not reversed: $ns counts key-not-found"; fi
	check_eq "IDs not reversed: $ns counts no bad-mac" 0 "$(stat_delta $ns bad-mac "${before[$ns.bad-mac]}")"
	check_eq "IDs not reversed: $ns verified nothing" 0 "$(stat_delta $ns good "${before[$ns.good]}")"
done
diag_cmd "R1: aoctl stats" "$AOCTL" -n R1 stats
check_grep "IDs not reversed: aoctl monitor on R2 reports auth-fail, cause key-not-found" \
	'auth-fail .*192\.0\.2\.1.* cause key-not-found keyid 1' "$RESULTS/monitor-R2.log"

# --- 3. Fixed while BIRD keeps trying ------------------------------------------
# The keys are replaced in place: the peer policies stay, so R2 never sends
# a segment without TCP-AO (without a valid key it sends nothing at all).
cat >"$DTMP/fix-r2.batch" <<'BATCH'
keychain del new_auth_key key 0
keychain add new_auth_key key 0 secret "tcpao seed key 0" send-id 2 recv-id 1 \
    start-time 2020-01-01.00:00:00 cryptographic-algorithm hmac-sha-1-96
keychain del new_auth_key key 1
keychain add new_auth_key key 1 secret-hex 0x7463706a756e6f73736565646b657931 \
    send-id 4 recv-id 3 start-time "2099-01-01.00:00:00 +0000" \
    cryptographic-algorithm aes-128-cmac-96
BATCH
check "R2: keys 0 and 1 replaced by the right ones (IDs reversed)" aoctl_batch R2 "$DTMP/fix-r2.batch"
check_bird_up R1 r2_v4
check_bird_up R1 r2_v6
check_bird_up R2 r1_v4
check_bird_up R2 r1_v6
sel="c['remote_address'] == '192.0.2.2' and 179 in (c['local_port'], c['remote_port']) and c['state'] == 'established'"
check_eq "fixed: R1's session is protected, KeyIDs 1/2" "new_auth_key 1 2" \
	"$(aoconn R1 "$sel" keychain send_keyid recv_keyid)"
check "BIRD stops on R1 and R2" stop_birds
cap_stop badkey-ids
check_all_ao "IDs not reversed, then fixed: every BGP segment carries TCP-AO" \
	"$RESULTS/badkey-ids.pcap" "tcp port 179"
check_macs "IDs not reversed, then fixed: every MAC verifies" "$RESULTS/badkey-ids.pcap"

done_testing
