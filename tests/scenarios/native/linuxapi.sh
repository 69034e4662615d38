#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Linux's TCP-AO socket API answered by tcpao (src/linuxapi.c), held to
# Linux's own (net/ipv4/tcp_ao.c):
#
# 1  tests/tools/aoapi makes every call (TCP_AO_ADD_KEY, _DEL_KEY, _INFO
#    set and get, _GET_KEYS, _REPAIR) with the same expectations whichever
#    kernel answers, over loopback, IPv4 and IPv6, in a namespace of its
#    own.  On the native kernel (CONFIG_TCP_AO=y): against Linux's TCP-AO,
#    the baseline.  Elsewhere (stock, stock612): against tcpao, through
#    libtcpao-compat.so as a daemon would (IPPROTO_TCP calls), and at
#    tcpao's own level (TCPAO_SO_AO_*).  Where tcpao differs by design
#    (Documentation/linuxapi.rst) aoapi expects the documented behaviour.
# 2  Where tcpao answers: tests/tools/aopeer (a program written for
#    Linux's API, unchanged) under libtcpao-compat.so in two namespaces
#    joined by a veth, every captured segment verified by the independent
#    MAC verifier (tests/tools/aoverify.py):
#      a  IPv4, hmac(sha1), options covered, 300 KB each way
#      b  IPv6, cmac(aes128) with a 20-byte secret, options excluded;
#         rollover the Linux way: both sides hold two keys, the client
#         asks for the second (TCP_AO_INFO set_rnext), the server follows
#         and asks for it back, then both delete the first (TCP_AO_DEL_KEY)
#      c  IPv4, the shim's aopeer against a plain aopeer protected by a
#         tcpao peer policy: the two APIs interoperate on the wire
#    Both peers confirm each other's SHA-256; TCP_AO_INFO shows good > 0,
#    bad = 0.
# vm-timeout: 900
. "$(dirname "$0")/../../lib.sh"
. "$(dirname "$0")/../../lib-ao.sh"

AOAPI=$TCPAO_SRC/build/tools/aoapi
AOPEER=$TCPAO_SRC/build/tools/aopeer
SHIM=$TCPAO_SRC/tools/libtcpao-compat/libtcpao-compat.so
[ -x "$AOAPI" ] || bail "$AOAPI is missing (tests/tools/Makefile)"
[ -x "$AOPEER" ] || bail "$AOPEER is missing (tests/tools/Makefile)"

native=false
"$AOPEER" probe 2>/dev/null && native=true
if ! $native; then
	[ -e "$SHIM" ] || bail "$SHIM is missing (make -C tools)"
fi

# aoapi NAME MODE [ENV...]: aoapi's checks, one case of this scenario.
aoapi() {
	local name=$1 mode=$2 rc=0 pass fail
	shift 2
	env "$@" "$AOAPI" "$mode" >"$RESULTS/aoapi-$name.tap" \
		2>"$RESULTS/aoapi-$name.err" || rc=$?
	pass=$(grep -c '^ok ' "$RESULTS/aoapi-$name.tap")
	fail=$(grep -c '^not ok ' "$RESULTS/aoapi-$name.tap")
	if [ "$rc" = 0 ] && [ "$pass" -gt 100 ] && [ "$fail" = 0 ]; then
		ok "aoapi $name: $pass checks pass"
	else
		not_ok "aoapi $name: $pass pass, $fail fail (exit $rc)"
		grep -E '^not ok|^Bail' "$RESULTS/aoapi-$name.tap" | sed 's/^/#   /'
		tail -n 5 "$RESULTS/aoapi-$name.err" | sed 's/^/#   /'
	fi
}

if $native; then
	aoapi native native
else
	aoapi shim shim LD_PRELOAD="$SHIM" TCPAO_COMPAT_DEBUG=1
	aoapi tcpao tcpao
	# The same checks give the same descriptions: the two runs agree.
	check "aoapi: the shim's and tcpao's level's checks are the same" \
		diff <(grep -v '^#' "$RESULTS/aoapi-shim.tap") \
		<(grep -v '^#' "$RESULTS/aoapi-tcpao.tap")
	# The first call decided: tcpao answers, the kernel has no TCP-AO.
	check "libtcpao-compat: chose tcpao on this kernel (TCPAO_COMPAT_DEBUG)" \
		grep -q 'libtcpao-compat: TCP-AO socket options go to tcpao' \
		"$RESULTS/aoapi-shim.err"
fi

if $native; then
	done_testing
	exit
fi

# --- 2: daemons' API across two namespaces, captures verified -------------
A4=192.0.2.1 B4=192.0.2.2 A6=2001:db8:1::1 B6=2001:db8:1::2
topo_two a b $A4/24 $B4/24 $A6/64 $B6/64

# key_file NAME SEND RECV ALG OPT SECRET: an MKT for the verifier, in
# aoctl's words (the sides' secrets are in root-only files).
key_file() {
	local f=$AO_SECRETS/lx-$1
	(umask 077 && printf '%s' "$6" >"$f")
	printf 'keychain add lx key 0 secret-file %s send-id %s recv-id %s cryptographic-algorithm %s tcp-ao-option %s\n' \
		"$f" "$2" "$3" "$4" "$5" >"$f.key"
}

# pair NAME DST PORT 'LISTENER OPTIONS' 'CONNECTOR OPTIONS' [PLAIN]
# aopeer listens in namespace a (on DST), connects from b; both under the
# shim, or the listener without it (and without keys) when PLAIN is set.
pair() {
	local name=$1 dst=$2 port=$3 lo=$4 co=$5 plain=${6:-} pl rc=0
	local lenv=LD_PRELOAD=$SHIM
	[ -z "$plain" ] || lenv=X=
	cap_start a to-b "$name" tcp port "$port" || return 1
	# shellcheck disable=SC2086 # option words
	in_ns a env "$lenv" "$AOPEER" listen "$dst" "$port" $lo --quiet-ms 300 \
		--out "$RESULTS/$name-l.json" 2>"$RESULTS/$name-l.err" &
	pl=$!
	wait_for 10 grep -q listening "$RESULTS/$name-l.err" || return 1
	# shellcheck disable=SC2086
	in_ns b env LD_PRELOAD="$SHIM" "$AOPEER" connect "$dst" "$port" $co \
		--quiet-ms 300 --out "$RESULTS/$name-c.json" \
		2>"$RESULTS/$name-c.err" || rc=1
	wait "$pl" || rc=1
	cap_stop "$name"
	return $rc
}

# report NAME SIDE EXPR: a Python expression over the JSON report r holds.
report() {
	python3 - "$RESULTS/$1-$2.json" "$3" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
ok = eval(sys.argv[2], {"r": r})
if not ok:
    print(json.dumps(r, indent=1)[:3000])
sys.exit(0 if ok else 1)
EOF
}

# a: IPv4, hmac(sha1), options covered.
key_file a-l 11 10 hmac-sha-1-96 enabled linuxapi-case-a
key_file a-c 10 11 hmac-sha-1-96 enabled linuxapi-case-a
check "a: IPv4 hmac(sha1) through the shim, both hashes confirmed" \
	pair a $A4 2001 "--key send=11,recv=10,secret=linuxapi-case-a --send 300000" \
		"--key send=10,recv=11,secret=linuxapi-case-a --send 300000"
for s in l c; do
	check "a: $s: TCP_AO_INFO good > 0, bad 0, key not found 0" \
		report a $s 'r["peer_confirms"] and r["info"]["pkt_good"] > 0 and r["info"]["pkt_bad"] == 0 and r["info"]["pkt_key_not_found"] == 0'
done
check "a: every captured segment's MAC verifies (aoverify)" \
	cap_check_ao a 10 11
rm -f "$AO_SECRETS"/lx-a-*

# b: IPv6, cmac(aes128) with a 20-byte secret, options excluded; the
# client starts on key 20/21 and asks for 31 (the server's second key)
# after 100 KB, the server follows and asks for 30 back; at 450 KB both
# delete the first key.
S20=linuxapi-case-b-20by
S30=linuxapi-case-b-30by
key_file b-l0 21 20 aes-128-cmac-96 disabled $S20
key_file b-c0 20 21 aes-128-cmac-96 disabled $S20
key_file b-l1 31 30 aes-128-cmac-96 disabled $S30
key_file b-c1 30 31 aes-128-cmac-96 disabled $S30
KB="alg=cmac(aes128),exclude-opt"
check "b: IPv6 cmac(aes128), a rollover the Linux way, both hashes confirmed" \
	pair b $A6 2002 \
	"--key send=21,recv=20,secret=$S20,$KB --key send=31,recv=30,secret=$S30,$KB --follow --send 300000 --at bytes=450000:del=21/20" \
	"--key send=20,recv=21,secret=$S20,$KB,current,rnext --key send=30,recv=31,secret=$S30,$KB --send 300000 --rate 600000 --at bytes=100000:rnext=31 --at bytes=450000:del=20/21"
check "b: server: only key 31/30 left, Current and RNext, segments verified with it" \
	report b l 'r["peer_confirms"] and r["info"]["pkt_bad"] == 0 and [(k["sndid"], k["is_current"], k["is_rnext"], k["pkt_good"] > 0) for k in r["keys"]] == [(31, True, True, True)]'
check "b: client: only key 30/31 left, Current and RNext, segments verified with it" \
	report b c 'r["peer_confirms"] and r["info"]["pkt_bad"] == 0 and [(k["sndid"], k["is_current"], k["is_rnext"], k["pkt_good"] > 0) for k in r["keys"]] == [(30, True, True, True)]'
check "b: every captured segment's MAC verifies, KeyIDs 20, 21, 30, 31 (aoverify)" \
	cap_check_ao b 20 21 30 31
rm -f "$AO_SECRETS"/lx-b-*

# c: IPv4; the client through the shim, the server a plain aopeer (no
# keys) that a tcpao peer policy protects: both APIs, one wire.
key_file c-c 40 41 hmac-sha-1-96 enabled linuxapi-case-c
ao_key a kc 0 41 40 hmac-sha-1-96 enabled linuxapi-case-c &&
	ao a peer add $B4 keychain kc port 2003 ||
	not_ok "c: tcpao policy in a"
check "c: IPv4, the shim's client against a tcpao peer policy, both hashes confirmed" \
	pair c $A4 2003 "--send 200000" \
	"--key send=40,recv=41,secret=linuxapi-case-c --send 200000" plain
check "c: client: TCP_AO_INFO good > 0, bad 0" \
	report c c 'r["peer_confirms"] and r["info"]["pkt_good"] > 0 and r["info"]["pkt_bad"] == 0'
check "c: tcpao's policy side: segments verified, none bad" \
	test "$(ao_conn a good)" -gt 0 -a "$(ao_conn a bad)" = 0
check "c: every captured segment's MAC verifies (aoverify)" \
	cap_check_ao c 40 41

done_testing
