#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 900
#
# Keys managed by configuration file, as an operator does it.
# Two routers (namespaces r1, r2) are configured only by tcpao.service's
# own commands (packaging/systemd/tcpao.service.in: tcpao-apply
# /etc/tcpao/tcpao.conf) run with "ip netns exec", which gives each router
# its /etc/tcpao from /etc/netns/NS/tcpao; secrets come from a secret-file
# whose path has a space and hold "#" and quotes, inline and in the file.
# A BGP-like session lives through every part; each part has a transfer
# (bytes received = bytes sent) and a capture:
#   1. a reload of unchanged files under traffic changes nothing: no
#      traffic key derived, the keychain's generation, the KeyIDs and the
#      counters as they were, no event;
#   2. a leaked key: key 0 removed and key 1 (pending) started now in R1's
#      file, reloaded while the connections use key 0: from one second
#      after, no segment leaves R1 with key 0 and a key-0 segment replayed
#      at R1 is dropped and counted (the same replay before was accepted);
#      then R2 the same;
#   3. rollover: key 2 added to both files with a start time LEAD s ahead,
#      both reloaded: after it both ends send with key 2, nothing dropped;
#   4. the same with key 3, R1 reloaded early and R2 only at the start
#      time: no flap, nothing dropped.
. "$(dirname "$0")/../../lib.sh"
. "$(dirname "$0")/../../lib-ao.sh"
require tcpdump python3

SESSION=$TCPAO_SRC/tests/tools/session.py
REPLAY=$TCPAO_SRC/tests/tools/replay.py
PCAPAO=$TCPAO_SRC/tests/tools/pcapao.py
if [ "$KERNEL_FLAVOR" = debug ]; then LEAD=40; else LEAD=20; fi

at() { date -u -d "@$(($(date +%s) + $1))" +%Y-%m-%d.%H:%M:%S; }
now() { date +%s.%N; }
plus() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a + b }'; }

# ---- tcpao.service, as systemd would run it ----
unit() {
	sed -e "s|@LIBEXECDIR@|$TCPAO_SRC/packaging|g" -e 's|@SYSCONFDIR@|/etc|g' \
		-e "s|@SBINDIR@|$(dirname "$AOCTL")|g" \
		"$TCPAO_SRC/packaging/systemd/tcpao.service.in" | sed -n "s/^$1=//p"
}
UNIT_ENV=$(unit Environment)
UNIT_START=$(unit ExecStart)
UNIT_RELOAD=$(unit ExecReload)
diag "unit: Environment=$UNIT_ENV ExecStart=$UNIT_START ExecReload=$UNIT_RELOAD"
service() { # NS start|reload: the unit's command in NS (UMask=0077)
	local cmd=$UNIT_RELOAD
	[ "$2" = start ] && cmd=$UNIT_START
	# shellcheck disable=SC2086 # the unit's words
	(umask 077 && in_ns "$1" env $UNIT_ENV $cmd) >"$RESULTS/service-$1.log" 2>&1
	_rc=$?
	[ $_rc -eq 0 ] || sed 's/^/#   /' "$RESULTS/service-$1.log"
	return $_rc
}

# ---- the configuration files ----
mkdir -p /etc/tcpao
for ns in r1 r2; do
	mkdir -p "/etc/netns/$ns/tcpao/keys"
	chmod 700 "/etc/netns/$ns/tcpao" "/etc/netns/$ns/tcpao/keys"
	(
		umask 077
		printf '%s' "k0 # \"quoted\" 'single'" >"/etc/netns/$ns/tcpao/keys/my key.0"
		printf '%s\n' "k2 ## '\"" >"/etc/netns/$ns/tcpao/keys/my key.2"
	)
done
# How each key's secret is written in the file.
secret_words() {
	case $1 in
	0) echo 'secret-file "/etc/tcpao/keys/my key.0"' ;;
	1) echo "secret \"k1 #not a comment 'q' \\\"dq\\\"\"" ;;
	2) echo "secret-file '/etc/tcpao/keys/my key.2'" ;;
	3) echo 'secret-hex 0x6b33206865782073656372657421' ;;
	esac
}
# The keys for cap_check_ao's verifier (lib-ao.sh: $AO_SECRETS/*.key), in
# hex: the verifier reads the secrets, not tcpao.conf's quoting.
hexof() { od -An -v -tx1 | tr -d ' \n'; }
for id in 0 1 2 3; do
	case $id in
	0) sec=$(hexof <"/etc/netns/r1/tcpao/keys/my key.0") ;;
	1) sec=$(printf '%s' "k1 #not a comment 'q' \"dq\"" | hexof) ;;
	2) sec=$(printf '%s' "$(cat "/etc/netns/r1/tcpao/keys/my key.2")" | hexof) ;;
	3) sec=6b33206865782073656372657421 ;;
	esac
	printf 'keychain add kc key %s secret-hex %s send-id %s recv-id %s\n' \
		$id "$sec" $((10 + id)) $((20 + id)) >"$AO_SECRETS/key-$id.key"
done
# write_conf NS ID:START...: NS's tcpao.conf with those keys (R1 sends
# KeyID 10 + ID and receives 20 + ID, R2 the reverse) and its peer policy.
write_conf() {
	local ns=$1 ks id s r f=/etc/netns/$1/tcpao/tcpao.conf
	shift
	{
		echo "# $ns, written by rollover/reload.sh"
		for ks in "$@"; do
			id=${ks%%:*}
			if [ "$ns" = r1 ]; then s=$((10 + id)) r=$((20 + id)); else s=$((20 + id)) r=$((10 + id)); fi
			echo "keychain add kc key $id $(secret_words "$id") \\"
			echo "    send-id $s recv-id $r start-time ${ks#*:}"
		done
		echo "keychain set kc tolerance 3600"
		if [ "$ns" = r1 ]; then echo "peer add 192.0.2.2/32 keychain kc"; else echo "peer add 192.0.2.1/32 keychain kc"; fi
	} >"$f.new"
	chmod 600 "$f.new"
	mv "$f.new" "$f"
}

# ---- counters (aoctl's text and awk: a python per look is seconds under TCG) ----
FAILS="bad-mac key-not-found key-expired key-not-yet-valid no-send-key ao-required tx-error"
pick() { awk -v want=" $* " 'index(want, " " $1 " ") { printf "%s=%s ", $1, $2 }'; }
counter() { "$AOCTL" -n "$1" stats | awk -v n="$2" '$1 == n { print $2 }'; }
mark() {
	base_r1=$("$AOCTL" -n r1 stats)
	base_r2=$("$AOCTL" -n r2 stats)
}
# unchanged NAME...: these counters of both routers are as they were at mark.
unchanged() {
	local ns now was bad=
	for ns in r1 r2; do
		now=$("$AOCTL" -n $ns stats | pick "$@")
		eval "was=\$(printf '%s\n' \"\$base_$ns\" | pick \"\$@\")"
		[ "$now" = "$was" ] || bad="$bad $ns: $was-> $now;"
	done
	[ -z "$bad" ] || { echo "moved:$bad"; return 1; }
}
# conn NS PORT FIELD: state, bad, lport or keys-derived of NS's connection
# with local or remote port PORT (IPv4).
conn() {
	"$AOCTL" -n "$1" conn show detail | awk -v p=":$2" -v f="$3" '
		row { for (i = 1; i < NF; i++) if ($i == f) print $(i + 1); exit }
		NF >= 11 && ($1 ~ p "$" || $2 ~ p "$") {
			if (f == "state") { print $5; exit }
			if (f == "bad") { print $10; exit }
			if (f == "lport") { sub(/.*:/, "", $1); print $1; exit }
			row = 1
		}'
}
gen() {
	"$AOCTL" -n "$1" keychain show kc detail |
		awk '{ for (i = 1; i < NF; i++) if ($i == "generation") print $(i + 1) }'
}

# ---- the session and the transfers ----
alive_n() { sed -n 's/^alive //p' "$RESULTS/s.status" 2>/dev/null; }
progress() {
	_before=$(alive_n)
	sleep 2
	_after=$(alive_n)
	[ -n "$_before" ] && [ -n "$_after" ] && [ "$_after" -gt "$_before" ]
}
# xfer_start NAME PORT SECONDS: R1 sends to R2 for SECONDS.
xfer_start() {
	in_ns r2 python3 "$XFER" server 192.0.2.2 "$2" >"$RESULTS/$1.srv" 2>&1 &
	xsp=$!
	wait_for 10 grep -q listening "$RESULTS/$1.srv"
	in_ns r1 python3 "$XFER" client 192.0.2.2 "$2" $((2 * 1000 * 1000)) \
		--seconds "$3" >"$RESULTS/$1.cli" 2>&1 &
	xcp=$!
	wait_for 10 xfer_up "$2"
}
xfer_up() { [ "$(conn r1 "$1" state)" = established ]; }
xfer_whole() { # NAME: wait for the transfer; what R2 got is what R1 sent
	wait $xcp
	wait $xsp
	[ -s "$RESULTS/$1.cli" ] && [ "$(tail -n 1 "$RESULTS/$1.srv")" = "$(cat "$RESULTS/$1.cli")" ]
}
# keyids NAME SRC PORT [AFTER [BEFORE]]: the KeyIDs SRC sent on the
# connection of PORT (in order, repeats collapsed), from the capture (at or
# after AFTER, before BEFORE).
keyids() {
	python3 "$PCAPAO" --keyids ${4:+--after "$4"} ${5:+--before "$5"} "$(cap_path "$1")" |
		awk -v s="$2" -v p="$3" '{ split($1, f, ">"); n = split(f[1], a, ":"); m = split(f[2], b, ":") }
			a[1] == s && (a[n] == p || b[m] == p) { $1 = ""; sub(/^ /, ""); print }'
}

topo_two r1 r2 192.0.2.1/24 192.0.2.2/24

T0=$(at -600)
T1=$(at 1800)
write_conf r1 0:"$T0" 1:"$T1"
write_conf r2 0:"$T0" 1:"$T1"
check "R1: tcpao.service starts (ExecStart)" service r1 start
check "R2: tcpao.service starts (ExecStart)" service r2 start
diag "R1's file:"
sed 's/^/#   /' /etc/netns/r1/tcpao/tcpao.conf
check "  the secret-file path with a space and the secrets with '#' and quotes were read" \
	python3 -c '
import json, sys
d = json.load(sys.stdin)[0]
assert sorted((k["id"], k["secret_length"]) for k in d["keys"]) == [(0, 22), (1, 26)], d' \
	< <("$AOCTL" -n r1 -j keychain show kc detail)
check "  with a trial run (no warning that there was none)" \
	fails grep -q 'no trial run' "$RESULTS/service-r1.log"

spawn in_ns r2 python3 "$SESSION" server 192.0.2.2 1790
sleep 1
spawn in_ns r1 python3 "$SESSION" client 192.0.2.2 1790 "$RESULTS/s.status"
check "the session is up" wait_for 20 grep -q alive "$RESULTS/s.status"
SPORT=$(conn r1 1790 lport)
# The session's handshake is in no capture: its ISNs, for the verifier.
SISN="--isn 192.0.2.1,$SPORT,$(conn r1 1790 lisn) --isn 192.0.2.2,1790,$(conn r1 1790 risn)"
diag "session: $SISN"

# ---- 1. an unchanged file reloaded under traffic changes nothing ----
cap_start r2 to-r1 noop
spawn "$AOCTL" -n r1 monitor >"$RESULTS/monitor-r1.txt" 2>&1
xfer_start noop 1791 8
sleep 1
mark
look() {
	for ns in r1 r2; do
		echo "$ns $(gen $ns) $(conn $ns 1790 keys-derived) $(conn $ns 1791 keys-derived) $(conn $ns 1790 bad) $(conn $ns 1791 bad)"
	done
}
before=$(look)
check "R1: reload of the unchanged file" service r1 reload
check "R2: reload of the unchanged file" service r2 reload
sleep 1
after=$(look)
diag "generation, traffic keys derived and drops of both connections: $(echo "$before" | tr '\n' ';')"
check_eq "  the same keychain generation, keys derived and drops on each connection" "$before" "$after"
check "  no traffic key derived, no connection created, nothing dropped" \
	unchanged keys-derived connections-created $FAILS
check "  the transfer arrives whole" xfer_whole noop
check "  the session goes on" progress
cap_stop noop
check_eq "  R1 sent with key 0 only (capture)" "10" "$(keyids noop 192.0.2.1 1791)"
check_eq "  R2 sent with key 0 only (capture)" "20" "$(keyids noop 192.0.2.2 1791)"
check "  every segment signed, every MAC verified" cap_check_ao noop 10 20 -- $SISN
check_eq "  aoctl monitor saw no configuration event" "" \
	"$(grep -E '^([^ ]+ )?(keychain-|key-(new|set|del)|peer-)' "$RESULTS/monitor-r1.txt")"

# ---- 2. a leaked key: revoked within a second ----
cap_start r2 to-r1 leak
sleep 2
cp "$(cap_path leak)" "$RESULTS/leak-before.pcap"
replay() { # FROM-NS IFACE SRC SPORT: SRC's last data segment before, again
	in_ns "$1" python3 "$REPLAY" "$2" "$RESULTS/leak-before.pcap" "$3" "$4"
}
n0=$(counter r1 key-not-found) b0=$(conn r1 1790 bad)
check "control: a key-0 segment of R2 replayed at R1 while key 0 is valid" \
	replay r2 to-r1 192.0.2.2 1790
sleep 1
check_eq "  is accepted (verified, then discarded by TCP as old)" "$n0 $b0" \
	"$(counter r1 key-not-found) $(conn r1 1790 bad)"
T1=$(at 0)
write_conf r1 1:"$T1"
check "R1: key 0 removed and key 1 started now ($T1) in the file, reloaded" service r1 reload
t_r1=$(now)
sleep 2
check_eq "  the session still has its connection on R1" established "$(conn r1 1790 state)"
n0=$(counter r1 key-not-found) b0=$(conn r1 1790 bad)
check "  R2's key-0 segment replayed at R1" replay r2 to-r1 192.0.2.2 1790
sleep 1
check_eq "  is dropped: R1 counts one key-not-found, and one drop on the connection" \
	"$((n0 + 1)) $((b0 + 1))" "$(counter r1 key-not-found) $(conn r1 1790 bad)"
write_conf r2 1:"$T1"
check "R2: the same file change, reloaded" service r2 reload
t_r2=$(now)
sleep 2
n0=$(counter r2 key-not-found) b0=$(conn r2 1790 bad)
t_replay=$(now)
check "  R1's key-0 segment replayed at R2" replay r1 to-r2 192.0.2.1 "$SPORT"
sleep 1
check_eq "  is dropped: R2 counts one key-not-found, and one drop on the connection" \
	"$((n0 + 1)) $((b0 + 1))" "$(counter r2 key-not-found) $(conn r2 1790 bad)"
check "  the session goes on" progress
cap_stop leak
diag "R1 sent KeyIDs $(keyids leak 192.0.2.1 1790), R2 $(keyids leak 192.0.2.2 1790)"
diag "  after R1's reload: R1 $(keyids leak 192.0.2.1 1790 "$t_r1" "$t_replay"); after R2's: R2 $(keyids leak 192.0.2.2 1790 "$t_r2")"
# (R1's segment replayed at R2 is in the capture too: the check ends there.)
check_eq "  from 1 s after its reload R1 sends with key 1 only" "11" \
	"$(keyids leak 192.0.2.1 1790 "$(plus "$t_r1" 1)" "$t_replay")"
check_eq "  from 1 s after its reload R2 sends with key 1 only" "21" \
	"$(keyids leak 192.0.2.2 1790 "$(plus "$t_r2" 1)")"
check "  every segment signed, every MAC verified" cap_check_ao leak 10 20 11 21 -- $SISN
# (aoctl monitor starts each line with the time.)
check_grep "aoctl monitor: key 1 changed (its start time)" '^([^ ]+ )?key-set kc key 1 ' "$RESULTS/monitor-r1.txt"
check_grep "aoctl monitor: key 0 deleted" '^([^ ]+ )?key-del kc key 0$' "$RESULTS/monitor-r1.txt"

# ---- 3. rollover: a key added to both files, LEAD s ahead ----
rollover() { # NAME PORT OLD NEW EARLY: both files get key NEW, LEAD s ahead
	local name=$1 port=$2 old=$3 new=$4 early=$5 tn tn_s t_moved
	cap_start r2 to-r1 "$name"
	xfer_start "$name" "$port" $((LEAD * 3 / 2))
	mark
	tn_s=$(($(date +%s) + LEAD))
	tn=$(date -u -d "@$tn_s" +%Y-%m-%d.%H:%M:%S)
	write_conf r1 "$old:$T1" "$new:$tn"
	write_conf r2 "$old:$T1" "$new:$tn"
	check "$name: R1: key $new added, start time $tn, reloaded" service r1 reload
	if [ "$early" = both ]; then
		check "$name: R2: the same, reloaded" service r2 reload
	else
		_left=$((tn_s - $(date +%s)))
		[ "$_left" -le 0 ] || sleep "$_left"
		check "$name: R2: the same, reloaded only at the start time" service r2 reload
	fi
	# Both reloaded and the start time come: a round trip later (RNextKeyID)
	# both ends send with the new key.
	t_moved=$(date +%s)
	[ "$t_moved" -gt "$tn_s" ] || t_moved=$tn_s
	check "  the transfer arrives whole across the start time" xfer_whole "$name"
	check "  nothing dropped on either side, no new connection" \
		unchanged connections-created $FAILS
	check "  the session goes on" progress
	cap_stop "$name"
	check_eq "  R1 moved from key $old to key $new on the transfer (capture)" \
		"$((10 + old)) $((10 + new))" "$(keyids "$name" 192.0.2.1 "$port")"
	check_eq "  R2 moved from key $old to key $new on the transfer (capture)" \
		"$((20 + old)) $((20 + new))" "$(keyids "$name" 192.0.2.2 "$port")"
	check_eq "  after the start time (and R2's reload), only key $new on the session, both ways" \
		"$((10 + new)) $((20 + new))" \
		"$(keyids "$name" 192.0.2.1 1790 $((t_moved + 1))) $(keyids "$name" 192.0.2.2 1790 $((t_moved + 1)))"
	check "  every segment signed, every MAC verified" cap_check_ao "$name" $((10 + old)) $((20 + old)) $((10 + new)) $((20 + new)) \
		-- $SISN
	T1=$tn
}
rollover roll 1792 1 2 both
rollover onesided 1793 2 3 r1

done_testing
