#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The demo's scenario (tests/demo/run boots the VM that runs it): the Junos
# seed's BGP example between R1 and R2 with Debian's own BIRD 2 over tcpao.
# Prints TAP (the verdict) and writes what an operator would look at to
# $RESULTS/demo.txt, which tests/demo/run shows.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-daemons.sh"
require bird birdc tcpdump

out=$RESULTS/demo.txt
: >"$out"
say() { printf '%s\n' "$*" >>"$out"; }
title() { printf '\n=== %s\n' "$*" >>"$out"; }
# run R SHOWN CMD...: show "R# SHOWN" (the command as an operator types it
# on the router) and the output of CMD.
run() {
	local r=$1 shown=$2
	shift 2
	printf '\n%s# %s\n' "$r" "$shown" >>"$out"
	"$@" >>"$out" 2>&1
}

say "tcpao demo on $(uname -r) ($KERNEL_FLAVOR kernel), $(date -u '+%Y-%m-%d %H:%M UTC')"
say ""
say "  R1 (AS 65500)  192.0.2.1/30 ---- 192.0.2.2/30  R2 (AS 65501)"
say "                 2001:db8::1/64    2001:db8::2/64"
say ""
say "Two routers as network namespaces, BGP over IPv4 and IPv6 with Debian's"
say "own BIRD $(bird --version 2>&1 | awk '{ print $NF }'), which knows nothing of TCP-AO.  tcpao protects the"
say "sessions: the Junos seed's keychain new_auth_key (key 0 HMAC-SHA-1-96 in"
say "use, key 1 AES-128-CMAC-96 for later; send-id/recv-id reversed on R2)"
say "and peer policies for the BGP port."

seed_topology
title "1. Keychain and peer policies, from aoctl batch files"
say "(Secrets are write-only: no command ever shows them.)"
run R1 "grep -v '^#' seed-r1.batch" grep -v '^#' "$SEED_DATA/seed-r1.batch"
run R1 "aoctl -b seed-r1.batch" seed_keychain R1 r1
check "R1: keychain new_auth_key" "$AOCTL" -n R1 keychain show new_auth_key
check "R2: keychain new_auth_key" seed_keychain R2 r2
run R1 "grep -v '^#' r1-peers.batch" grep -v '^#' "$DAEMONS_DATA/r1-peers.batch"
run R1 "aoctl -b r1-peers.batch" seed_peers R1 r1
check "R1: peer policies" sh -c "'$AOCTL' -n R1 peer show | grep -q 192.0.2.2/32"
check "R2: peer policies" seed_peers R2 r2
run R1 "aoctl keychain show" "$AOCTL" -n R1 keychain show
run R1 "aoctl keychain show new_auth_key detail" "$AOCTL" -n R1 keychain show new_auth_key detail
run R1 "aoctl peer show" "$AOCTL" -n R1 peer show

title "2. BIRD on both routers, unmodified"
cap_start demo R1 to-R2 tcp port 179 || bail "tcpdump did not start"
run R1 "sed -n '/^template bgp/,/^}/p; /^protocol bgp r2_v4/,/^}/p' bird.conf" \
	sed -n '/^template bgp/,/^}/p; /^protocol bgp r2_v4/,/^}/p' "$DAEMONS_DATA/bird-r1.conf"
check "R1: BIRD starts" bird_start R1 R1 "$DAEMONS_DATA/bird-r1.conf"
check "R2: BIRD starts" bird_start R2 R2 "$DAEMONS_DATA/bird-r2.conf"
check_bird_up R1 r2_v4
check_bird_up R1 r2_v6
check_bird_up R2 r1_v4
check_bird_up R2 r1_v6
wait_for 20 sh -c "birdc -s '$DTMP/bird-R1/bird.ctl' show route | grep -q 'r2_v6 '"
# A few keepalives (3 s) on the wire.
sleep 4

title "3. The sessions, as BIRD sees them"
run R1 "birdc show protocols" birdc_ R1 show protocols
run R1 "birdc show route" birdc_ R1 show route
run R2 "birdc show route" birdc_ R2 show route

title "4. The same sessions, as tcpao sees them"
say "(KeyID/RNext: the KeyID of the last segment sent or received and the"
say "RNextKeyID it carried; key 0 is send-id 1 recv-id 2 on R1.)"
run R1 "aoctl conn show" "$AOCTL" -n R1 conn show
run R2 "aoctl conn show" "$AOCTL" -n R2 conn show
run R1 "aoctl stats | grep -v ' 0\$'" sh -c "'$AOCTL' -n R1 stats | grep -v ' 0\$'"

title "5. On the wire (tcpdump decodes the TCP-AO option)"
read -r lport rport < <(sock_ports R1 192.0.2.2 179)
cap_stop demo
pcap=$RESULTS/demo.pcap
say "The IPv4 session's first segments (handshake, OPENs, KEEPALIVEs):"
f="tcp port ${lport:-179} and tcp port ${rport:-179}"
run R1 "tcpdump -nn -r demo.pcap '$f' | head -8" show_segments "$pcap" "$f" 8
read -r n a < <(ao_count "$pcap" "tcp port 179")
say ""
say "$a of $n BGP segments captured carry TCP-AO (capture: $pcap)."
check_all_ao "every BGP segment carries TCP-AO" "$pcap" "tcp port 179"
check_macs "every MAC verifies (tests/tools/aoverify.py)" "$pcap"
check_clean R1
check_clean R2

title "Verdict"
if bird_up R1 r2_v4 && bird_up R1 r2_v6 && [ "$n" -gt 0 ] && [ "$n" = "$a" ] &&
	[ "$_tap_failed" -eq 0 ]; then
	say "OK: BGP sessions Established over TCP-AO (IPv4 and IPv6), every segment signed and verified."
else
	say "FAILED: see the checks above and $RESULTS."
fi
done_testing
