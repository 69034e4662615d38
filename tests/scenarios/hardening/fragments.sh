#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 600
#
# IP fragments.  An attacker on the link who spoofs the
# protected peer's address (2001:db8::2, 192.0.2.2) sends r1 what TCP-AO
# must refuse, each segment split into two IP fragments, the first carrying
# 24 or 32 bytes of TCP (the whole fixed header and the start of the
# options): an unsigned SYN and, if r1 answers, the ACK and a line of data.
#   port 179  protected by a peer policy (peer add 2001:db8::2/128
#             keychain k port 179, and 192.0.2.2/32)
#   port 181  a listening socket bound with TCPAO_SO_BIND to a keychain for
#             another prefix, with TCPAO_F_AO_REQUIRED: refuses all others
#   port 180  unprotected: the control, which must answer (a SYN-ACK, and
#             the data reaches the application), so the fragments arrive
# The protected ports must answer nothing, the data must not reach the
# application, and every SYN must be counted (ao-required), over IPv6 and
# IPv4.  Also: an IPv6 atomic fragment with its reserved bits set; a first
# fragment the netfilter defragmenter refuses (its length is not a multiple
# of 8), which tcpao's hook must drop and count (malformed) on the
# protected port and leave to the stack on the other; fragmented unsigned
# data inside a protected connection's window; fragmented ICMP port
# unreachable (RFC 5925 7.8) quoting a protected session's next segment,
# the quoted ports only in the second fragment, at a session whose socket
# asked for errors (IP_RECVERR).  The sessions must live on.
. "$(dirname "$0")/../../lib.sh"
. "$(dirname "$0")/../../lib-ao.sh"
. "$TCPAO_SRC/tests/tools/harden-lib.sh"

FRAGS=$HD_TOOLS/frags.py
SESSION=$HD_TOOLS/session.py
A6=2001:db8::2 V6=2001:db8::1 A4=192.0.2.2 V4=192.0.2.1

hd_topo
hd_keys r1 k 10 20 && hd_keys r2 k 20 10
ok=1
for a in $A6/128 $A4/32; do
	"$AOCTL" -n r1 peer add $a keychain k port 179 || ok=0
	"$AOCTL" -n r1 peer add $a keychain k port 1790 || ok=0
done
"$AOCTL" -n r2 peer add $V6 keychain k port 1790 || ok=0
"$AOCTL" -n r2 peer add $V4 keychain k port 1790 || ok=0
check_eq "keychains and peer policies (ports 179 and 1790)" 1 $ok
# The attacker's own stack must not answer what r1 sends to the flows it
# forges (source ports 20000-20999): it would reset them.
in_ns r2 nft -f - <<'EOF'
table inet attacker {
	chain in {
		type filter hook input priority 0;
		tcp dport 20000-20999 drop
	}
}
EOF

GOT=$RESULTS/received.txt
: >"$GOT"
spawn in_ns r1 python3 "$FRAGS" listen "$GOT" 179 180 \
	181:bind=2001:db8:99::/48=k >"$RESULTS/listen.out" 2>&1
check "listeners on ports 179, 180, 181 (181 bound, TCP-AO required)" \
	wait_for 60 grep -q listening "$RESULTS/listen.out"

# Protected sessions r1 -> r2:1790 whose r1 ends set IP_RECVERR.
cap_start r2 to-r1 sess "tcp port 1790"
for f in 6 4; do
	eval "a=\$A$f"
	spawn in_ns r2 python3 "$SESSION" server "$a" 1790
	sleep 0.5
	spawn in_ns r1 python3 "$SESSION" client "$a" 1790 "$RESULTS/s$f.status" --recverr
done
check "protected sessions up (IPv6, IPv4), IP_RECVERR at r1" \
	wait_for 60 sh -c "grep -q alive '$RESULTS/s6.status' && grep -q alive '$RESULTS/s4.status'"
lport() { in_ns r1 ss -Htn -"$1" state established "( dport = :1790 )" |
	awk '{print $3}' | sed 's/.*://' | head -n 1; }
LP6=$(lport 6) LP4=$(lport 4)

# Every attack in one Python process (a start costs seconds under TCG),
# every handshake at once (one wait for all the replies).
flows=
n=0
for f in 6 4; do
	eval "a=\$A$f v=\$V$f"
	for first in 24 32; do
		for p in 180 179 181; do
			n=$((n + 1))
			flows="$flows h$f-$first-$p,$a,$v,$((20000 + n)),$p,$first,mark-$f-$first-$p"
		done
	done
done
jobs=$RESULTS/jobs
cat >"$jobs" <<EOF
s00 stats r1
all handshake to-r1 $HD_MAC1$flows atomic,$A6,$V6,20100,179,0,mark-atomic,atomic
s0 stats r1
odd179 oddfrag to-r1 $HD_MAC1 $A6 $V6 20101 179
s1 stats r1
odd180 oddfrag to-r1 $HD_MAC1 $A6 $V6 20102 180
s2 stats r1
EOF
in_ns r2 python3 "$FRAGS" batch <"$jobs" >"$RESULTS/attacks.out" 2>"$RESULTS/attacks.err"
sed 's/^/# /' "$RESULTS/attacks.out"
[ -s "$RESULTS/attacks.err" ] && diag "$(tail -n 5 "$RESULTS/attacks.err")"
sleep 1
# stat LABEL NAME: a counter of r1 as the batch saw it at LABEL.
stat() { sed -n "s/^$1 .*\b$2=\([0-9]*\).*/\1/p" "$RESULTS/attacks.out"; }
got() { grep -q " mark-$1\$" "$GOT"; }
said() { grep -q "^all $1 $2" "$RESULTS/attacks.out"; }

for f in 6 4; do
	for first in 24 32; do
		t=$f-$first
		check "IPv$f, first fragment $first bytes, port 180 (control): SYN-ACK, data reached the application" \
			sh -c "grep -q '^all h$t-180 synack plain' '$RESULTS/attacks.out' && grep -q ' mark-$t-180\$' '$GOT'"
		for p in 179 181; do
			[ $p = 179 ] && w="peer policy" || w="socket bound, TCP-AO required"
			check "IPv$f, first fragment $first bytes, port $p ($w): no SYN-ACK" said h$t-$p none
			check "  no data reached the application" fails got $t-$p
		done
	done
done
check "IPv6 atomic fragment with reserved bits set, port 179: no SYN-ACK" said atomic none
check_eq "every fragmented SYN to ports 179 and 181, and the atomic one, counted in ao-required" \
	$(($(stat s00 ao_required) + 9)) "$(stat s0 ao_required)"
check_eq "first fragment the defragmenter refuses, port 179: dropped, counted malformed" \
	$(($(stat s0 malformed) + 1)) "$(stat s1 malformed)"
check_eq "  the same at port 180 (unprotected): not tcpao's" \
	"$(stat s1 malformed)" "$(stat s2 malformed)"
check_eq "no connection entry from any of it (r1 has the two sessions')" 2 \
	"$(hd_stat r1 connections_created)"

# Into the protected sessions, idle so that the attacker can learn where
# they stand from the capture: fragmented unsigned data in the window, and
# a fragmented ICMP port unreachable (IPv6 code 4, IPv4 code 3).
touch "$RESULTS/s6.status.pause" "$RESULTS/s4.status.pause"
sleep 1.5
: >"$jobs"
sess=$(cap_path sess)	# the running capture, in the guest's tmpfs
for f in 6 4; do
	eval "a=\$A$f v=\$V$f lp=\$LP$f"
	[ $f = 6 ] && code=4 || code=3
	cat >>"$jobs" <<EOF
c$f-0 stats r1
c$f-data inconn to-r1 $HD_MAC1 $a $v $sess 1790 $lp 24
c$f-1 stats r1
c$f-icmp icmp to-r1 $HD_MAC1 $a $v $sess $lp 1790 $code
c$f-2 stats r1
EOF
done
in_ns r2 python3 "$FRAGS" batch <"$jobs" >"$RESULTS/conn.out" 2>"$RESULTS/conn.err"
sed 's/^/# /' "$RESULTS/conn.out"
[ -s "$RESULTS/conn.err" ] && diag "$(tail -n 5 "$RESULTS/conn.err")"
rm -f "$RESULTS/s6.status.pause" "$RESULTS/s4.status.pause"
sleep 2
cap_stop sess
# still_alive STATUS: the session makes progress over the next 2 s.
still_alive() {
	_b=$(sed -n 's/^alive //p' "$1")
	sleep 2
	_a=$(sed -n 's/^alive //p' "$1")
	[ -n "$_b" ] && [ -n "$_a" ] && [ "$_a" -gt "$_b" ]
}
cstat() { sed -n "s/^$1 .*\b$2=\([0-9]*\).*/\1/p" "$RESULTS/conn.out"; }
for f in 6 4; do
	check_eq "IPv$f: fragmented unsigned data in the session's window counted in ao-required" \
		$(($(cstat c$f-0 ao_required) + 1)) "$(cstat c$f-1 ao_required)"
	check_eq "IPv$f: fragmented ICMP port unreachable counted in icmp-dropped" \
		$(($(cstat c$f-1 icmp_dropped) + 1)) "$(cstat c$f-2 icmp_dropped)"
	check "IPv$f: the session lives on ($(cat "$RESULTS/s$f.status"))" \
		still_alive "$RESULTS/s$f.status"
done

done_testing
