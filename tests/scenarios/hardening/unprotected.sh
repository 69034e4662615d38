#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 600
#
# A SYN flood from a peer with allow-without-tcpao.
# Such a peer's SYNs carry no MAC, so anyone who can spoof its addresses
# can send them, and each one makes a connection entry.  r1 protects BGP
# (port 179) with r2 and allows 198.51.100.0/24 without TCP-AO; its
# connection limit is lowered to 64.  A flood of SYNs without TCP-AO from
# spoofed addresses of 198.51.100.0/24 (tests/tools/synflood.py --ao no)
# must not:
#   - stop the protected BGP-like session with r2 from re-establishing
#     (closed and opened again during the flood), nor end the one that
#     runs (its entries have a budget the flood cannot take);
#   - stop an unprotected client of the allowed prefix from connecting (it
#     needs no entry: past their budget, such SYNs pass without one);
#   - make entries that hold keys (key 0's connection count is that of
#     the protected connections only) or that outlive a bare SYN for long
#     (they are gone within 40 s of the flood's end).
#
# HARDEN_UNPROT_SYNS (default 20000): SYNs in the flood, which goes on for
# HARDEN_UNPROT_SECONDS (default 30) at least: the checks above run while
# it does.
. "$(dirname "$0")/../../lib.sh"
. "$TCPAO_SRC/tests/tools/harden-lib.sh"

SYNS=${HARDEN_UNPROT_SYNS:-20000}
LIMIT=64

hd_topo
setup() {
	hd_protect 179 &&
	"$AOCTL" -n r1 peer add 198.51.100.0/24 keychain kc allow-without-tcpao &&
	"$AOCTL" -n r1 limits set conns $LIMIT &&
	# r1 answers the allowed prefix through r2 (which drops the answers
	# to the spoofed addresses); r2's own address in it is a real client.
	ip -n r1 route add 198.51.100.0/24 via 192.0.2.2 &&
	ip -n r2 addr add 198.51.100.200/32 dev to-r1
}
check "r1 protects BGP with r2, allows 198.51.100.0/24 without TCP-AO, at most $LIMIT connections" setup

# One protected session up before the flood; a plain listener for the
# unprotected client.
hd_sessions_start s1,r1,r2,192.0.2.1,179,interval=0.5
cat >"$RESULTS/plain.py" <<'EOF'
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("192.0.2.1", 180)); s.listen(16); print("listening", flush=True)
while True:
    c, _ = s.accept(); c.sendall(c.recv(100)); c.close()
EOF
in_ns r1 python3 "$RESULTS/plain.py" >"$RESULTS/plain.out" 2>&1 &
plain=$!
on_exit "kill $plain"
wait_for 30 grep -q listening "$RESULTS/plain.out"

sysctl -qw net.core.netdev_max_backlog=10000
in_ns r2 python3 "$HD_TOOLS/synflood.py" --iface to-r1 --smac $HD_MAC2 \
	--dmac $HD_MAC1 --dst4 192.0.2.1 --net4 198.51.100. \
	--dst6 2001:db8::1 --net6 2001:db8:ffff:: --port 179 --ao no \
	--count "$SYNS" --distinct 2000 --min-seconds "${HARDEN_UNPROT_SECONDS:-30}" \
	>"$RESULTS/flood.out" 2>&1 &
flood=$!
on_exit "kill $flood"
wait_for 120 grep -q sending "$RESULTS/flood.out" || bail "the flood did not start"
# Accepted, or (on main) dropped at the limit: either way it arrived.
flooded() {
	[ $(($(hd_stat r1 without_ao_accepted) + $(hd_stat r1 conn_limit))) -ge $((LIMIT * 4)) ]
}
check "the flood reaches r1 (SYNs without TCP-AO: several times the limit)" \
	wait_for 60 flooded

# During the flood.
diag "r1 during the flood: $("$AOCTL" -n r1 stats | grep -E '^(connections|without-ao-accepted|conn-limit) ' | tr -s ' \n' '  ')"
# Both at once: the protected session, and the unprotected client.
echo "add s2,r1,r2,192.0.2.1,179,interval=0.5" >"$HD_FIFO"
in_ns r2 python3 -c '
import socket
s = socket.create_connection(("192.0.2.1", 180), timeout=10,
                             source_address=("198.51.100.200", 0))
s.sendall(b"hello\n"); assert s.recv(100) == b"hello\n"' >"$RESULTS/client.out" 2>&1 &
client=$!
if hd_sessions_wait s2 20; then
	ok "during the flood: a new protected BGP-like session to r2 establishes"
else
	not_ok "during the flood: a new protected BGP-like session to r2 establishes" \
		"$(cat "$RESULTS/s2.fail" 2>/dev/null) (conn-limit: $(hd_stat r1 conn_limit))"
fi
wait $client
st=$?
sed 's/^/#   /' "$RESULTS/client.out"
check "during the flood: an unprotected client of 198.51.100.0/24 connects" [ $st -eq 0 ]
check "  (the flood was still on)" kill -0 $flood
hd_fetch r1
check_eq "  r1 refused no protected connection for want of room (conn-limit)" 0 "$(hd_stat r1 conn_limit)"
n_unprot=$(tr '{' '\n' <"$RESULTS/.conns-r1" | grep -c '"unprotected"')
n_prot=$(tr '{' '\n' <"$RESULTS/.conns-r1" | grep '"remote_port"' | grep -vc '"unprotected"')
diag "r1's table during the flood: $n_unprot unprotected entries, $n_prot protected"
check "  unprotected entries stay within their own budget ($n_unprot <= $LIMIT)" [ "$n_unprot" -le $LIMIT ]
key_conns=$("$AOCTL" -n r1 -j keychain show kc detail | tr '{' '\n' |
	sed -n 's/.*"id":0,.*"connections":\([0-9]*\).*/\1/p')
check_eq "  unprotected entries hold no keys (key 0 is held by the $n_prot protected ones only)" \
	"$n_prot" "$key_conns"
hd_unfetch

wait $flood
sed 's/^/# /' "$RESULTS/flood.out"
hd_sessions_alive "the protected sessions stayed up through the flood"
# (The real client's entry, 198.51.100.200, lingers in TIME_WAIT.)
gone() {
	! "$AOCTL" -n r1 -j conn show | tr '{' '\n' |
		grep '"remote_address":"198\.51\.100\.[0-9]*"' |
		grep -vq '"remote_address":"198\.51\.100\.200"'
}
check "the flood's entries are gone within 40 s of its end" wait_for 40 gone
hd_sessions_stop
done_testing
