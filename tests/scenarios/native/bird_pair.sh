#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-needs: trixie-root
# vm-peer: native tests/scenarios/native/bird_pair-peer.sh
# vm-timeout: 600
#
# Debian 13's BIRD 2.17 on both ends, each signing with its own
# "authentication ao", on two kernels: R2 here, on a kernel without TCP-AO
# of its own (Debian's 6.12, --kernel stock612), through tcpao and
# libtcpao-compat.so; R1 in a second guest on the native-TCP-AO kernel
# (bird_pair-peer.sh, started by tests/vm/run for the "vm-peer" line, the
# two joined by the pair0 link).  BGP over IPv4 (HMAC-SHA-1) and IPv6
# (AES-128-CMAC): Established, routes exchanged, BIRD's own view of the
# keys ("birdc show protocols all": Current and RNext key, good and bad
# packets, read back from tcpao).
#
# Then a key rollover the BIRD way, on both ends (BIRD's documentation of
# "keys"): a second key added, "preferred" moved to it, the old key
# removed, each by "birdc configure".  The sessions stay up (same "Since",
# same connection: one pair of ports per family in the capture from the
# first configure on), each side signs with the new key once the other
# asks for it (RNext), and the old key is gone from the sockets (BIRD's
# "dump ao keys", TCP_AO_GET_KEYS).  Every captured segment's MAC verified
# by the independent verifier (tests/tools/aoverify.py), and the KeyIDs
# on the wire go from old to new once, never back.  Capture (R2's side):
# $RESULTS/pair.pcap.
. "$(dirname "$0")/../../lib.sh"
. "$(dirname "$0")/../../lib-daemons.sh"
require tcpdump python3 nft

PAIR=${TCPAO_PAIR:-}
[ -n "$PAIR" ] || bail "no TCPAO_PAIR: run by tests/vm/run, which starts the peer guest (vm-peer)"
ROOT=${TCPAO_TRIXIE_ROOT:-}
[ -n "$ROOT" ] && [ -x "$ROOT/usr/sbin/bird" ] ||
	bail "no Debian 13 root (TCPAO_TRIXIE_ROOT): tests/vm/run builds it for '# vm-needs: trixie-root'"
[ -e /sys/class/net/pair0 ] || bail "no pair0: the link to the peer guest is missing"
NATIVE=$TCPAO_SRC/tests/scenarios/data/native
. "$NATIVE/bird217-pair.sh"
# The test ends: the peer guest may stop.
on_exit "echo done >'$PAIR/done'"

# On a kernel without TCP-AO of its own, BIRD 2.17 runs with
# libtcpao-compat.so (Documentation/linuxapi.rst).
trixie_shim "$ROOT"

ns_create R2
ip link set pair0 netns R2 || bail "cannot move pair0 into R2"
ip -n R2 addr add 192.0.2.2/30 dev pair0
ip -n R2 addr add 2001:db8::2/64 dev pair0 nodad
ip -n R2 addr add 192.168.0.12/32 dev lo
ip -n R2 link set pair0 up

# --- R1, in the peer guest ---------------------------------------------------------
# peer CMD...: one request to bird_pair-peer.sh; its output on stdout, its
# exit status returned.
# The request counter is a file: peer often runs in a subshell (a pipe).
echo 0 >"$DTMP/peer.req"
peer() {
	local _req
	_req=$(($(cat "$DTMP/peer.req") + 1))
	echo "$_req" >"$DTMP/peer.req"
	echo "$*" >"$PAIR/req.tmp" && mv "$PAIR/req.tmp" "$PAIR/req.$_req"
	# Not wait_for: its deadline is global, and peer runs inside wait_for.
	local i=0
	while [ ! -e "$PAIR/rc.$_req" ]; do
		i=$((i + 1))
		[ $i -le 300 ] || { echo "peer: no answer to '$*' in 60 s"; return 124; }
		sleep 0.2
	done
	cat "$PAIR/rep.$_req"
	return "$(cat "$PAIR/rc.$_req")"
}
if wait_for 420 test -e "$PAIR/ready"; then
	ok "R1 (peer guest, native TCP-AO): BIRD 2.17 runs"
else
	bail "the peer guest is not ready after 420 s (see peer/ in the results)"
fi

# --- R2 -------------------------------------------------------------------------------
R2D=/tmp/tcpao-bird-R2
mkdir -p "$ROOT$R2D"
ln -sfn "$ROOT$R2D" "$DTMP/bird-R2"
on_exit "cp '$ROOT$R2D/bird.log' '$RESULTS/bird-R2.log'"
birdc_() { # NAME CMD...: R2 here, R1 in the peer guest
	local name=$1
	shift
	if [ "$name" = R2 ]; then
		chroot "$ROOT" /usr/sbin/birdc -s "$R2D/bird.ctl" "$@"
	else
		peer birdc "$@"
	fi
}
conf_r2() {
	pair_conf R2 "$1" "$R2D/bird.log" >"$ROOT$R2D/bird.conf" &&
		cp "$ROOT$R2D/bird.conf" "$RESULTS/bird-R2.step$1.conf"
}
bird_r2_start() {
	conf_r2 1 || return 1
	in_ns R2 chroot "$ROOT" env ${SHIM:+LD_PRELOAD=$SHIM TCPAO_COMPAT_DEBUG=1} \
		/usr/sbin/bird -c "$R2D/bird.conf" -s "$R2D/bird.ctl" \
		-P "$R2D/bird.pid" 2>"$RESULTS/bird-R2.stderr" || return 1
	wait_for 30 birdc_ R2 show status
}

# R1's BIRD runs already and keeps connecting: a SYN that meets R2 before
# its BIRD listens is refused by R2's kernel with an unsigned RST (no
# socket, so no keys to sign it with; Linux does the same), which R1
# rightly drops.  R2 holds such SYNs back until its BIRD listens, as a
# router opens its BGP port once its daemon runs.  (They stay in the
# capture, signed, and are verified with the rest.)
in_ns R2 nft -f - <<'NFT' || bail "nft: cannot hold port 179 back"
table inet tcpao_hold {
	chain input {
		type filter hook input priority 0;
		tcp dport 179 drop;
	}
}
NFT
cap_start pair R2 pair0 tcp port 179 || bail "tcpdump did not start"
check "R2: BIRD 2.17 (Debian 13, chroot) starts" bird_r2_start
listening() { [ "$(in_ns R2 ss -Hltn 'sport = :179' | wc -l)" -ge 2 ]; }
check "R2: BIRD listens on port 179 (IPv4 and IPv6)" wait_for 30 listening
in_ns R2 nft delete table inet tcpao_hold
for p in r1_v4 r1_v6; do
	check_bird_up R2 $p 90
done
for p in r2_v4 r2_v6; do
	check "R1: BIRD $p Established" wait_for 30 bird_up R1 $p
done
route_from() { # NAME PREFIX PROTO AS
	birdc_ "$1" show route "$2" | grep -q "\[$3 .*\[AS$4i\]"
}
for r in "R2 198.51.100.0/24 r1_v4 65500" "R2 2001:db8:100::/48 r1_v6 65500" \
	"R1 203.0.113.0/24 r2_v4 65501" "R1 2001:db8:200::/48 r2_v6 65501"; do
	set -- $r
	check "$1: learned $2 from $3 (AS $4)" wait_for 30 route_from "$@"
done

# BIRD's view ("show protocols all"), as Linux's TCP_AO_INFO gives it:
# "CURRENT RNEXT GOOD BAD".
ao_view() { # NAME PROTO
	birdc_ "$1" show protocols all "$2" | awk '
		/Current key:/ { c = $3 } /RNext key:/ { r = $3 }
		/Good packets:/ { g = $3 } /Bad packets:/ { b = $3 }
		END { print c, r, g, b }'
}
# check_keys STEP: each side signs with the key the other asks for.
check_keys() {
	local step=$1 name proto want v
	shift
	while [ $# -gt 0 ]; do
		name=$1 proto=$2 want=$3
		shift 3
		v=$(ao_view "$name" "$proto")
		birdc_ "$name" show protocols all "$proto" >>"$RESULTS/protocols.step$step.txt" 2>&1
		if [ "${v% * *}" = "$want" ] && [ "$(echo "$v" | awk '{ print ($3 > 0 && $4 == 0) }')" = 1 ]; then
			ok "step $step: $name's BIRD reads back for $proto: Current key ${want% *}, RNext key ${want#* }, good packets, no bad ($v)"
		else
			not_ok "step $step: $name's BIRD reads back for $proto: Current key ${want% *}, RNext key ${want#* }, good packets, no bad" \
				"show protocols all: Current RNext Good Bad = $v"
		fi
	done
}
# aokeys NAME ADDR: the keys BIRD reads back (its "dump ao keys",
# TCP_AO_GET_KEYS on each of its sockets) for peer ADDR: one line per
# socket, its keys "SEND/RECV[,current][,rnext]" sorted.  A session's
# established socket and BIRD's listener both hold keys for the peer.
aokeys() {
	local out
	if [ "$1" = R2 ]; then
		rm -f "$ROOT$R2D/aokeys"
		birdc_ R2 dump ao keys "\"$R2D/aokeys\"" >/dev/null &&
			wait_for 10 test -s "$ROOT$R2D/aokeys" || return 1
		out=$(cat "$ROOT$R2D/aokeys")
	else
		out=$(peer aokeys) || return 1
	fi
	# Kept without the secrets Linux returns (tcpao returns none).
	printf '%s\n' "$out" | sed 's/secret .*/secret (not kept)/' >>"$RESULTS/aokeys.$1.txt"
	# "TCP-AO on socket fd N has K keys", then per key "Key S/R for
	# PREFIX: [current, ][rnext, ]algo ...".
	printf '%s\n' "$out" | awk -v a="$2" '
		function flush() { if (n) { s = k[1]; for (i = 2; i <= n; i++) s = s "\n" k[i]; print s | "sort | paste -sd\" \" -"; close("sort | paste -sd\" \" -") } n = 0 }
		/TCP-AO on socket/ { flush(); next }
		/Key / && $0 ~ (" for " a "/") {
			for (i = 1; i <= NF; i++) if ($i == "Key") break
			x = $(i + 1)
			if ($0 ~ /current,/) x = x ",current"
			if ($0 ~ /rnext,/) x = x ",rnext"
			k[++n] = x
		}
		END { flush() }'
}
# check_aokeys DESC NAME ADDR WANT [NOT]: one of NAME's sockets for ADDR
# holds exactly the keys WANT (as aokeys prints them); none holds key NOT.
check_aokeys() {
	local v
	v=$(aokeys "$2" "$3")
	if printf '%s\n' "$v" | grep -qxF "$4" &&
		{ [ -z "${5:-}" ] || ! printf '%s\n' "$v" | grep -qE "(^| )$5(,| |$)"; }; then
		ok "$1 ($(printf '%s' "$v" | paste -sd';'))"
	else
		not_ok "$1" "sockets' keys: $(printf '%s' "$v" | paste -sd';'); expected a socket with '$4'${5:+, none with $5}"
	fi
}

sleep 4
check_keys 1 R2 r1_v4 "2 1" R2 r1_v6 "4 3" R1 r2_v4 "1 2" R1 r2_v6 "3 4"
since4=$(bird_since R2 r1_v4) since6=$(bird_since R2 r1_v6)
psince4=$(birdc_ R1 show protocols r2_v4 | awk '$1 == "r2_v4" { print $5 " " $6 }')
ports4=$(sock_ports R2 192.0.2.1 179) ports6=$(sock_ports R2 2001:db8::1 179)
diag "R2's sessions: IPv4 ports $ports4, IPv6 ports $ports6"
t0=$(date +%s.%N)

# --- Rollover: 2. the new key added on both ends (the old one stays
# preferred) ----------------------------------------------------------------------
step() { # N: both ends take step N's configuration
	conf_r2 "$1" &&
	birdc_ R2 configure | tee -a "$RESULTS/configure.R2.txt" | grep -q "Reconfigured" &&
	peer configure "$1" | tee -a "$RESULTS/configure.R1.txt" | grep -q "Reconfigured"
}
check "step 2: a second key added to keys { } on both ends, birdc configure" step 2
sleep 4
check_keys 2 R2 r1_v4 "2 1" R2 r1_v6 "4 3" R1 r2_v4 "1 2" R1 r2_v6 "3 4"
check_aokeys "step 2: R2's IPv4 session socket holds both keys (BIRD's dump ao keys)" \
	R2 192.0.2.1 "2/1,current,rnext 6/5"
check_aokeys "step 2: R1's IPv6 session socket holds both keys (BIRD's dump ao keys)" \
	R1 2001:db8::2 "3/4,current,rnext 7/8"

# --- 3. "preferred" moved to the new key on both ends: each BIRD sets it
# as RNext key, and each kernel then signs with the key its peer asks for.
check "step 3: preferred moved to the new key on both ends, birdc configure" step 3
keys_moved() {
	[ "$(ao_view R2 r1_v4 | cut -d' ' -f1,2)" = "6 5" ] &&
	[ "$(ao_view R2 r1_v6 | cut -d' ' -f1,2)" = "8 7" ] &&
	[ "$(ao_view R1 r2_v4 | cut -d' ' -f1,2)" = "5 6" ] &&
	[ "$(ao_view R1 r2_v6 | cut -d' ' -f1,2)" = "7 8" ]
}
check "step 3: both ends sign with the new keys within 20 s" wait_for 20 keys_moved
t3=$(date +%s.%N)
# Keepalives (every 3 s) signed with the new keys both ways.
sleep 7
check_keys 3 R2 r1_v4 "6 5" R2 r1_v6 "8 7" R1 r2_v4 "5 6" R1 r2_v6 "7 8"

# --- 4. the old key removed on both ends --------------------------------------------
check "step 4: the old key removed from keys { } on both ends, birdc configure" step 4
sleep 4
check_keys 4 R2 r1_v4 "6 5" R2 r1_v6 "8 7" R1 r2_v4 "5 6" R1 r2_v6 "7 8"
check_aokeys "step 4: R2's IPv4 session socket holds the new key alone, no socket the old" \
	R2 192.0.2.1 "6/5,current,rnext" 2/1
check_aokeys "step 4: R2's IPv6 session socket holds the new key alone, no socket the old" \
	R2 2001:db8::1 "8/7,current,rnext" 4/3
check_aokeys "step 4: R1's IPv4 session socket holds the new key alone, no socket the old" \
	R1 192.0.2.2 "5/6,current,rnext" 1/2
check_aokeys "step 4: R1's IPv6 session socket holds the new key alone, no socket the old" \
	R1 2001:db8::2 "7/8,current,rnext" 3/4
if birdc_ R2 show protocols all | grep -E "(Current|RNext) key: +[1234]$"; then
	not_ok "step 4: no old key left in R2's show protocols all"
else
	ok "step 4: no old key left in R2's show protocols all"
fi

# The sessions never dropped.
for p in r1_v4 r1_v6; do
	check "R2: BIRD $p still Established" bird_up R2 $p
done
check_since "R2: r1_v4 up since before the rollover" "$since4" "$(bird_since R2 r1_v4)"
check_since "R2: r1_v6 up since before the rollover" "$since6" "$(bird_since R2 r1_v6)"
check_since "R1: r2_v4 up since before the rollover" "$psince4" \
	"$(birdc_ R1 show protocols r2_v4 | awk '$1 == "r2_v4" { print $5 " " $6 }')"
check_eq "R2: the same IPv4 connection (ports)" "$ports4" "$(sock_ports R2 192.0.2.1 179)"
check_eq "R2: the same IPv6 connection (ports)" "$ports6" "$(sock_ports R2 2001:db8::1 179)"
diag_cmd "R2: aoctl conn show" "$AOCTL" -n R2 conn show
grep -h "TCP-AO\|tcpao-compat" "$ROOT$R2D/bird.log" "$RESULTS/bird-R2.stderr" 2>/dev/null |
	head -n 20 | sed 's/^/# R2 log: /'
cap_stop pair

# --- The capture ---------------------------------------------------------------------
P=$RESULTS/pair.pcap
check_all_ao "capture: every BGP segment over IPv4 carries TCP-AO" "$P" "ip and tcp port 179"
check_all_ao "capture: every BGP segment over IPv6 carries TCP-AO" "$P" "ip6 and tcp port 179"
if python3 "$TCPAO_SRC/tests/tools/aoverify.py" --keys "$NATIVE/bird217-pair.batch" \
	--keyids 1,2,3,4,5,6,7,8 "$P" >"$RESULTS/pair.aoverify" 2>&1; then
	ok "capture: every segment's MAC verified (tests/tools/aoverify.py, $(tail -n 1 "$RESULTS/pair.aoverify"))"
else
	not_ok "capture: every segment's MAC verified (tests/tools/aoverify.py)"
	tail -n 20 "$RESULTS/pair.aoverify" | sed 's/^/#   /'
fi
sed 's/^/# aoverify: /' "$RESULTS/pair.aoverify" | head -n 30
# KeyIDs on the wire per sender, repeats folded: old, then new, never back.
check_eq "capture: R2 signs IPv4 with KeyID 2, then 6" "2 6" "$(keyids "$P" "src host 192.0.2.2 and tcp port 179")"
check_eq "capture: R1 signs IPv4 with KeyID 1, then 5" "1 5" "$(keyids "$P" "src host 192.0.2.1 and tcp port 179")"
check_eq "capture: R2 signs IPv6 with KeyID 4, then 8" "4 8" "$(keyids "$P" "src host 2001:db8::2 and tcp port 179")"
check_eq "capture: R1 signs IPv6 with KeyID 3, then 7" "3 7" "$(keyids "$P" "src host 2001:db8::1 and tcp port 179")"
# From the first configure on: one connection per family, the session's.
conns_since() { # T FILTER: the port pairs of the segments after time T
	tcpdump -nn -tt -r "$P" "$2" 2>/dev/null | awk -v t="$1" '$1 >= t {
		s = $3; d = $5; sub(/:$/, "", d)
		sp = s; sub(/.*\./, "", sp); dp = d; sub(/.*\./, "", dp)
		if (s ~ /^192\.0\.2\.2\.|^2001:db8::2\./) print sp, dp; else print dp, sp
	}' | sort -u | paste -sd,
}
check_eq "capture: from the first configure on, IPv4 is the one connection $ports4" \
	"$ports4" "$(conns_since "$t0" "ip and tcp port 179")"
check_eq "capture: from the first configure on, IPv6 is the one connection $ports6" \
	"$ports6" "$(conns_since "$t0" "ip6 and tcp port 179")"
# After step 3 only the new KeyIDs.
check_eq "capture: after step 3 every segment carries a new KeyID (5-8)" "5 6 7 8" \
	"$(tcpdump -nn -tt -r "$P" "tcp port 179" 2>/dev/null | awk -v t="$t3" '$1 >= t' |
		grep -oE 'tcp-ao keyid [0-9]+' | awk '{ print $3 }' | sort -u | paste -sd' ')"
check_clean R2

done_testing
