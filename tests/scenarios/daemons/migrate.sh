#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Migration to TCP-AO with BIRD 2 BGP: R1 has the seed's keychain and peer
# policies with allow-without-tcpao; R2 has no TCP-AO configuration at all
# (not yet migrated).  The sessions come up unprotected, whichever side
# opens the connection: R1 counts them as without-ao-accepted and shows them
# as unprotected connections, and no segment of the sessions' connections
# carries TCP-AO.  Capture:
# $RESULTS/migrate.pcap.
. "$(dirname "$0")/../../lib.sh"
. "$(dirname "$0")/../../lib-daemons.sh"
require bird birdc tcpdump python3

seed_topology
check "R1: seed keychain" seed_keychain R1 r1
check "R1: BGP peer policy for R2 (IPv4) with allow-without-tcpao" \
	"$AOCTL" -n R1 peer add 192.0.2.2/32 keychain new_auth_key port 179 allow-without-tcpao
check "R1: BGP peer policy for R2 (IPv6) with allow-without-tcpao" \
	"$AOCTL" -n R1 peer add 2001:db8::2/128 keychain new_auth_key port 179 allow-without-tcpao
diag_cmd "R1: aoctl peer show" "$AOCTL" -n R1 peer show
check_eq "R2: no TCP-AO configuration" "" "$("$AOCTL" -n R2 peer show | sed 1d)"
cap_start migrate R1 to-R2 tcp port 179 || bail "tcpdump did not start"

check "R1: BIRD starts" bird_start R1 R1 "$DAEMONS_DATA/bird-r1.conf"
check "R2: BIRD starts" bird_start R2 R2 "$DAEMONS_DATA/bird-r2.conf"
check_bird_up R1 r2_v4
check_bird_up R1 r2_v6
check_bird_up R2 r1_v4
check_bird_up R2 r1_v6
check_grep "R1: learned R2's prefix 203.0.113.0/24" '^203\.0\.113\.0/24 .*\[r2_v4 ' <(birdc_ R1 show route)
# Keepalives flow for a while, unsigned.
sleep 7
check "R1: BIRD r2_v4 still Established" bird_up R1 r2_v4

check_stat "R1: sessions accepted without TCP-AO (without-ao-accepted)" R1 without-ao-accepted -gt 0
diag_cmd "R1: aoctl stats" "$AOCTL" -n R1 stats
diag_cmd "R1: aoctl conn show detail" "$AOCTL" -n R1 conn show detail
v4=() v6=()
for a in 192.0.2.2 2001:db8::2; do
	# The session's TCP connection, as the kernel has it, and tcpao's
	# entry for it.
	read -r lport rport < <(sock_ports R1 "$a" 179)
	diag "R1: BGP session to $a: local port ${lport:-?}, remote port ${rport:-?}"
	check_eq "R1: tcpao knows the session's connection to $a as unprotected" \
		"new_auth_key unprotected" \
		"$(aoconn R1 "c['remote_address'] == '$a' and c['local_port'] == ${lport:-0} and c['remote_port'] == ${rport:-0}" keychain flags)"
	if [ "$a" = 192.0.2.2 ]; then v4=("$lport" "$rport"); else v6=("$lport" "$rport"); fi
done

cap_stop migrate
pcap=$RESULTS/migrate.pcap
# The opening SYN offers TCP-AO when R1 opened the connection; everything
# after it goes without.
check_no_ao "capture: no segment of the IPv4 session carries TCP-AO (but R1's SYN)" "$pcap" \
	"ip and tcp port ${v4[0]:-0} and tcp port ${v4[1]:-0}" 'Flags \[S\],'
check_no_ao "capture: no segment of the IPv6 session carries TCP-AO (but R1's SYN)" "$pcap" \
	"ip6 and tcp port ${v6[0]:-0} and tcp port ${v6[1]:-0}" 'Flags \[S\],'

check_macs "capture: R1's SYNs offering TCP-AO verify (the rest goes unsigned, as allowed)" \
	"$pcap" --unsigned-ok 179

# R1's own connection attempts offer TCP-AO; R2, which knows nothing of it,
# answers without.
read -r n a < <(ao_count "$pcap" "src host 192.0.2.1 or src host 2001:db8::1" 'Flags \[([^S]|S\.)')
diag "R1's SYNs: $n, with TCP-AO: $a; segments without TCP-AO dropped by R1 (ao-required): $(aostat R1 ao-required)"
diag_cmd "capture (first segments)" show_segments "$pcap" "tcp port 179" 8

done_testing
