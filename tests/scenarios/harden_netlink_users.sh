#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 900
#
# Unprivileged users (issue 16, item 5), then hostile netlink
# (issue #10), part 2 (part 1: harden_netlink.sh).
#
# Reads: as nobody (setpriv --reuid=65534) in a namespace root configured,
# with a protected connection up, aoctl's conn show, keychain show detail,
# peer show, stats and limits show are refused with a message that says
# what is missing, and print nothing (no ISN, SNE or key schedule); monitor
# cannot join the events group.
#
# The fuzzer (tests/tools/nlfuzz.c) as unprivileged users:
#   - as nobody in the namespace root configured: nothing may be accepted
#     (netlink, reads included, or socket options that change anything),
#     nor the events group joined, and the configuration must stay as it
#     was (aoctl's snapshots, as root, before and after);
#   - as nobody, root of a user and network namespace of its own: rejected
#     messages must change nothing there (nlfuzz's own snapshots).
#
# HARDEN_NL_UNPRIV, HARDEN_NL_USERNS (default 20000 each): messages.
. "$(dirname "$0")/../lib.sh"
. "$TCPAO_SRC/tests/tools/harden-lib.sh"

N_UNPRIV=${HARDEN_NL_UNPRIV:-20000}
N_USERNS=${HARDEN_NL_USERNS:-20000}
N_SOCK=${HARDEN_SOCKOPT:-5000}
FUZZ=/tmp/nlfuzz
. "$HD_TOOLS/nlfuzz-lib.sh"

# Something for the unprivileged user to try to change.
ns_create fz
printf '%s\n' "keychain add kc0 key 0 secret-hex 0x01020304 send-id 1 recv-id 2" \
	"keychain add kc0 key 1 secret-hex 0x05060708 send-id 3 recv-id 4 start-time 2090-01-01.00:00" \
	"keychain add kc1 tolerance 60" "peer add 198.51.100.0/24 keychain kc0" \
	"peer add 2001:db8:1::/48 keychain kc1 port 179" "limits set peers 100" |
	"$AOCTL" -n fz -b - || bail "configuring fz"

NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups --)
cp "$AOCTL" /tmp/aoctl-nobody && chmod 755 /tmp/aoctl-nobody

# ---- Reads need CAP_NET_ADMIN (item 5) ----
# A protected connection over lo: a keychain whose key sends and receives
# with the same ID, a policy for port 7777.
printf '%s\n' "keychain add lo key 0 secret-hex 0x0a0b0c0d send-id 7 recv-id 7" \
	"peer add 127.0.0.1 keychain lo port 7777" | "$AOCTL" -n fz -b - ||
	bail "configuring the loopback keychain"
in_ns fz python3 -c '
import socket, time
l = socket.socket(); l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
l.bind(("127.0.0.1", 7777)); l.listen(1)
c = socket.create_connection(("127.0.0.1", 7777)); s, _ = l.accept()
c.sendall(b"x"); s.recv(1); print("up", flush=True); time.sleep(600)' \
	>"$RESULTS/lo.out" 2>&1 &
lo=$!
on_exit "kill $lo"
wait_for 30 grep -q up "$RESULTS/lo.out"
check "root sees the protected connection's ISNs (aoctl -j conn show)" \
	sh -c "'$AOCTL' -n fz -j conn show | grep -q '\"lisn\"'"
refused() {
	_what=$1
	shift
	in_ns fz timeout 10 "${NOBODY[@]}" /tmp/aoctl-nobody "$@" \
		>"$RESULTS/nobody.out" 2>"$RESULTS/nobody.err"
	_rc=$?
	sed 's/^/#   /' "$RESULTS/nobody.err"
	[ $_rc -eq 1 ] || diag "  exit $_rc, nobody read: $(head -c 200 "$RESULTS/nobody.out")"
	[ $_rc -eq 1 ] && ! grep -Eq 'isn|"id"|"keychain"|[0-9]' "$RESULTS/nobody.out" &&
		grep -q "^aoctl: $_what: permission denied: .*CAP_NET_ADMIN" "$RESULTS/nobody.err"
}
check "as nobody: aoctl -j conn show is refused (no ISN, no SNE)" refused "conn show" -j conn show
check "as nobody: aoctl -j keychain show detail is refused (no key schedule)" \
	refused "keychain show" -j keychain show detail
check "as nobody: aoctl -j peer show is refused" refused "peer show" -j peer show
check "as nobody: aoctl -j stats is refused" refused "stats" -j stats
check "as nobody: aoctl -j limits show is refused" refused "limits show" -j limits show
check "as nobody: aoctl monitor cannot join the events group (not even for 10 s)" \
	refused monitor monitor
kill $lo
"$AOCTL" -n fz peer del 127.0.0.1 port 7777 && "$AOCTL" -n fz keychain del lo ||
	bail "removing the loopback keychain"

# ---- Fuzzing ----
_n=unpriv
snap >"$RESULTS/snap-before.json"
run_fuzz "as nobody: $N_UNPRIV messages, $N_SOCK socket options" in_ns fz \
	setpriv --reuid=65534 --regid=65534 --clear-groups $FUZZ -u \
	-n "$N_UNPRIV" -S "$N_SOCK" -s 2
snap >"$RESULTS/snap-after.json"
check "as nobody: keychains, keys, peers and limits unchanged (aoctl)" \
	cmp "$RESULTS/snap-before.json" "$RESULTS/snap-after.json"

_n=userns
if setpriv --reuid=65534 --regid=65534 --clear-groups unshare -Urn true \
	2>/dev/null; then
	run_fuzz "as nobody, root of a user namespace: $N_USERNS messages" \
		setpriv --reuid=65534 --regid=65534 --clear-groups \
		unshare -Urn $FUZZ -n "$N_USERNS" -s 3
	hd_full "netlink messages as unprivileged users, none failed" "$total" 40000 $((N_UNPRIV + N_USERNS))
else
	skip "as nobody in a user namespace" "unprivileged user namespaces are off"
	hd_full "netlink messages as nobody, none failed" "$total" 20000 "$N_UNPRIV"
fi

done_testing
