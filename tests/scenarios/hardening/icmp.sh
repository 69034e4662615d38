#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 600
#
# ICMP errors: every kind TCP acts on, forged by an
# attacker on the link, quoting the victim's next sequence number, at
# BGP-like sessions whose ends set IP_RECVERR / IPV6_RECVERR (as routing
# daemons do: then Linux reports any destination unreachable, time
# exceeded or parameter problem to the application, see tcp_v4_err()).
#   IPv4: destination unreachable codes 0, 1, 2, 3, 4 (fragmentation
#         needed), 13; time exceeded; parameter problem
#   IPv6: destination unreachable codes 0, 1, 3, 4; time exceeded;
#         parameter problem; packet too big
# Protected sessions (a peer policy without accept-icmps) must live on,
# every error but packet too big dropped and counted (icmp-dropped), and
# fragmentation needed must not lower their path MTU; packet too big must
# (RFC 5925 7.8 names ICMPv4 codes 2-4 and ICMPv6 codes 1 and 4; tcpao
# drops the rest too, see Documentation/design.rst).  Controls: the same
# errors at unprotected sessions beside them end those (the application
# reads the errno each maps to) or lower their path MTU, which shows the
# forgeries were good enough to hurt.
. "$(dirname "$0")/../../lib.sh"
. "$TCPAO_SRC/tests/tools/harden-lib.sh"

hd_topo
# Unprotected addresses beside the protected ones, for the controls.
ip -n r1 -b - <<EOF || bail "cannot configure r1"
addr add 198.51.100.1/24 dev to-r2
addr add 2001:db8:1::1/64 dev to-r2 nodad
neigh replace 198.51.100.2 lladdr $HD_MAC2 dev to-r2 nud permanent
neigh replace 2001:db8:1::2 lladdr $HD_MAC2 dev to-r2 nud permanent
EOF
ip -n r2 -b - <<EOF || bail "cannot configure r2"
addr add 198.51.100.2/24 dev to-r1
addr add 2001:db8:1::2/64 dev to-r1 nodad
neigh replace 198.51.100.1 lladdr $HD_MAC1 dev to-r1 nud permanent
neigh replace 2001:db8:1::1 lladdr $HD_MAC1 dev to-r1 nud permanent
EOF
check "keychains and peer policies (192.0.2.0/24 and 2001:db8::/64 ends, every port)" hd_protect

# FAMILY:NAME:TYPE:CODE[:pass], the Ith at sessions pI and cI; the errno
# the control must die of (none: a path-MTU message, it lives on).
KINDS="4:net-unreachable:3:0 4:host-unreachable:3:1 4:protocol-unreachable:3:2
4:port-unreachable:3:3 4:fragmentation-needed:3:4 4:administratively-prohibited:3:13
4:ttl-exceeded:11:0 4:parameter-problem:12:0
6:no-route:1:0 6:administratively-prohibited:1:1 6:address-unreachable:1:3
6:port-unreachable:1:4 6:hop-limit-exceeded:3:0 6:parameter-problem:4:0
6:packet-too-big:2:0:pass"
ERRNO="ENETUNREACH EHOSTUNREACH ENOPROTOOPT ECONNREFUSED - EHOSTUNREACH
EHOSTUNREACH EPROTO ENETUNREACH EACCES EHOSTUNREACH ECONNREFUSED EHOSTUNREACH
EPROTO -"
specs=
i=0
for k in $KINDS; do
	i=$((i + 1))
	if [ "${k%%:*}" = 4 ]; then p=192.0.2.2 c=198.51.100.2; else p=2001:db8::2 c=2001:db8:1::2; fi
	specs="$specs p$i,r2,r1,$p,$((3000 + i)),recverr c$i,r2,r1,$c,$((3000 + i)),recverr"
done
# shellcheck disable=SC2086 # one word per session
hd_sessions_start $specs
hd_sessions_alive "$((2 * i)) BGP-like sessions up, IP_RECVERR on both ends (pI protected, cI not)"

hd_relay < <(in_ns r1 python3 "$HD_TOOLS/icmps.py" --iface to-r2 \
	--smac $HD_MAC1 --dmac $HD_MAC2 --victim r2 --dir "$RESULTS" \
	--kinds "$(echo $KINDS | tr ' ' ,)" 2>"$RESULTS/icmps.err" |
	tee "$RESULTS/icmps.out")
[ -s "$RESULTS/icmps.out" ] || diag "$(tail -n 5 "$RESULTS/icmps.err")"

# Let them all exchange a few more messages.
sleep 3
i=0
for k in $KINDS; do
	i=$((i + 1))
	n=${k#*:}
	check "protected session p$i lives on after IPv${k%%:*} ${n%%:*}" \
		test ! -e "$RESULTS/p$i.fail"
done
# The path MTU towards the victim's peer, as the victim's kernel keeps it.
mtu_of() { in_ns r2 ip route get "$1" | grep -o 'mtu [0-9]*'; }
check_eq "fragmentation needed (1280) at a protected session: path MTU untouched" \
	"" "$(mtu_of 192.0.2.1)"
check_eq "  control: it lowers an unprotected session's" "mtu 1280" "$(mtu_of 198.51.100.1)"
check_eq "packet too big (1280) at a protected session: passes, path MTU lowered" \
	"mtu 1280" "$(mtu_of 2001:db8::1)"
check_eq "  control: the same at an unprotected session" "mtu 1280" "$(mtu_of 2001:db8:1::1)"

# Controls that must have died, and of what.
want=
i=0
for e in $ERRNO; do
	i=$((i + 1))
	[ "$e" = - ] || want="$want c$i=$e"
done
# shellcheck disable=SC2086 # one word per control
hd_sessions_stop $want
done_testing
