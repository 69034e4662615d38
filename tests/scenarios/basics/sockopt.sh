#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 600
#
# Socket options: a client and a server written in
# C that use only TCPAO_SO_BIND (no peer policy) over IPv4, IPv6 and
# v4-mapped addresses; one listener bound for two peers with two keychains;
# the errors (ENOENT, EISCONN, EPERM, EINVAL), each leaving the socket
# usable; 10,000 sockets bound and closed and a daemon killed with bound
# sockets leave nothing behind.
. "$(dirname "$0")/../../lib.sh"
. "$(dirname "$0")/../../lib-ao.sh"

AOECHO=$TCPAO_SRC/tools/examples/aoecho
[ -x "$AOECHO" ] || bail "build tools/examples first (make tools)"

ns_create r1 r2 r3
ns_link r1 r2 192.0.2.1/24 192.0.2.2/24 2001:db8:1::1/64 2001:db8:1::2/64
ns_link r3 r2 198.51.100.3/24 198.51.100.2/24 2001:db8:3::3/64 2001:db8:3::2/64
# Two keychains with different secrets; R2 holds both.
ao_key r1 kcA 0 1 2 hmac-sha-1-96 disabled "secret of A"
ao_key r2 kcA 0 2 1 hmac-sha-1-96 disabled "secret of A"
ao_key r2 kcB 0 3 4 aes-128-cmac-96 enabled "secret of B"
ao_key r3 kcB 0 4 3 aes-128-cmac-96 enabled "secret of B"

# echo_pair NAME SERVER-NS SERVER-ADDR PORT BINDING CLIENT-NS KEYCHAIN
echo_pair() {
	in_ns "$2" "$AOECHO" server "$3" "$4" "$5" >"$RESULTS/$1.srv" 2>&1 &
	sp=$!
	wait_for 10 grep -q listening "$RESULTS/$1.srv"
	in_ns "$6" "$AOECHO" client "${8:-$3}" "$4" "$7" --bytes 200000 \
		>"$RESULTS/$1.cli" 2>&1
	crc=$?
	wait $sp
	src=$?
	sed 's/^/# /' "$RESULTS/$1.srv" "$RESULTS/$1.cli"
	[ $crc -eq 0 ] && [ $src -eq 0 ]
}

cap_start r2 to-r1 so "tcp portrange 7000-7010"
check "IPv4: C client and server, socket options only" \
	echo_pair v4 r2 192.0.2.2 7000 192.0.2.1=kcA r1 kcA
check "IPv6: C client and server, socket options only" \
	echo_pair v6 r2 2001:db8:1::2 7001 2001:db8:1::1=kcA r1 kcA
check "IPv4 peer of an IPv6 socket (v4-mapped binding)" \
	echo_pair mapped r2 :: 7002 ::ffff:192.0.2.1=kcA r1 kcA 192.0.2.2
cap_stop so
check "every segment carries TCP-AO (KeyIDs 1 and 2)" cap_check_ao so 1 2
check_eq "no peer policy was involved" "[]" "$("$AOCTL" -n r2 -j peer show)"
check_eq "no segment failed" 0 "$(ao_stat r2 bad_mac)"

# One listener, two peers, two keychains.
in_ns r2 "$AOECHO" server :: 7003 --accept 2 ::ffff:192.0.2.1=kcA \
	::ffff:198.51.100.3=kcB >"$RESULTS/two.srv" 2>&1 &
sp=$!
wait_for 10 grep -q listening "$RESULTS/two.srv"
check "R1 (keychain kcA) connects to the listener" \
	in_ns r1 "$AOECHO" client 192.0.2.2 7003 kcA
check "R3 (keychain kcB) connects to the same listener" \
	in_ns r3 "$AOECHO" client 198.51.100.2 7003 kcB
wait $sp
check "  the listener accepted both, protected" [ $? -eq 0 ]
sed 's/^/# /' "$RESULTS/two.srv"
check_grep "  R1's connection used kcA" '^(::ffff:)?192\.0\.2\.1: keychain kcA .* bad 0 ' "$RESULTS/two.srv"
check_grep "  R3's connection used kcB" '^(::ffff:)?198\.51\.100\.3: keychain kcB .* bad 0 ' "$RESULTS/two.srv"

# Errors, each leaving the socket usable.  Python speaks the raw API.
cat >"$RESULTS/errs.py" <<'EOF'
import errno, os, socket, struct, sys
SOL_IP, BIND = 0, 5925
def bind_arg(addr, plen, keychain, flags=0):
    return (struct.pack("=HBBI", socket.AF_INET, plen, flags, 0) +
            socket.inet_aton(addr) + bytes(12) +
            keychain.encode().ljust(64, b"\0"))
def err(f):
    try:
        f()
        return "ok"
    except OSError as e:
        return errno.errorcode[e.errno]
what, server = sys.argv[1], sys.argv[2]
s = socket.socket()
if what == "enoent":
    print(err(lambda: s.setsockopt(SOL_IP, BIND, bind_arg(server, 32, "no-such"))))
    print(err(lambda: s.setsockopt(SOL_IP, BIND, bind_arg(server, 32, "kcA"))))
elif what == "einval":
    a = bind_arg(server, 32, "kcA")
    print(err(lambda: s.setsockopt(SOL_IP, BIND, a[:-1])))
    print(err(lambda: s.setsockopt(SOL_IP, BIND, bind_arg(server, 33, "kcA"))))
    print(err(lambda: s.setsockopt(SOL_IP, BIND, a)))
elif what == "eperm":
    print(err(lambda: s.setsockopt(SOL_IP, BIND, bind_arg(server, 32, "kcA"))))
    print("ok")
port = int(sys.argv[3])
if what == "eisconn":
    s.setsockopt(SOL_IP, BIND, bind_arg(server, 32, "kcA"))
    s.connect((server, port))
    print(err(lambda: s.setsockopt(SOL_IP, BIND, bind_arg(server, 32, "kcA"))))
else:
    s.connect((server, port))
s.sendall(b"usable\n")
print(s.recv(100).decode().strip())
EOF
# A plain echo server for the unprivileged case, a protected one otherwise.
errs() {
	in_ns r2 "$AOECHO" server 192.0.2.2 "$2" "${4:-192.0.2.1=kcA}" >"$RESULTS/err-$1.srv" 2>&1 &
	sp=$!
	wait_for 10 grep -q listening "$RESULTS/err-$1.srv"
	in_ns r1 ${3:-} python3 "$RESULTS/errs.py" "$1" 192.0.2.2 "$2" >"$RESULTS/err-$1.out" 2>&1
	kill $sp 2>/dev/null
	wait $sp 2>/dev/null
	sed 's/^/# /' "$RESULTS/err-$1.out"
}
errs enoent 7010
check_eq "unknown keychain: ENOENT, then a valid binding, the socket usable" \
	"ENOENT ok usable" "$(tr '\n' ' ' <"$RESULTS/err-enoent.out" | sed 's/ $//')"
errs einval 7011
check_eq "wrong length, then prefix 33: EINVAL twice, then a valid binding, usable" \
	"EINVAL EINVAL ok usable" "$(tr '\n' ' ' <"$RESULTS/err-einval.out" | sed 's/ $//')"
errs eisconn 7012
check_eq "a binding after connect(): EISCONN, the connection usable" \
	"EISCONN usable" "$(tr '\n' ' ' <"$RESULTS/err-eisconn.out" | sed 's/ $//')"
# Unprivileged: no CAP_NET_ADMIN.  The socket then connects unprotected,
# so R2 allows it for this test.
ao r2 peer add 192.0.2.1 keychain kcA port 7014 allow-without-tcpao
cat >"$RESULTS/plain.py" <<'EOF'
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], int(sys.argv[2]))); s.listen(1); print("listening", flush=True)
c, _ = s.accept(); c.sendall(c.recv(100)); c.close()
EOF
in_ns r2 python3 "$RESULTS/plain.py" 192.0.2.2 7014 >"$RESULTS/plain.srv" 2>&1 &
sp=$!
wait_for 10 grep -q listening "$RESULTS/plain.srv"
in_ns r1 setpriv --reuid=65534 --regid=65534 --clear-groups \
	python3 "$RESULTS/errs.py" eperm 192.0.2.2 7014 >"$RESULTS/err-eperm.out" 2>&1
wait $sp
sed 's/^/# /' "$RESULTS/err-eperm.out"
check_eq "unprivileged: EPERM, the socket usable" \
	"EPERM ok usable" "$(tr '\n' ' ' <"$RESULTS/err-eperm.out" | sed 's/ $//')"

bindings_are() {
	test "$(ao_stat r1 bindings)" = "$1"
}

# TCPAO_SO_REPAIR, on sockets in TCP_REPAIR mode that
# connect without sending anything: with a binding, and with only a peer
# policy (no binding: nothing may be read uninitialised on that path).
# Repairing again replaces the entry but must not count TCP-AO in the
# socket's MSS twice: the MSS after one TCPAO_SO_REPAIR and after four
# more is the same: the 1460 the peer announced less TCP-AO's 16 bytes and
# the timestamps' 12 (main gave 1432, then 1368).
cat >"$RESULTS/repair_mss.py" <<'EOF2'
import socket, struct, sys
SOL_TCP, TCP_MAXSEG, TCP_REPAIR, TCP_REPAIR_OPTIONS = 6, 2, 19, 22
SOL_IP, BIND, REPAIR = 0, 5925, 5928
mode, laddr, raddr, port = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
s = socket.socket()
s.setsockopt(SOL_TCP, TCP_REPAIR, 1)
s.bind((laddr, 40000 + port))
if mode == "bind":
    s.setsockopt(SOL_IP, BIND, struct.pack("=HBBI", socket.AF_INET, 32, 0, 0) +
                 socket.inet_aton(raddr) + bytes(12) + b"kcA".ljust(64, b"\0"))
s.connect((raddr, port))
s.setsockopt(SOL_TCP, TCP_REPAIR_OPTIONS, struct.pack("=II", 2, 1460))
mss = []
for n in (1, 4):
    s.setsockopt(SOL_TCP, TCP_REPAIR, 1)
    for _ in range(n):
        s.setsockopt(SOL_IP, REPAIR, struct.pack("=IIII", 1000, 2000, 0, 0))
    s.setsockopt(SOL_TCP, TCP_REPAIR, 0)
    mss.append(s.getsockopt(SOL_TCP, TCP_MAXSEG))
print(*mss)
# Closed in repair mode: nothing is sent (as CRIU leaves a dumped socket).
s.setsockopt(SOL_TCP, TCP_REPAIR, 1)
s.close()
EOF2
ao r1 peer add 192.0.2.2 keychain kcA port 7021
b0=$(ao_stat r1 bindings)
for m in bind:7020 policy:7021; do
	in_ns r1 python3 "$RESULTS/repair_mss.py" "${m%:*}" 192.0.2.1 192.0.2.2 \
		"${m#*:}" >"$RESULTS/repair-${m%:*}.out" 2>&1
	sed 's/^/# /' "$RESULTS/repair-${m%:*}.out"
	check_eq "TCPAO_SO_REPAIR (${m%:*}): MSS 1432 after one call and after four more" \
		"1432 1432" "$(cat "$RESULTS/repair-${m%:*}.out")"
done
ao r1 peer del 192.0.2.2 port 7021
wait_for 30 bindings_are "$b0"

# 10,000 sockets bound, then closed; a daemon killed with bound sockets.
cat >"$RESULTS/many.py" <<'EOF'
import os, resource, socket, struct, sys, time
n, ctl = int(sys.argv[1]), sys.argv[2]
resource.setrlimit(resource.RLIMIT_NOFILE, (n + 100, n + 100))
arg = (struct.pack("=HBBI", socket.AF_INET, 24, 0, 0) +
       socket.inet_aton("192.0.2.0") + bytes(12) + b"kcA".ljust(64, b"\0"))
socks = []
for i in range(n):
    s = socket.socket()
    s.setsockopt(0, 5925, arg)
    socks.append(s)
print("bound", len(socks), flush=True)
# Close them when told to (a daemon that is killed never is).
while not os.path.exists(ctl):
    time.sleep(0.2)
for s in socks:
    s.close()
print("closed", flush=True)
EOF
base=$(ao_stat r1 bindings)
in_ns r1 python3 "$RESULTS/many.py" 10000 "$RESULTS/many.close" >"$RESULTS/many.out" 2>&1 &
mp=$!
wait_for 300 grep -q bound "$RESULTS/many.out"
check_eq "10,000 sockets bound: the bindings gauge counts them" $((base + 10000)) "$(ao_stat r1 bindings)"
touch "$RESULTS/many.close"
wait $mp
check "closed: the bindings go within seconds" wait_for 30 bindings_are "$base"
# exec: $! must be python itself, for the SIGKILL below.
(exec ip netns exec r1 python3 "$RESULTS/many.py" 500 "$RESULTS/never") \
	>"$RESULTS/daemon.out" 2>&1 &
dp=$!
wait_for 60 grep -q bound "$RESULTS/daemon.out"
check_eq "a daemon with 500 bound sockets" $((base + 500)) "$(ao_stat r1 bindings)"
kill -9 $dp
wait $dp 2>/dev/null
check "killed: its bindings go too" wait_for 30 bindings_are "$base"
done_testing
