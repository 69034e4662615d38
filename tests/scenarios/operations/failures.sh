#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 600
#
# What an operator sees when a session breaks, and the per-namespace
# service, between namespaces r1 and r2 (tests/tools/
# harden-lib.sh's topology), r1 signing with KeyID 10, r2 with 20:
#
#   1. A session with the mistake operators make most (r2 got r1's
#      keychain: send-id and recv-id not swapped): r1's SYN leaves a kernel
#      log line on r2 naming the peer, the ports, the keychain, the cause
#      (key-not-found) and the KeyID within a second of connect(), and one
#      line only while the SYN is retransmitted (once per cause and
#      connection per interval).
#   2. 10,000 segments with a bad MAC at one live connection: one line.
#      10,000 SYNs with an unknown KeyID from 10,000 source ports (each a
#      connection of its own): at most ten lines per five seconds, then
#      "callbacks suppressed".  The rate limit holds.
#   3. "aoctl stats peer" counts both floods under the policy, with the
#      connection's good segments; selectors choose policies and
#      connections as the man page says.
#   4. Module parameters: log_failures=0 silences the lines (the counters
#      still count), log_interval sets the interval.
#   5. tcpao@NETNS.service's commands (run by hand: systemd is not PID 1
#      in the test VM) apply /etc/tcpao/NETNS.conf in that namespace only,
#      and a reload is idempotent.
# The log lines are read from /dev/kmsg by tests/tools/kmsgfail.py.
. "$(dirname "$0")/../../lib.sh"
. "$TCPAO_SRC/tests/tools/harden-lib.sh"
require python3

KF="python3 $HD_TOOLS/kmsgfail.py"
FLOOD=${OPS_FLOOD:-10000}
t0=$(date +%s)
lap() {
	diag "$1: $(($(date +%s) - t0)) s"
}
# val OUT KEY: the value of "KEY V" in kmsgfail.py's output
val() {
	sed -n "s/^$2 //p" "$1" | head -n 1
}

# The module's log settings as they were, restored at the end.
PARAMS=/sys/module/tcpao/parameters
check "module parameter log_failures exists, 1 by default" grep -qx 'Y' $PARAMS/log_failures
check_eq "module parameter log_interval: 60 s by default" 60 "$(cat $PARAMS/log_interval 2>&1)"
on_exit "echo 1 >$PARAMS/log_failures; echo 60 >$PARAMS/log_interval"

hd_topo
mkdir -p "$HD_SECRETS"
chmod 700 "$HD_SECRETS"
batch() { # NS SEND RECV: keychain kc, policies to the other side, port 179
	local peer=2
	[ "$1" = r2 ] && peer=1
	(umask 077 && cat >"$HD_SECRETS/$1.batch" <<EOF
flush
keychain add kc key 0 secret "tcpao ops secret" send-id $2 recv-id $3
peer add 192.0.2.$peer keychain kc port 179
peer add 2001:db8::$peer keychain kc port 179
EOF
	)
	"$AOCTL" -n "$1" -b "$HD_SECRETS/$1.batch"
}

# --- 1. send-id and recv-id not swapped --------------------------------------
check "r1: keychain kc (send-id 10 recv-id 20), policies port 179" batch r1 10 20
check "r2: r1's keychain by mistake (send-id 10 recv-id 20)" batch r2 10 20
$KF connect r1 192.0.2.2 179 'tcpao: dropped segment: .*key-not-found' 4 \
	>"$RESULTS/swapped.out" 2>&1
sed 's/^/# /' "$RESULTS/swapped.out"
el=$(val "$RESULTS/swapped.out" elapsed)
lport=$(val "$RESULTS/swapped.out" lport)
line=$(val "$RESULTS/swapped.out" line)
if [ -n "$el" ] && [ "$el" != none ] && awk -v e="$el" 'BEGIN { exit !(e < 1.0) }'; then
	ok "IDs not swapped: a kernel log line within a second of connect() (${el} s)"
else
	not_ok "IDs not swapped: a kernel log line within a second of connect()" "elapsed: ${el:-none}"
fi
check_eq "  it names the peer and ports, the keychain, the cause, the KeyID and the diagnosis" \
	"tcpao: dropped segment: peer 192.0.2.1 port $lport, local 192.0.2.2 port 179, keychain kc: key-not-found, keyid 10 (send-id/recv-id look swapped)" \
	"$line"
check_eq "  one line for the connection while its SYN is retransmitted (4 s)" 1 \
	"$(val "$RESULTS/swapped.out" count)"
lap "swapped IDs"

# --- 2. floods -------------------------------------------------------------------
check "r2: keychain fixed (send-id 20 recv-id 10)" batch r2 20 10
hd_sessions_start s4,r2,r1,192.0.2.2,179
hd_sessions_alive "a protected session r1 -> r2:179 is up"
read -r _ _ sport _ _ <"$RESULTS/s4.status"

$KF flood r1 to-r2 $HD_MAC1 $HD_MAC2 192.0.2.1 192.0.2.2 179 10 "$FLOOD" conn \
	"$sport" 2 >"$RESULTS/flood-conn.out" 2>&1
diag "flood at the connection: $(val "$RESULTS/flood-conn.out" seconds) s"
grep '^line ' "$RESULTS/flood-conn.out" | head -n 5 | sed 's/^/# /'
check_eq "$FLOOD bad MACs at one connection: one kernel log line" \
	"1" "$(val "$RESULTS/flood-conn.out" lines)"
check_grep "  naming it and bad-mac" \
	"^line tcpao: dropped segment: peer 192\.0\.2\.1 port $sport, local 192\.0\.2\.2 port 179, keychain kc: bad-mac, keyid 10( \(wrong secret, or a key this side does not have\))?$" \
	"$RESULTS/flood-conn.out"
hd_fetch r2
check_eq "  the connection counts every one (conn show: bad)" "$FLOOD" \
	"$(hd_conn r2 179 "$sport" bad)"
hd_unfetch
hd_sessions_alive "  the session stays up"
lap "flood at a connection"

$KF flood r1 to-r2 $HD_MAC1 $HD_MAC2 192.0.2.1 192.0.2.2 179 99 "$FLOOD" flows \
	2 5.5 >"$RESULTS/flood-flows.out" 2>&1
secs=$(val "$RESULTS/flood-flows.out" seconds)
lines=$(val "$RESULTS/flood-flows.out" lines)
# At most ten lines in a window of five seconds; a window may have opened
# before the flood began.
max=$(awk -v s="$secs" 'BEGIN { printf "%d", 10 * (int(s / 5) + 2) }')
diag "flood of flows: $secs s, $lines lines (at most $max)"
if [ -n "$lines" ] && [ "$lines" -ge 1 ] && [ "$lines" -le "$max" ]; then
	ok "$FLOOD SYNs of as many connections: $lines lines in $secs s (at most $max)"
else
	not_ok "$FLOOD SYNs of as many connections: at most ten lines per five seconds" \
		"$lines lines in $secs s, at most $max"
fi
check_grep "  they name key-not-found and the KeyID" \
	'^line tcpao: dropped segment: peer 192\.0\.2\.1 port [0-9]+, local 192\.0\.2\.2 port 179, keychain kc: key-not-found, keyid 99( \(wrong secret, or a key this side does not have\))?$' \
	"$RESULTS/flood-flows.out"
# The kernel says how many it held back once the next window opens.
grep '^after ' "$RESULTS/flood-flows.out" | sed 's/^/# /'
check_grep "  and, the next window, how many it held back (callbacks suppressed)" \
	'^after tcpao_log_fail: [0-9]+ callbacks suppressed' "$RESULTS/flood-flows.out"
lap "flood of flows"

# --- 3. stats peer, selectors ----------------------------------------------------
"$AOCTL" -n r2 stats peer >"$RESULTS/stats-peer.txt" 2>&1
sed 's/^/# /' "$RESULTS/stats-peer.txt"
"$AOCTL" -n r2 -j stats peer 192.0.2.1 >"$RESULTS/stats-peer.json" 2>&1
py() { # EXPR FILE: EXPR over d, the JSON in FILE
	python3 -c 'import json, sys; d = json.load(open(sys.argv[2])); sys.exit(not eval(sys.argv[1]))' "$1" "$2"
}
check "stats peer 192.0.2.1: the IPv4 policy only" \
	py "len(d) == 1 and d[0]['prefix'] == '192.0.2.1/32' and d[0]['port'] == 179" "$RESULTS/stats-peer.json"
check "  bad-mac: every segment of the flood at the connection" \
	py "d[0]['bad_mac'] == $FLOOD" "$RESULTS/stats-peer.json"
check "  key-not-found: every SYN of the flows (of no connection)" \
	py "d[0]['key_not_found'] == $FLOOD + 1" "$RESULTS/stats-peer.json"
check "  good and signed > 0, one connection live, created >= 1" \
	py "d[0]['good'] > 0 and d[0]['signed'] > 0 and d[0]['connections'] == 1 and d[0]['connections_created'] >= 1" \
	"$RESULTS/stats-peer.json"
check "stats peer 2001:db8::1: the IPv6 policy, nothing dropped" \
	py "len(d) == 1 and d[0]['family'] == 'inet6' and d[0]['bad_mac'] == 0 and d[0]['key_not_found'] == 0" \
	<("$AOCTL" -n r2 -j stats peer 2001:db8::1)
check_grep "stats peer: the row lists the drops by cause" \
	"^192\.0\.2\.1/32 +179 +default +kc +1 .*bad-mac $FLOOD .*key-not-found" "$RESULTS/stats-peer.txt"
check_eq "peer show 192.0.2.1 (abbreviated: p s): one policy" 1 \
	"$("$AOCTL" -n r2 -j p s 192.0.2.1 | grep -o '"prefix"' | wc -l)"
check_eq "peer show port any: none" "[]" "$("$AOCTL" -n r2 -j peer show port any)"
check_eq "conn show port 179 keychain kc: the session" "1" \
	"$("$AOCTL" -n r2 -j conn show port 179 keychain kc | grep -o "\"remote_port\":$sport" | wc -l)"
check_eq "conn show 2001:db8::/64: none" "[]" "$("$AOCTL" -n r2 -j conn show 2001:db8::/64)"

# --- 4. module parameters ----------------------------------------------------------
kbefore=$(hd_stat r2 key_not_found)
$KF params r1 to-r2 $HD_MAC1 $HD_MAC2 192.0.2.1 192.0.2.2 179 10 "$sport" \
	>"$RESULTS/params.out" 2>&1
check_eq "log_failures=0: no line for 50 failing SYNs" 0 "$(val "$RESULTS/params.out" off)"
check_eq "  the counters count all the same" 50 "$(($(hd_stat r2 key_not_found) - kbefore))"
check_eq "log_interval=2: a line for the connection's bad MACs, and again 3 s later" "1 1" \
	"$(val "$RESULTS/params.out" interval)"
check_eq "  the parameters are back at 1 and 60" "Y 60" \
	"$(cat $PARAMS/log_failures) $(cat $PARAMS/log_interval)"
hd_sessions_stop
lap "parameters"

# --- 5. tcpao@NETNS.service ---------------------------------------------------------
unit=$RESULTS/tcpao@.service
sed -e "s|@SBINDIR@|$(dirname "$AOCTL")|g" -e "s|@LIBEXECDIR@|$TCPAO_SRC/packaging|g" \
	-e "s|@SYSCONFDIR@|/etc|g" "$TCPAO_SRC/packaging/systemd/tcpao@.service.in" >"$unit"
ns_create blue
install -d -m 700 /etc/tcpao/keys
(umask 077 && printf '%s' 'blue secret' >/etc/tcpao/keys/blue.0)
install -m 600 /dev/stdin /etc/tcpao/blue.conf <<'EOF'
keychain add bluekc key 0 secret-file /etc/tcpao/keys/blue.0 send-id 5 recv-id 6 \
    start-time 2020-01-01.00:00:00
peer add 198.51.100.2 keychain bluekc port 179
EOF
check_grep "tcpao@.service: the condition is /etc/tcpao/%i.conf" \
	'^ConditionPathExists=/etc/tcpao/%i\.conf$' "$unit"
# The unit's commands with %i = blue, as systemd would run them; but the
# harness loaded its tcpao.ko with insmod, so "modprobe tcpao" (which finds
# no installed module) becomes a check that tcpao is loaded.
check_grep "tcpao@.service loads the module first" '^ExecStartPre=/sbin/modprobe tcpao$' "$unit"
run_unit() { # KEY...: the unit's lines KEY=..., in order; each must succeed
	local k cmd env
	env=$(sed -n 's/^Environment=//p' "$unit")
	for k in "$@"; do
		sed -n "s/^$k=//p" "$unit" | sed -e 's/%i/blue/g' \
			-e 's|^/sbin/modprobe tcpao$|grep -q ^tcpao /proc/modules|' |
		while IFS= read -r cmd; do
			echo "+ $cmd"
			# shellcheck disable=SC2086 # the unit's words
			env $env $cmd || exit 1
		done || return 1
	done
}
"$AOCTL" -j keychain show >"$RESULTS/root-before.json"
check "tcpao@blue: ExecStartPre and ExecStart succeed" run_unit ExecStartPre ExecStart
check_eq "  the keychain is in netns blue" "bluekc" \
	"$("$AOCTL" -n blue -j keychain show | sed -n 's/.*"name":"\([^"]*\)".*/\1/p')"
check_eq "  and nothing changed in the namespace the unit ran from" \
	"$(cat "$RESULTS/root-before.json")" "$("$AOCTL" -j keychain show)"
check_eq "  the policy, port 179" "1" "$("$AOCTL" -n blue -j peer show 198.51.100.2 port 179 | grep -o '"prefix"' | wc -l)"
check "tcpao@blue: ExecReload succeeds (the same again)" run_unit ExecReload
check_eq "  still one keychain, one policy" "1 1" \
	"$("$AOCTL" -n blue -j keychain show | grep -o '"name"' | wc -l) $("$AOCTL" -n blue -j peer show | grep -o '"prefix"' | wc -l)"
echo "peer add 198.51.100.3 keychain nosuch port 179" >>/etc/tcpao/blue.conf
if run_unit ExecReload >"$RESULTS/blue-bad.log" 2>&1; then
	not_ok "tcpao@blue: a line the kernel refuses fails the reload"
else
	ok "tcpao@blue: a line the kernel refuses fails the reload"
fi
check_eq "  and changes nothing in blue" "1" "$("$AOCTL" -n blue -j peer show | grep -o '"prefix"' | wc -l)"
rm -f /etc/tcpao/blue.conf /etc/tcpao/keys/blue.0
lap "done"
done_testing
