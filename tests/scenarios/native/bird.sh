#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-needs: trixie-root
#
# The real-daemon interop an operator mixing Debian 13 and Debian 12 routers
# meets: R2 runs Debian 13's BIRD 2.17 with its own "authentication ao",
# i.e. Linux's TCP-AO (native kernel, CONFIG_TCP_AO=y), from a Debian 13
# root made by debootstrap (tests/vm/trixie-root, chroot in R2's network
# namespace); R1 runs Debian 12's BIRD 2.0.12, which knows nothing of
# TCP-AO, behind tcpao's peer policies.  BGP over IPv4 (HMAC-SHA-1-96) and
# IPv6 (AES-128-CMAC-96 with a 20-byte secret): both sessions Established,
# routes exchanged both ways, tcpao's connections clean, and every captured
# segment's MAC verified by the independent verifier.  Then R1's BIRD
# stops: its close is signed, and R2's reconnection attempts are refused
# by RSTs that tcpao signs and Linux accepts.  Capture: $RESULTS/bgp.pcap.
#
# On Debian's 6.12 (--kernel stock612, no TCP-AO of its own) the same runs
# with R2's BIRD 2.17 under libtcpao-compat.so: its configuration
# unchanged, its TCP_AO_* calls answered by tcpao (Documentation/
# linuxapi.rst), the keys it reads back shown by "birdc show protocols
# all" as on Linux.
. "$(dirname "$0")/../../lib.sh"
. "$(dirname "$0")/../../lib-daemons.sh"
require bird birdc tcpdump python3

ROOT=${TCPAO_TRIXIE_ROOT:-}
[ -n "$ROOT" ] && [ -x "$ROOT/usr/sbin/bird" ] ||
	bail "no Debian 13 root (TCPAO_TRIXIE_ROOT): tests/vm/run builds it for '# vm-needs: trixie-root'"
NATIVE=$TCPAO_SRC/tests/scenarios/data/native

# On a kernel without TCP-AO of its own (Debian's 6.12, --kernel stock612)
# the same BIRD 2.17 and configuration run with libtcpao-compat.so: tcpao
# answers its TCP_AO_* calls (src/linuxapi.c, Documentation/linuxapi.rst)
# in R2's namespace, as its peer policies do for BIRD 2.0.12 in R1's.
trixie_shim "$ROOT"

# BIRD 2.17 runs chrooted into the Debian 13 root, in R2's namespace; its
# files are in the root (the guest's overlay makes it writable, the cache
# on the host stays as it was).  $DTMP/bird-R2 points there, so that the
# helpers of lib-daemons.sh find its pid file; birdc is 2.17's own.
R2D=/tmp/tcpao-bird-R2
bird217_start() {
	mkdir -p "$ROOT$R2D"
	ln -sfn "$ROOT$R2D" "$DTMP/bird-R2"
	sed "s#@LOG@#$R2D/bird.log#" "$NATIVE/bird217-r2.conf" >"$ROOT$R2D/bird.conf"
	cp "$ROOT$R2D/bird.conf" "$RESULTS/bird-R2.conf"
	in_ns R2 chroot "$ROOT" env ${SHIM:+LD_PRELOAD=$SHIM TCPAO_COMPAT_DEBUG=1} \
		/usr/sbin/bird -c "$R2D/bird.conf" -s "$R2D/bird.ctl" \
		-P "$R2D/bird.pid" 2>"$RESULTS/bird-R2.stderr" || return 1
	wait_for 30 birdc_ R2 show status
}
birdc_() {
	local name=$1
	shift
	if [ "$name" = R2 ]; then
		chroot "$ROOT" /usr/sbin/birdc -s "$R2D/bird.ctl" "$@"
	else
		birdc -s "$DTMP/bird-$name/bird.ctl" "$@"
	fi
}
on_exit "cp '$ROOT$R2D/bird.log' '$RESULTS/bird-R2.log'"

seed_topology
check "R1: keychains and peer policies for R2 (aoctl -b r1-bird217.batch)" \
	aoctl_batch R1 "$NATIVE/r1-bird217.batch"
cap_start bgp R1 to-R2 tcp port 179 || bail "tcpdump did not start"

# R2 first: a SYN of R1 that met R2 before its BIRD listened would be
# refused with an unsigned RST (no socket, no keys to sign it with: Linux
# does the same), which R1's tcpao rightly drops and counts.  R1's closed
# port, by contrast, answers with an RST tcpao signs.
check "R2: BIRD 2.17 (Debian 13, chroot) starts" bird217_start
diag "R2: $(chroot "$ROOT" /usr/sbin/bird --version 2>&1)"
check "R1: BIRD 2.0.12 (Debian 12) starts" bird_start R1 R1 "$DAEMONS_DATA/bird-r1.conf"
check_bird_up R1 r2_v4
check_bird_up R1 r2_v6
check_bird_up R2 r1_v4
check_bird_up R2 r1_v6

route_from() { # NAME PREFIX PROTO AS
	birdc_ "$1" show route "$2" | grep -q "\[$3 .*\[AS$4i\]"
}
for r in "R1 203.0.113.0/24 r2_v4 65501" "R1 2001:db8:200::/48 r2_v6 65501" \
	"R2 198.51.100.0/24 r1_v4 65500" "R2 2001:db8:100::/48 r1_v6 65500"; do
	set -- $r
	if wait_for 30 route_from "$@"; then
		ok "$1: learned $2 from $3 (AS $4)"
	else
		not_ok "$1: learned $2 from $3 (AS $4)" "$(birdc_ "$1" show route)"
	fi
done

# Keepalives both ways (every 3 s).
sleep 7
for p in r1_v4 r1_v6; do
	check "R2: BIRD $p still Established" bird_up R2 $p
done
birdc_ R2 show protocols all >"$RESULTS/r2-protocols.txt" 2>&1
# BIRD 2.17's own view of Linux's TCP-AO: Current key = the SendID it
# signs with, RNext key = the RecvID it asks for.
ao_keys() { # PROTO: "CURRENT RNEXT" from show protocols all
	birdc_ R2 show protocols all "$1" | awk '/Current key:/ { c = $3 } /RNext key:/ { r = $3 } END { print c, r }'
}
check_eq "R2: BIRD 2.17's r1_v4 signs with TCP-AO key 2, asks for key 1" "2 1" "$(ao_keys r1_v4)"
check_eq "R2: BIRD 2.17's r1_v6 signs with TCP-AO key 4, asks for key 3" "4 3" "$(ao_keys r1_v6)"
diag_cmd "R1: aoctl conn show" "$AOCTL" -n R1 conn show

# tcpao's view: KeyID 1 out / 2 in over IPv4, 3 / 4 over IPv6, verified.
for a in "192.0.2.2 bird217_v4 1 2" "2001:db8::2 bird217_v6 3 4"; do
	set -- $a
	sel="c['remote_address'] == '$1' and 179 in (c['local_port'], c['remote_port']) and c['state'] == 'established'"
	check_eq "R1: connection to $1 established, keychain $2, sends KeyID $3, receives KeyID $4" \
		"$2 $3 $4" "$(aoconn R1 "$sel" keychain send_keyid recv_keyid)"
	v=$(aoconn R1 "$sel" good bad)
	check "R1: connection to $1: segments verified, none bad ($v)" \
		test "${v#* }" = 0 -a "${v% *}" -gt 0
done
check_stat "R1: segments verified" R1 good -gt 0
check_stat "R1: segments signed" R1 signed -gt 0
check_clean R1

# R1's BIRD stops: NOTIFICATION Cease and a signed close; R2 then keeps
# reconnecting, and R1 (no listener now) answers each SYN with an RST
# tcpao signs.  Linux accepts such an RST only if its MAC verifies: BIRD
# then logs the refusal at once, instead of waiting for its connect timer.
check "R1: BIRD stops" bird_stop R1 TERM
rst_seen() {
	[ "$(count_flags "$RESULTS/bgp.pcap" "src host 192.0.2.1" R.)" -gt 0 ] &&
		[ "$(count_flags "$RESULTS/bgp.pcap" "src host 2001:db8::1" R.)" -gt 0 ]
}
if wait_for 20 rst_seen; then
	ok "R1 refuses R2's reconnections over IPv4 and IPv6 (RST)"
else
	not_ok "R1 refuses R2's reconnections over IPv4 and IPv6 (RST)"
fi
refused() { grep -q "Connection refused" "$ROOT$R2D/bird.log"; }
check "R2: BIRD 2.17 sees the refusal (Linux verified tcpao's RST)" wait_for 10 refused
check "R2: BIRD stops" bird_stop R2 TERM
cap_stop bgp
check_clean R1

check_all_ao "capture: every BGP segment over IPv4 carries TCP-AO" \
	"$RESULTS/bgp.pcap" "ip and tcp port 179"
check_all_ao "capture: every BGP segment over IPv6 carries TCP-AO" \
	"$RESULTS/bgp.pcap" "ip6 and tcp port 179"
check "capture: every segment's MAC verified (tests/tools/aoverify.py)" \
	python3 "$TCPAO_SRC/tests/tools/aoverify.py" --keys "$NATIVE/r1-bird217.batch" \
	--keyids 1,2,3,4 "$RESULTS/bgp.pcap"
diag_cmd "capture (first segments)" show_segments "$RESULTS/bgp.pcap" "tcp port 179" 6

done_testing
