#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Daemon restarts under tcpao with BIRD 2 BGP (IPv4 and IPv6, seed keychain
# and peer policies): BIRD on R2 is killed (SIGKILL, as in a crash) and
# started again, then BIRD on R1 is stopped (SIGTERM, a clean shutdown with
# a Cease) and started again.  Each time the sessions go down, come back
# up on new TCP connections protected with TCP-AO, without a single
# segment failing verification, and every BGP segment on the wire carries
# TCP-AO (the kernel's FINs and RSTs for the dead daemon's sockets too).
# Capture: $RESULTS/restart.pcap.
. "$(dirname "$0")/../../lib.sh"
. "$(dirname "$0")/../../lib-daemons.sh"
require bird birdc tcpdump python3

seed_topology
check "R1: seed keychain" seed_keychain R1 r1
check "R2: seed keychain" seed_keychain R2 r2
check "R1: peer policies" seed_peers R1 r1
check "R2: peer policies" seed_peers R2 r2
cap_start restart R1 to-R2 tcp port 179 || bail "tcpdump did not start"

check "R1: BIRD starts" bird_start R1 R1 "$DAEMONS_DATA/bird-r1.conf"
check "R2: BIRD starts" bird_start R2 R2 "$DAEMONS_DATA/bird-r2.conf"
for p in r2_v4 r2_v6; do check_bird_up R1 $p; done
for p in r1_v4 r1_v6; do check_bird_up R2 $p; done

live_conn() { # NS REMOTE: ports of the established BGP connection
	aoconn "$1" "c['remote_address'] == '$2' and 179 in (c['local_port'], c['remote_port']) and c['state'] == 'established'" \
		local_port remote_port keychain send_keyid recv_keyid
}
bird_down() { # NAME PROTO
	! bird_up "$@"
}
# One restart: NAME SIGNAL OTHER OTHER-PROTO-PREFIX CONF
restart_round() {
	local name=$1 sig=$2 other=$3 op=$4 conf=$5 before4 before6 p
	before4=$(live_conn R1 192.0.2.2) before6=$(live_conn R1 2001:db8::2)
	diag "R1's connections before: $before4 / $before6"
	check "$name: BIRD killed with SIG$sig" bird_stop "$name" "$sig"
	for p in ${op}_v4 ${op}_v6; do
		if wait_for 30 bird_down "$other" "$p"; then
			ok "$other: BIRD $p went down ($(bird_state "$other" "$p"))"
		else
			not_ok "$other: BIRD $p went down"
		fi
	done
	check "$name: BIRD starts again" bird_start "$name" "$name" "$conf"
	for p in r2_v4 r2_v6; do check_bird_up R1 $p; done
	for p in r1_v4 r1_v6; do check_bird_up R2 $p; done
	for a in 192.0.2.2 2001:db8::2; do
		local now
		now=$(live_conn R1 "$a")
		case $a in *:*) b=$before6 ;; *) b=$before4 ;; esac
		if [ -n "$now" ] && [ "$now" != "$b" ] &&
			[ "${now#* * }" = "new_auth_key 1 2" ]; then
			ok "R1: new connection to $a, protected by new_auth_key, KeyIDs 1/2 ($now)"
		else
			not_ok "R1: new connection to $a, protected by new_auth_key, KeyIDs 1/2" \
				"before: '$b', now: '$now'"
		fi
	done
	check_clean R1
	check_clean R2
}

# R2's BIRD crashes: its kernel closes the sockets (FIN, or RST if data
# was unread), both signed, since tcpao knows the connections.
restart_round R2 KILL R1 r2 "$DAEMONS_DATA/bird-r2.conf"
# R1's BIRD shuts down cleanly (NOTIFICATION Cease, then FIN).
restart_round R1 TERM R2 r1 "$DAEMONS_DATA/bird-r1.conf"
diag_cmd "R1: birdc show protocols" birdc_ R1 show protocols
diag_cmd "R1: aoctl conn show" "$AOCTL" -n R1 conn show
diag_cmd "R1: BIRD's log of the restarts" grep -E "State changed|established|Connection|Received|closed" "$RESULTS/bird-R1.log"

sleep 1
cap_stop restart
check_all_ao "capture: every BGP segment carries TCP-AO" "$RESULTS/restart.pcap" "tcp port 179"
check_macs "capture: every MAC verifies (FINs and RSTs of the restarts included)" \
	"$RESULTS/restart.pcap"
rsts=$(($(count_flags "$RESULTS/restart.pcap" "tcp port 179" R) + $(count_flags "$RESULTS/restart.pcap" "tcp port 179" R.)))
fins=$(($(count_flags "$RESULTS/restart.pcap" "tcp port 179" F.) + $(count_flags "$RESULTS/restart.pcap" "tcp port 179" FP.)))
diag "capture: $fins FIN and $rsts RST segments (all with TCP-AO)"
if [ "$fins" -gt 0 ]; then ok "capture: the closes (FIN) are in it"; else not_ok "capture: the closes (FIN) are in it"; fi

done_testing
