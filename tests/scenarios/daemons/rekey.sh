#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Keys added, rescheduled and replaced while BIRD 2 BGP sessions (IPv4,
# IPv6) are up, as an operator re-keys a live network (Junos: keys can be
# added "at any time during the lifetime of a session"):
#   1. the routers start with key 0 of the seed only; key 1 (the seed's,
#      AES-128-CMAC-96, KeyIDs 3/4) is added on both with a start time a
#      few seconds ahead: at that time the established connections move to
#      it;
#   2. key 0 is rescheduled with "keychain set ... start-time" to become
#      active again a few seconds ahead: as documented (design.rst, aoctl.8)
#      established connections follow their keychain, so at that time they
#      move back to key 0 (KeyIDs 1/2);
#   3. key 1, not in use, is replaced (deleted and added again in one batch,
#      with a new secret, as after a leak) with a start time a few seconds
#      ahead: a deleted key leaves every connection and an added one joins
#      them, so at that time the connections move to the new key 1 (KeyIDs
#      3/4).
# No step may disturb BIRD (same "since", no state change, the same TCP
# connections) or fail a single segment.  (Keys configured before the
# sessions start: daemons/rollover.sh.)  Capture: $RESULTS/rekey.pcap.
. "$(dirname "$0")/../../lib.sh"
. "$(dirname "$0")/../../lib-daemons.sh"
require bird birdc tcpdump python3

lead=15		# seconds from a change to the new key's start time
[ "$KERNEL_FLAVOR" != debug ] || lead=30

seed_topology
check "R1: seed keychain" seed_keychain R1 r1
check "R2: seed keychain" seed_keychain R2 r2
check "R1: key 1 removed: key 0 only" "$AOCTL" -n R1 keychain del new_auth_key key 1
check "R2: key 1 removed: key 0 only" "$AOCTL" -n R2 keychain del new_auth_key key 1
check "R1: peer policies" seed_peers R1 r1
check "R2: peer policies" seed_peers R2 r2
cap_start rekey R1 to-R2 tcp port 179 || bail "tcpdump did not start"
check "R1: BIRD starts" bird_start R1 R1 "$DAEMONS_DATA/bird-r1.conf"
check "R2: BIRD starts" bird_start R2 R2 "$DAEMONS_DATA/bird-r2.conf"
for p in r2_v4 r2_v6; do check_bird_up R1 $p; done
for p in r1_v4 r1_v6; do check_bird_up R2 $p; done
sleep 2

ids() { # NS REMOTE: "KeyID/RNextKeyID sent KeyID/RNextKeyID received"
	session_ids "$1" "$2" 179
}
failures() { # NS: the failure counters of aoctl stats, in one line
	"$AOCTL" -n "$1" stats | awk '$1 !~ /^(good|signed|without-ao-accepted|connections|connections-created|bindings|icmp-dropped|keys-derived)$/ &&
		$2 != 0 { printf "%s=%s ", $1, $2 }'
}
snapshot() { # state that must not change: connections, BIRD's view, no failure
	local a
	for a in 192.0.2.2 2001:db8::2; do echo "R1 to $a: ports $(sock_ports R1 $a 179)"; done
	for a in 192.0.2.1 2001:db8::1; do echo "R2 to $a: ports $(sock_ports R2 $a 179)"; done
	echo "connections created: R1 $(aostat R1 connections-created), R2 $(aostat R2 connections-created)"
	echo "BIRD state changes: R1 $(grep -c "State changed" "$RESULTS/bird-R1.log"), R2 $(grep -c "State changed" "$RESULTS/bird-R2.log")"
	echo "failure counters: R1 [$(failures R1)] R2 [$(failures R2)]"
}
check_ids() { # STEP R1-IDS R2-IDS
	local a
	for a in 192.0.2.2 2001:db8::2; do
		check_eq "$1: R1 to $a: KeyID/RNext sent $2, received ${2#*/}/${2%/*}" \
			"$2 ${2#*/}/${2%/*}" "$(ids R1 $a)"
	done
	for a in 192.0.2.1 2001:db8::1; do
		check_eq "$1: R2 to $a: KeyID/RNext sent $3, received ${3#*/}/${3%/*}" \
			"$3 ${3#*/}/${3%/*}" "$(ids R2 $a)"
	done
}
check_undisturbed() { # STEP
	local p
	check_eq "$1: the same connections, none new, no BIRD state change, no failure" \
		"$before" "$(snapshot)"
	for p in r2_v4 r2_v6; do
		check_since "$1: R1: $p up since the same time" "${since[R1.$p]}" "$(bird_since R1 $p)"
	done
	for p in r1_v4 r1_v6; do
		check_since "$1: R2: $p up since the same time" "${since[R2.$p]}" "$(bird_since R2 $p)"
	done
}
declare -A since
baseline() { # what check_undisturbed compares with
	local p
	for p in r2_v4 r2_v6; do since[R1.$p]=$(bird_since R1 $p); done
	for p in r1_v4 r1_v6; do since[R2.$p]=$(bird_since R2 $p); done
	before=$(snapshot)
}
baseline
check_ids "key 0 only" 1/2 2/1
check_clean R1
check_clean R2

# --- 1. Key 1 added under the live sessions ------------------------------------
t1=$(utc_in "$lead")
key1="secret-hex 0x7463706a756e6f73736565646b657931 start-time $t1 cryptographic-algorithm aes-128-cmac-96"
check "R1: key 1 added, start time $t1" \
	"$AOCTL" -n R1 keychain add new_auth_key key 1 send-id 3 recv-id 4 $key1
check "R2: key 1 added, start time $t1" \
	"$AOCTL" -n R2 keychain add new_auth_key key 1 send-id 4 recv-id 3 $key1
sleep $((lead + 8))
check_ids "key 1 added" 3/4 4/3
check_undisturbed "key 1 added"
diag_cmd "R1: aoctl conn show" "$AOCTL" -n R1 conn show

# --- 2. Key 0 rescheduled (keychain set): the live connections follow -------------
baseline
t2=$(utc_in "$lead")
check "R1: key 0 rescheduled to $t2" "$AOCTL" -n R1 keychain set new_auth_key key 0 start-time "$t2"
check "R2: key 0 rescheduled to $t2" "$AOCTL" -n R2 keychain set new_auth_key key 0 start-time "$t2"
sleep $((lead + 8))
diag_cmd "R1: aoctl keychain show new_auth_key detail" "$AOCTL" -n R1 keychain show new_auth_key detail
diag_cmd "R1: aoctl conn show" "$AOCTL" -n R1 conn show
check_ids "key 0 rescheduled" 1/2 2/1
check_undisturbed "key 0 rescheduled"

# --- 3. Key 1 replaced (new secret) under the live sessions ---------------------
baseline
t3=$(utc_in "$lead")
for r in "R1 3 4" "R2 4 3"; do
	set -- $r
	cat >"$DTMP/rekey-$1.batch" <<BATCH
# Key 1 leaked: replace it with a new secret, to become active at $t3.
keychain del new_auth_key key 1
keychain add new_auth_key key 1 secret "tcpao new key 1" send-id $2 recv-id $3 \\
    start-time $t3 cryptographic-algorithm aes-128-cmac-96
BATCH
	check "$1: key 1 replaced (del + add in one batch), start time $t3" \
		aoctl_batch "$1" "$DTMP/rekey-$1.batch"
done
sleep $((lead + 8))
diag_cmd "R1: aoctl keychain show new_auth_key detail" "$AOCTL" -n R1 keychain show new_auth_key detail
diag_cmd "R1: aoctl conn show" "$AOCTL" -n R1 conn show
check_ids "key 1 replaced" 3/4 4/3
check_undisturbed "key 1 replaced"

check_clean R1
check_clean R2

cap_stop rekey
pcap=$RESULTS/rekey.pcap
check_all_ao "capture: every BGP segment carries TCP-AO" "$pcap" "tcp port 179"
check_macs "capture: every MAC verifies (key 0, key 1, key 0 again, then the new key 1)" "$pcap"
check_eq "capture: R1 (IPv4) signs with KeyID 1, 3, 1 (key 0 again), then 3 (the new key 1)" \
	"1 3 1 3" "$(keyids "$pcap" "src host 192.0.2.1")"
check_eq "capture: R2 (IPv6) signs with KeyID 2, 4, 2 (key 0 again), then 4 (the new key 1)" \
	"2 4 2 4" "$(keyids "$pcap" "src host 2001:db8::2")"

done_testing
