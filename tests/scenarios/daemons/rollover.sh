#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Hitless key rollover under live BGP sessions (BIRD 2, IPv4 and IPv6): the
# seed's keychain new_auth_key with key 1's start time set 40 s ahead (80 s
# on the debug kernel) on both routers before the sessions start (key 0:
# HMAC-SHA-1-96, KeyIDs 1/2; key 1: AES-128-CMAC-96, KeyIDs 3/4).  The
# sessions come up on key 0; when key 1's start time arrives the same TCP
# connections move to key 1 (RNextKeyID, RFC 5925 7.5.2): BIRD sees nothing
# (same "since", no state change in its log), aoctl conn show and the
# capture ($RESULTS/rollover.pcap) show the KeyIDs change, and no segment
# fails verification.  (Keys added or replaced while the sessions are up:
# daemons/rekey.sh.)
. "$(dirname "$0")/../../lib.sh"
. "$(dirname "$0")/../../lib-daemons.sh"
require bird birdc tcpdump python3

# Seconds from now to key 1's start time: the sessions must be up before.
lead=40
[ "$KERNEL_FLAVOR" != debug ] || lead=80
start=$(($(date +%s) + lead))
start_time=$(date -u -d "@$start" +%Y-%m-%d.%H:%M:%S)

seed_topology
check "R1: seed keychain" seed_keychain R1 r1
check "R2: seed keychain" seed_keychain R2 r2
check "R1: key 1 starts at $start_time UTC" \
	"$AOCTL" -n R1 keychain set new_auth_key key 1 start-time "$start_time"
check "R2: key 1 starts at $start_time UTC" \
	"$AOCTL" -n R2 keychain set new_auth_key key 1 start-time "$start_time"
check "R1: peer policies" seed_peers R1 r1
check "R2: peer policies" seed_peers R2 r2
spawn "$AOCTL" -n R1 monitor >"$RESULTS/monitor-R1.log" 2>&1
cap_start rollover R1 to-R2 tcp port 179 || bail "tcpdump did not start"

check "R1: BIRD starts" bird_start R1 R1 "$DAEMONS_DATA/bird-r1.conf"
check "R2: BIRD starts" bird_start R2 R2 "$DAEMONS_DATA/bird-r2.conf"
for p in r2_v4 r2_v6; do check_bird_up R1 $p 20; done
for p in r1_v4 r1_v6; do check_bird_up R2 $p 20; done
# Let the session settle (routes, first keepalives).
sleep 3
left=$((start - $(date +%s)))
[ "$left" -gt 5 ] || bail "the machine is too slow: the sessions came up ${left}s before key 1's start time"
diag "key 1 becomes active in ${left}s"

ids() { # VIEW REMOTE: "KeyID/RNextKeyID sent KeyID/RNextKeyID received"
	awk -v r="$2" '$1 == r { print $4, $5; exit }' <<<"$1"
}
ports() { # VIEW REMOTE
	awk -v r="$2" '$1 == r { print $2 "-" $3; exit }' <<<"$1"
}
state_changes() { # NAME
	grep -c "State changed" "$RESULTS/bird-$1.log"
}

# Before: key 0 on both sessions (a look at each router, taken at once).
r1=$(sessions_view R1 179) r2=$(sessions_view R2 179)
kc=$("$AOCTL" -n R1 keychain show)
[ "$(date +%s)" -lt "$start" ] || diag "warning: the look at the routers ended after key 1's start time"
for a in 192.0.2.2 2001:db8::2; do
	check_eq "R1: before: to $a KeyID/RNext sent 1/2, received 2/1" "1/2 2/1" "$(ids "$r1" $a)"
done
for a in 192.0.2.1 2001:db8::1; do
	check_eq "R2: before: to $a KeyID/RNext sent 2/1, received 1/2" "2/1 1/2" "$(ids "$r2" $a)"
done
diag_cmd "R1: aoctl keychain show (before)" printf '%s\n' "$kc"
check_grep "R1: keychain show: active key 0, next key 1" \
	'^new_auth_key +0 +0 +1 +1 ' <(printf '%s\n' "$kc")
diag_cmd "R1: aoctl conn show (now)" "$AOCTL" -n R1 conn show
since_r1_v4=$(bird_since R1 r2_v4) since_r1_v6=$(bird_since R1 r2_v6)
since_r2_v4=$(bird_since R2 r1_v4) since_r2_v6=$(bird_since R2 r1_v6)
ports_v4=$(ports "$r1" 192.0.2.2) ports_v6=$(ports "$r1" 2001:db8::2)
changes_r1=$(state_changes R1) changes_r2=$(state_changes R2)
created_r1=$(aostat R1 connections-created) created_r2=$(aostat R2 connections-created)

# The start time passes; keepalives (every 3 s) carry the change.
left=$((start - $(date +%s) + 10))
[ "$left" -le 0 ] || sleep "$left"

r1=$(sessions_view R1 179) r2=$(sessions_view R2 179)
for a in 192.0.2.2 2001:db8::2; do
	check_eq "R1: after: to $a KeyID/RNext sent 3/4, received 4/3" "3/4 4/3" "$(ids "$r1" $a)"
done
for a in 192.0.2.1 2001:db8::1; do
	check_eq "R2: after: to $a KeyID/RNext sent 4/3, received 3/4" "4/3 3/4" "$(ids "$r2" $a)"
done
check_eq "R1: the same IPv4 connection carried on (ports)" "$ports_v4" "$(ports "$r1" 192.0.2.2)"
check_eq "R1: the same IPv6 connection carried on (ports)" "$ports_v6" "$(ports "$r1" 2001:db8::2)"
check_eq "R1: no new connection" "$created_r1" "$(aostat R1 connections-created)"
check_eq "R2: no new connection" "$created_r2" "$(aostat R2 connections-created)"
diag_cmd "R1: aoctl keychain show (after)" "$AOCTL" -n R1 keychain show
diag_cmd "R1: aoctl conn show (after)" "$AOCTL" -n R1 conn show
check_grep "R1: keychain show: active key 1" \
	'^new_auth_key +1 +1 +- +- ' <("$AOCTL" -n R1 keychain show)

# BIRD saw nothing.
for p in r2_v4 r2_v6; do check "R1: BIRD $p still Established" bird_up R1 $p; done
for p in r1_v4 r1_v6; do check "R2: BIRD $p still Established" bird_up R2 $p; done
check_since "R1: r2_v4 up since the same time" "$since_r1_v4" "$(bird_since R1 r2_v4)"
check_since "R1: r2_v6 up since the same time" "$since_r1_v6" "$(bird_since R1 r2_v6)"
check_since "R2: r1_v4 up since the same time" "$since_r2_v4" "$(bird_since R2 r1_v4)"
check_since "R2: r1_v6 up since the same time" "$since_r2_v6" "$(bird_since R2 r1_v6)"
check_eq "R1: no protocol state change in BIRD's log" "$changes_r1" "$(state_changes R1)"
check_eq "R2: no protocol state change in BIRD's log" "$changes_r2" "$(state_changes R2)"
diag_cmd "R1: birdc show protocols (after)" birdc_ R1 show protocols
check_clean R1
check_clean R2

cap_stop rollover
pcap=$RESULTS/rollover.pcap
check_all_ao "capture: every BGP segment carries TCP-AO" "$pcap" "tcp port 179"
check_macs "capture: every MAC verifies, before and after the rollover" "$pcap"
check_eq "capture: R1 (IPv4) signs with KeyID 1, then 3" "1 3" "$(keyids "$pcap" "src host 192.0.2.1")"
check_eq "capture: R1 (IPv6) signs with KeyID 1, then 3" "1 3" "$(keyids "$pcap" "src host 2001:db8::1")"
check_eq "capture: R2 (IPv4) signs with KeyID 2, then 4" "2 4" "$(keyids "$pcap" "src host 192.0.2.2")"
check_eq "capture: R2 (IPv6) signs with KeyID 2, then 4" "2 4" "$(keyids "$pcap" "src host 2001:db8::2")"
diag_cmd "capture: the switch (R1 to R2, IPv4)" sh -c \
	"tcpdump -nn -r '$pcap' 'src host 192.0.2.1' 2>/dev/null | grep -B2 -A1 -m1 'keyid 3'"

check_grep "aoctl monitor: key 1 became active" 'key-active.*new_auth_key' "$RESULTS/monitor-R1.log"
check_grep "aoctl monitor: the KeyID change" 'rnext' "$RESULTS/monitor-R1.log"

done_testing
