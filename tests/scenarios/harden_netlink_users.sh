#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 900
#
# Hostile netlink (issue #10), part 2 (part 1: harden_netlink.sh): the
# same fuzzer (tests/tools/nlfuzz.c) as unprivileged users:
#   - as nobody (setpriv --reuid=65534) in a namespace root configured:
#     nothing that changes anything may be accepted (netlink or socket
#     options), and the configuration must stay as it was (nlfuzz's own
#     snapshots, and aoctl's before and after);
#   - as nobody, root of a user and network namespace of its own
#     (unshare -Urn), as any local user can be where unprivileged user
#     namespaces are allowed: rejected messages must change nothing there.
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
