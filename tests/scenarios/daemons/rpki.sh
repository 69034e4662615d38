#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The seed's RPKI-RTR example with Debian 12's unmodified StayRTR and
# BIRD 2: StayRTR on R2 serves ROAs on port 8282, BIRD's rpki protocol on R1
# fetches them; tcpao's peer policies (port 8282) protect the session with
# the seed's keychain new_auth_key.  The session comes up, every ROA
# arrives, an ROA added at the cache later arrives over the same session,
# and every RTR segment on the wire carries TCP-AO.  Capture:
# $RESULTS/rpki.pcap.
. "$(dirname "$0")/../../lib.sh"
. "$(dirname "$0")/../../lib-daemons.sh"
require bird birdc stayrtr tcpdump python3

seed_topology
check "R1: seed keychain" seed_keychain R1 r1
check "R2: seed keychain" seed_keychain R2 r2
check "R1: peer policies" seed_peers R1 r1
check "R2: peer policies" seed_peers R2 r2
cap_start rpki R1 to-R2 tcp port 8282 || bail "tcpdump did not start"

roas=$DTMP/roas.json
cp "$DAEMONS_DATA/roas.json" "$roas"
check "R2: StayRTR serves the ROAs on 192.0.2.2:8282" \
	stayrtr_start stayrtr-R2 R2 192.0.2.2:8282 "$roas"
check "R1: BIRD starts (rpki protocol)" bird_start R1 R1 "$DAEMONS_DATA/bird-rpki-r1.conf"
check_bird_up R1 rpki_cache

roa_count() { # TABLE: number of ROAs BIRD holds
	birdc_ R1 show route table "$1" count | sed -n 's/^\([0-9]*\) of .*/\1/p'
}
roa_count_is() { # TABLE N
	[ "$(roa_count "$1")" = "$2" ]
}
has_roa() { # TABLE REGEX
	birdc_ R1 show route table "$1" | grep -Eq "$2"
}
wait_for 30 roa_count_is rpki4 3
check_eq "R1: the 3 IPv4 ROAs arrived" 3 "$(roa_count rpki4)"
check_eq "R1: the 2 IPv6 ROAs arrived" 2 "$(roa_count rpki6)"
check_grep "R1: ROA 203.0.113.0/24 max 24 AS65501" '^203\.0\.113\.0/24-24 +AS65501' \
	<(birdc_ R1 show route table rpki4)
check_grep "R1: ROA 2001:db8:100::/48 max 48 AS65500" '^2001:db8:100::/48-48 +AS65500' \
	<(birdc_ R1 show route table rpki6)
birdc_ R1 show protocols all rpki_cache >"$RESULTS/rpki-protocol.txt"
check_grep "R1: rpki: cache 192.0.2.2" 'Cache server: +192\.0\.2\.2' "$RESULTS/rpki-protocol.txt"
check_grep "R1: rpki: port 8282" 'Cache port: +8282' "$RESULTS/rpki-protocol.txt"
check_grep "R1: rpki: status Established" 'Status: +Established' "$RESULTS/rpki-protocol.txt"
diag_cmd "R1: birdc show protocols all rpki_cache" cat "$RESULTS/rpki-protocol.txt"

sel="c['remote_address'] == '192.0.2.2' and c['remote_port'] == 8282 and c['state'] == 'established'"
check_eq "R1: RTR connection protected by new_auth_key, KeyIDs 1/2" \
	"new_auth_key 1 2" "$(aoconn R1 "$sel" keychain send_keyid recv_keyid)"
sel="c['remote_address'] == '192.0.2.1' and c['local_port'] == 8282 and c['state'] == 'established'"
check_eq "R2: RTR connection protected by new_auth_key, KeyIDs 2/1" \
	"new_auth_key 2 1" "$(aoconn R2 "$sel" keychain send_keyid recv_keyid)"
ports=$(aoconn R1 "c['remote_port'] == 8282 and c['state'] == 'established'" local_port)

# A new ROA at the cache: StayRTR notifies, BIRD fetches it incrementally
# over the same protected connection.
python3 - "$roas" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["roas"].append({"prefix": "198.51.100.128/25", "maxLength": 25, "asn": "AS65500", "ta": "test"})
json.dump(d, open(sys.argv[1] + ".new", "w"), indent=2)
PY
mv "$roas.new" "$roas"
if wait_for 30 has_roa rpki4 '^198\.51\.100\.128/25-25 +AS65500'; then
	ok "R1: the ROA added at the cache arrived (198.51.100.128/25)"
else
	not_ok "R1: the ROA added at the cache arrived (198.51.100.128/25)" \
		"$(birdc_ R1 show route table rpki4)"
fi
check_eq "R1: over the same connection" "$ports" \
	"$(aoconn R1 "c['remote_port'] == 8282 and c['state'] == 'established'" local_port)"
check_bird_up R1 rpki_cache 1
check_stat "R1: segments verified" R1 good -gt 0
check_stat "R2: segments verified" R2 good -gt 0
check_clean R1
check_clean R2
diag_cmd "R1: aoctl conn show" "$AOCTL" -n R1 conn show

# Close it (BIRD's rpki sends FIN), then look at the wire.
check "R1: BIRD stops" bird_stop R1 TERM
sleep 1
cap_stop rpki
check_clean R1
check_clean R2
check_all_ao "capture: every RPKI-RTR segment carries TCP-AO" "$RESULTS/rpki.pcap" "tcp port 8282"
check_macs "capture: every RPKI-RTR segment's MAC verifies" "$RESULTS/rpki.pcap"
check_eq "capture: R1 signs with KeyID 1" 1 "$(keyids "$RESULTS/rpki.pcap" "src host 192.0.2.1")"
check_eq "capture: R2 signs with KeyID 2" 2 "$(keyids "$RESULTS/rpki.pcap" "src host 192.0.2.2")"
diag_cmd "capture (first segments)" show_segments "$RESULTS/rpki.pcap" "tcp port 8282" 4

done_testing
