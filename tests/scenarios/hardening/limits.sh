#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 900
#
# Limits: each per-namespace limit reached (aoctl limits set
# keychains N peers N conns N bindings N).  Past it, creating one more
# fails with ENOSPC and a message that says which limit (socket options
# have no message channel: ENOSPC alone); lowering a limit below what is in
# use fails with EBUSY; nothing else breaks: the protected sessions keep
# running, and freeing one makes room again.  At the connection limit a
# new protected connection fails closed, on either end: the passive end
# verifies the SYN but cannot keep state and drops it, the active end does
# not let its SYN leave; both count it in conn-limit, and no unsigned SYN
# ever reaches the peer.
. "$(dirname "$0")/../../lib.sh"
. "$TCPAO_SRC/tests/tools/harden-lib.sh"

hd_topo
check "keychains and peer policies r1/r2 (all ports)" hd_protect
hd_sessions_start s4,r2,r1,192.0.2.2,179,interval=1 \
	s6,r2,r1,2001:db8::2,179,interval=1
hd_sessions_alive "sessions up (one connection each way and family)"

# expect_enospc DESC REGEX AOCTL-ARGS...: fails with ENOSPC, message /REGEX/
expect_err() {
	_desc=$1 _err=$2 _re=$3
	shift 3
	if "$AOCTL" "$@" >"$RESULTS/.out" 2>&1; then
		not_ok "$_desc" "succeeded: aoctl $*"
	elif grep -q "$_err" "$RESULTS/.out" && grep -Eq "$_re" "$RESULTS/.out"; then
		ok "$_desc: $(head -n 1 "$RESULTS/.out")"
	else
		not_ok "$_desc" "aoctl $*: $(cat "$RESULTS/.out")"
	fi
}
ENOSPC="No space left on device"
EBUSY="Device or resource busy"

# ---- keychains ----
check "limit: 3 keychains on r2" "$AOCTL" -n r2 limits set keychains 3
check "keychain 2 of 3" "$AOCTL" -n r2 keychain add k2
check "keychain 3 of 3" "$AOCTL" -n r2 keychain add k3
expect_err "keychain 4 of 3: ENOSPC" "$ENOSPC" "keychain limit.*reached \(3\)" \
	-n r2 keychain add k4
expect_err "a key creating keychain 4 of 3: ENOSPC" "$ENOSPC" \
	"keychain limit.*reached \(3\)" -n r2 keychain add k4 key 0 secret x \
	send-id 1 recv-id 1
check "...and nothing was created" sh -c \
	"! '$AOCTL' -n r2 keychain show k4 >/dev/null 2>&1"
expect_err "limit below use (2 < 3): EBUSY" "$EBUSY" "3 keychains in use" \
	-n r2 limits set keychains 2
check "a freed slot can be used" sh -c \
	"'$AOCTL' -n r2 keychain del k3 && '$AOCTL' -n r2 keychain add k4"

# ---- peers ----
check "limit: 3 peers on r2 (2 in use)" "$AOCTL" -n r2 limits set peers 3
check "peer 3 of 3" "$AOCTL" -n r2 peer add 198.51.100.1 keychain kc
expect_err "peer 4 of 3: ENOSPC" "$ENOSPC" "peer limit.*reached \(3\)" \
	-n r2 peer add 198.51.100.2 keychain kc
expect_err "limit below use: EBUSY" "$EBUSY" "3 peers in use" \
	-n r2 limits set peers 1

# ---- socket bindings (r1) ----
check "limit: 2 bindings on r1" "$AOCTL" -n r1 limits set bindings 2
hd_relay < <(in_ns r1 python3 - "$HD_TOOLS" "$AOCTL" <<'EOF'
import errno, socket, subprocess, sys
sys.path.insert(0, sys.argv[1])
from sessions import bind_keychain
socks, errs = [], []
for i in range(3):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        bind_keychain(s, socket.AF_INET, "192.0.2.%d" % (10 + i))
        errs.append(0)
    except OSError as e:
        errs.append(e.errno)
    socks.append(s)
print("RESULT %s bindings 1 and 2 of 2 succeed, 3 fails with ENOSPC (%s)" % (
    "ok" if errs == [0, 0, errno.ENOSPC] else "not_ok",
    [errno.errorcode.get(e, e) for e in errs]))
r = subprocess.run([sys.argv[2], "-n", "r1", "limits", "set", "bindings",
                    "1"], stderr=subprocess.PIPE, universal_newlines=True)
print("RESULT %s limit below the bindings in use: EBUSY (%s)" % (
    "ok" if r.returncode and "busy" in r.stderr else "not_ok",
    r.stderr.strip()))
socks[0].close()
# The collector frees a closed socket's binding within a second or so.
import time
ok = False
for _ in range(50):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        bind_keychain(s, socket.AF_INET, "192.0.2.20")
        ok = True
        break
    except OSError:
        s.close()
        time.sleep(0.2)
print("RESULT %s a closed socket's binding slot can be used again" %
      ("ok" if ok else "not_ok"))
EOF
)
no_bindings() {
	[ "$(hd_stat r1 bindings)" = 0 ]
}
check "bindings of closed sockets are collected (r1 bindings back to 0)" \
	wait_for 30 no_bindings

# ---- connections ----
# A client that gives up after one SYN retransmission (~3 s).
try_connect() {
	in_ns r1 python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.IPPROTO_TCP, socket.TCP_SYNCNT, 1)
try:
    s.connect((sys.argv[1], int(sys.argv[2])))
    print("connected")
except OSError as e:
    print("failed:", e)
    sys.exit(1)' "$@"
}
in_ns r2 python3 -c '
import socket, time
l = socket.socket(); l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
l.bind(("192.0.2.2", 6000)); l.listen(16)
c = []
while True:
    c.append(l.accept()[0])' >/dev/null 2>&1 &
on_exit "kill $!"
wait_for 60 in_ns r2 sh -c "ss -Hltn 'sport = :6000' | grep -q ."

# A connection to r2 over NS's connection limit must fail closed, and NS
# must count it in conn_limit.
refused_over_limit() {
	local ns=$1 what=$2 cl0 cl1

	cl0=$(hd_stat "$ns" conn_limit)
	if try_connect 192.0.2.2 6000 >"$RESULTS/.out" 2>&1; then
		not_ok "$what fails closed" "$(cat "$RESULTS/.out")"
	else
		ok "$what fails closed: $(cat "$RESULTS/.out")"
	fi
	cl1=$(hd_stat "$ns" conn_limit)
	if [ "$cl1" -gt "$cl0" ]; then
		ok "$ns counted it in conn-limit (+$((cl1 - cl0)))"
	else
		not_ok "$ns counted it in conn-limit" "$cl0 -> $cl1"
	fi
}

n2=$(hd_stat r2 connections)
check_eq "r2 holds the two sessions' connections" 2 "$n2"
check "limit: conns 3 on r2" "$AOCTL" -n r2 limits set conns 3
check "connection 3 of 3 (r2) is made" try_connect 192.0.2.2 6000
ar0=$(hd_stat r2 ao_required)
cc0=$(hd_stat r2 connections_created)
refused_over_limit r2 "connection 4 of 3 (r2, passive end)"
check_eq "r2 created no connection for it" "$cc0" "$(hd_stat r2 connections_created)"
check_eq "no unsigned SYN reached r2" "$ar0" "$(hd_stat r2 ao_required)"
expect_err "r2: limit below use: EBUSY" "$EBUSY" "3 connections in use" \
	-n r2 limits set conns 2
check "r2: limit back up" "$AOCTL" -n r2 limits set conns 100

n1=$(hd_stat r1 connections)
check "limit: conns on r1 = its use ($n1)" "$AOCTL" -n r1 limits set conns "$n1"
cc2=$(hd_stat r2 connections_created)
refused_over_limit r1 "one more connection (r1, active end)"
check_eq "its SYN never left (r2 created nothing)" "$cc2" "$(hd_stat r2 connections_created)"
check_eq "no unsigned SYN reached r2" "$ar0" "$(hd_stat r2 ao_required)"
check "r1: limit back up" "$AOCTL" -n r1 limits set conns 100
check "a new connection works again" try_connect 192.0.2.2 6000

# Not a limit, a property to know (threat-model.rst, "Local users and peer
# policies"): a policy signs every local socket's connection to the peer,
# an unprivileged user's too, and each takes a connection entry.
in_ns r1 setpriv --reuid=65534 --regid=65534 --clear-groups python3 -c '
import socket
s = socket.socket()
s.connect(("192.0.2.2", 6000))
print("up %d" % s.getsockname()[1])' >"$RESULTS/nobody.out" 2>&1
read -r _ np <"$RESULTS/nobody.out"
diag "a connection of user nobody (port ${np:-?}) to the protected peer: r2 verified $(hd_conn r2 6000 "${np:-0}" good) of its segments (the policy signs it)"

for ns in r1 r2; do
	check_eq "$ns: no bad MAC throughout" 0 "$(hd_stat $ns bad_mac)"
done
hd_sessions_alive "the sessions kept running throughout"
hd_sessions_stop

done_testing
