#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 900
#
# Unprivileged users, then hostile netlink, part 2 (part 1:
# hardening/netlink.sh).
#
# Reads: as nobody (setpriv --reuid=65534) in a namespace root configured,
# with a protected connection up, aoctl's conn show, keychain show detail,
# peer show, stats and limits show are refused with a message that says
# what is missing, and print nothing (no ISN, SNE or key schedule); monitor
# cannot join the events group.
#
# Unprivileged user namespaces: as nobody, root of a user and network
# namespace of its own (unshare -Urn), the limits start at and cannot go
# above the caps of such namespaces (a refusal with a message); root of
# the initial user namespace may go higher.  Where the kernel has the
# memory controller (cgroup v2; not the debug kernel), what that user
# configures is charged to its memory cgroup, and uncharged when its
# namespace goes.
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
. "$(dirname "$0")/../../lib.sh"
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

# ---- Limits and memory of unprivileged user namespaces (item 4) ----
if "${NOBODY[@]}" unshare -Urn true 2>/dev/null; then
	"${NOBODY[@]}" unshare -Urn sh -c '
		A=/tmp/aoctl-nobody
		$A limits set peers 16000000; echo "rc $?"
		$A limits set peers 1024 && echo "at the cap: ok"
		$A -j limits show' >"$RESULTS/userns-limits.out" 2>&1
	sed 's/^/#   /' "$RESULTS/userns-limits.out"
	check_grep "unshare -Urn as nobody: limits set peers 16000000 is refused, with the cap in the message" \
		'^aoctl: limits set: a limit of 16000000 peers is refused: a network namespace of an unprivileged user namespace may have at most 1024 \(Operation not permitted\)$' \
		"$RESULTS/userns-limits.out"
	check_grep "  exit status 1" '^rc 1$' "$RESULTS/userns-limits.out"
	check_grep "  the cap itself is accepted" '^at the cap: ok$' "$RESULTS/userns-limits.out"
	check_grep "  the limits start at the caps (64 keychains, 1024 peers, connections, bindings)" \
		'"keychains":64,"peers":1024,"conns":1024,"bindings":1024' "$RESULTS/userns-limits.out"
	ns_create big
	check "root of the initial user namespace may set 16000000 peers" \
		"$AOCTL" -n big limits set peers 16000000
else
	skip "limits of unprivileged user namespaces" "unprivileged user namespaces are off"
fi

# Memory cgroup: nobody, in a cgroup of its own, configures 32 keychains of
# 16 keys and 1000 peer policies in a namespace of its own; the cgroup's
# unreclaimable slab must grow by at least 200 kB (what those objects take,
# about 300 kB), and shrink back once that namespace is gone.
CG=/sys/fs/cgroup
memcg_ready() {
	[ -d $CG ] || return 1
	grep -q cgroup2 /proc/mounts || mount -t cgroup2 none $CG 2>/dev/null || return 1
	grep -qw memory $CG/cgroup.controllers || return 1
	grep -qw memory $CG/cgroup.subtree_control ||
		echo +memory >$CG/cgroup.subtree_control || return 1
	mkdir -p $CG/tcpao-test && on_exit "rmdir $CG/tcpao-test"
}
slab() {
	awk '$1 == "slab_unreclaimable" { print int($2 / 1024) }' $CG/tcpao-test/memory.stat
}
if ! "${NOBODY[@]}" unshare -Urn true 2>/dev/null; then
	skip "memory cgroup accounting" "unprivileged user namespaces are off"
elif ! memcg_ready; then
	skip "memory cgroup accounting" "no cgroup v2 memory controller in this kernel"
else
	awk 'BEGIN { for (k = 0; k < 32; k++) for (i = 0; i < 16; i++)
		printf "keychain add m%d key %d secret-hex 0x%08x%02x send-id %d recv-id %d start-time 2090-01-01.00:%02d\n", k, i, k, i, i, i, i
		for (p = 0; p < 1000; p++)
		printf "peer add 10.%d.%d.0/24 keychain m%d\n", p / 200, p % 200, p % 32 }' \
		>/tmp/memcg.batch
	chown 65534:65534 /tmp/memcg.batch && chmod 600 /tmp/memcg.batch
	cat >/tmp/memcg-inner.sh <<'EOF'
slab() {
	awk '$1 == "slab_unreclaimable" { print int($2 / 1024) }' "$1/memory.stat"
}
s0=$(slab "$1")
/tmp/aoctl-nobody -b /tmp/memcg.batch || exit 1
echo "grew $(($(slab "$1") - s0))"
EOF
	chmod 644 /tmp/memcg-inner.sh
	base=$(slab)
	sh -c 'echo $$ >"$1/cgroup.procs" && shift && exec "$@"' sh $CG/tcpao-test \
		"${NOBODY[@]}" unshare -Urn sh /tmp/memcg-inner.sh $CG/tcpao-test \
		>"$RESULTS/memcg.out" 2>&1
	sed 's/^/#   /' "$RESULTS/memcg.out"
	grew=$(sed -n 's/^grew //p' "$RESULTS/memcg.out")
	check "memcg: nobody's configuration in its own namespace is charged to its cgroup (slab +${grew:-?} kB, at least 200)" \
		[ "${grew:-0}" -ge 200 ]
	back() {
		[ "$(slab)" -le $((base + 100)) ]
	}
	check "memcg: uncharged when its namespace is gone (back to within 100 kB of $base kB)" \
		wait_for 60 back
	diag "cgroup slab: $base kB before, $(slab) kB after"
fi

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
