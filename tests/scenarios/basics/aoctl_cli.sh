#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 900
#
# aoctl_cli: aoctl against the real module, in a VM.
#
#   - every command, in text and with -j (the JSON parsed by Python),
#   - every rejection, with its message and exit code, the state unchanged
#     afterwards, also for requests that bypass aoctl's own checks (raw
#     generic netlink from Python: the kernel validates too),
#   - namespace isolation,
#   - secrets nowhere: show, JSON, raw netlink dumps, dmesg, /proc, /sys,
#   - the Junos seed from tests/scenarios/data/seed-r{1,2}.batch, with a
#     TCP-AO connection between two namespaces (R1 and R2).
#
# Environment (from the harness, see tests/lib.sh): AOCTL, TCPAO_SRC,
# TCPAO_KO, RESULTS.  TAP on stdout; exit status 1 when a test failed.
set -u

# shellcheck source-path=SCRIPTDIR source=../lib.sh
. "$(dirname "$0")/../../lib.sh"

DATA=$TCPAO_SRC/tests/scenarios/data
LOG=$RESULTS/aoctl_cli.log
: >"$LOG"
T=$(mktemp -d /tmp/aoctl-cli.XXXXXX)
chmod 755 "$T"
on_exit "rm -rf '$T'"
A=aocli-r1-$$
B=aocli-r2-$$

# ---- TAP (lib.sh's ok/not_ok, with a status and a log) ----
t_ok()
{
	if [ "$1" -eq 0 ]; then
		ok "$2"
	else
		not_ok "$2"
	fi
	echo "[$_tap_n] rc=$1 $2" >>"$LOG"
	return "$1"
}

t_skip()
{
	skip "$1" "$2"
}

t_diag()
{
	sed 's/^/#   /' | head -n 40
}

# ---- running aoctl ----
# The words, with the values of secret and secret-hex replaced: the log
# must not hold the secrets it checks for.
redact()
{
	local w hide=''
	for w in "$@"; do
		if [ -n "$hide" ]; then
			printf '*** '
			hide=''
			continue
		fi
		case $w in
		secret | secret-hex) hide=1 ;;
		esac
		printf '%s ' "$w"
	done
}

# ao NETNS ARGS...: run aoctl in a namespace ("-" for the current one);
# output in $T/out, $T/err, exit code in $rc.  Everything is logged.
ao()
{
	local ns=$1
	shift
	if [ "$ns" = - ]; then
		"$AOCTL" "$@" >"$T/out" 2>"$T/err"
	else
		"$AOCTL" -n "$ns" "$@" >"$T/out" 2>"$T/err"
	fi
	rc=$?
	{
		echo "\$ aoctl ${ns:+-n $ns }$(redact "$@") -> $rc"
		cat "$T/out" "$T/err"
	} >>"$LOG"
	cat "$T/out" >>"$T/all-output"
	cat "$T/err" >>"$T/all-output"
	return $rc
}

# must TEXT NETNS ARGS...: aoctl succeeds.
must()
{
	local what=$1
	shift
	ao "$@"
	t_ok $rc "$what"
	[ $rc -eq 0 ] || t_diag <"$T/err"
}

# py EXPR FILE [lines]: the JSON in FILE parses and EXPR (over d) holds.
py()
{
	python3 "$T/aohelp.py" check "$1" "$2" "${3:-doc}" >>"$LOG" 2>&1
}

# refused NETNS RC REGEX TEXT ARGS...: aoctl fails with exit code RC, one
# line on stderr matching REGEX (extended), nothing on stdout, the
# namespace's state unchanged.
refused()
{
	local ns=$1 want_rc=$2 re=$3 what=$4 st=0
	shift 4
	snapshot "$ns" >"$T/before"
	ao "$ns" "$@"
	grep -v '^aoctl: warning:' "$T/err" >"$T/err1"
	if [ $rc -ne "$want_rc" ] || [ -s "$T/out" ] ||
	   [ "$(wc -l <"$T/err1")" -ne 1 ] || ! grep -qE "$re" "$T/err1"; then
		st=1
	fi
	t_ok $st "refused ($want_rc): $what"
	[ $st -eq 0 ] || { echo "rc $rc, stderr:"; cat "$T/err"; echo "want: $re"; } | t_diag
	snapshot "$ns" >"$T/after"
	cmp -s "$T/before" "$T/after"
	t_ok $? "  state unchanged after: $what"
}

# The configuration of a namespace, without what changes with time.
snapshot()
{
	local ns=$1 opt=()
	[ "$ns" = - ] || opt=(-n "$ns")
	{
		"$AOCTL" "${opt[@]}" -j keychain show detail
		"$AOCTL" "${opt[@]}" -j peer show
		"$AOCTL" "${opt[@]}" -j limits show
	} 2>&1 | python3 "$T/aohelp.py" normalize
}

# raw NETNS ARGS...: the Python generic netlink client in a namespace.
raw()
{
	local ns=$1
	shift
	ip netns exec "$ns" python3 "$T/aohelp.py" "$@" >"$T/raw" 2>&1
	rc=$?
	{ echo "\$ raw $*"; cat "$T/raw"; } >>"$LOG"
	return $rc
}

# ---- the Python helper: JSON checks, raw generic netlink ----
cat >"$T/aohelp.py" <<'PYEOF'
import json, os, re, socket, struct, sys

def load(path, mode):
    text = open(path, encoding='utf-8').read()
    if mode == 'lines':
        return [json.loads(l) for l in text.splitlines() if l.strip()]
    return json.loads(text)

def snake(d):
    if isinstance(d, dict):
        return all(re.fullmatch(r'[a-z][a-z0-9_]*', k) and snake(v)
                   for k, v in d.items())
    if isinstance(d, list):
        return all(snake(v) for v in d)
    return True

def check(expr, path, mode):
    d = load(path, mode)
    ok = eval('(' + expr + '\n)', {'d': d, 'snake': snake, 're': re})
    if not ok:
        print('expression false:', expr, '\nfor:', json.dumps(d)[:2000])
    return 0 if ok else 1

VOLATILE = ('transition', 'connections')

def strip(d):
    # What moves with the clock or with connections coming and going.
    if isinstance(d, dict):
        return {k: strip(v) for k, v in d.items() if k not in VOLATILE}
    if isinstance(d, list):
        return [strip(v) for v in d]
    return d

def normalize():
    # Documents one after the other; compared without volatile values.
    out = []
    dec = json.JSONDecoder()
    text = sys.stdin.read()
    i = 0
    while i < len(text):
        if text[i].isspace():
            i += 1
            continue
        try:
            d, i = dec.raw_decode(text, i)
        except ValueError:
            out.append(text[i:].strip())
            break
        d = strip(d)
        if isinstance(d, list):
            d.sort(key=lambda o: json.dumps(o, sort_keys=True))
        out.append(json.dumps(d, sort_keys=True))
    print('\n'.join(out))
    return 0

# ---- generic netlink, by hand: no aoctl, no client-side checks ----
NLM_F_REQUEST, NLM_F_ACK, NLM_F_DUMP = 1, 4, 0x300
NLMSG_ERROR, NLMSG_DONE = 2, 3
NLA_F_NESTED = 0x8000
A_KEYCHAIN, A_KEY, A_DETAIL = 1, 2, 8
KC_NAME, KC_TOLERANCE = 1, 2
KEY_ID, KEY_SECRET, KEY_START, KEY_SEND, KEY_RECV, KEY_ALG, KEY_OPTS = 1, 2, 3, 4, 5, 6, 7
CMD = {'keychain_new': 1, 'keychain_set': 2, 'keychain_get': 4,
       'key_new': 5, 'key_set': 6}

def attr(t, data):
    l = 4 + len(data)
    return struct.pack('HH', l, t) + data + b'\0' * ((4 - l % 4) % 4)

def nest(t, *a):
    return attr(t | NLA_F_NESTED, b''.join(a))

def attrs(buf):
    res = {}
    while len(buf) >= 4:
        l, t = struct.unpack('HH', buf[:4])
        if l < 4:
            break
        res[t & 0x3fff] = buf[4:l]
        buf = buf[(l + 3) & ~3:]
    return res

class Genl:
    def __init__(self):
        self.s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 16)
        self.s.setsockopt(270, 11, 1)   # NETLINK_EXT_ACK
        self.s.setsockopt(270, 10, 1)   # NETLINK_CAP_ACK
        self.s.bind((0, 0))
        self.seq = 1
        err, _, replies = self.req(0x10, 3, attr(2, b'tcpao\0'))   # GETFAMILY
        if err:
            raise SystemExit('tcpao family: errno %d' % err)
        self.fam = struct.unpack('H', attrs(replies[0][4:])[1][:2])[0]

    def req(self, fam, cmd, payload, dump=False):
        self.seq += 1
        flags = NLM_F_REQUEST | NLM_F_ACK | (NLM_F_DUMP if dump else 0)
        body = struct.pack('BBH', cmd, 1, 0) + payload
        self.s.send(struct.pack('IHHII', 16 + len(body), fam, flags, self.seq, 0) + body)
        replies, raw = [], b''
        while True:
            data = self.s.recv(1 << 20)
            raw += data
            while len(data) >= 16:
                l, t, f, seq, pid = struct.unpack('IHHII', data[:16])
                msg = data[16:l]
                data = data[(l + 3) & ~3:]
                if t == NLMSG_ERROR or t == NLMSG_DONE:
                    err = -struct.unpack('i', msg[:4])[0]
                    ext = b''
                    if f & 0x200:
                        off = 20 if t == NLMSG_ERROR else 4
                        ext = attrs(msg[off:]).get(1, b'')
                    self.raw = raw
                    return err, ext.rstrip(b'\0').decode(errors='replace'), replies
                replies.append(msg)

def raw_main(args):
    g = Genl()
    op = args[0]
    if op == 'dump-has':
        # dump-has HEX...: exit 1 when a secret appears in the bytes of a
        # detailed keychain dump.
        err, ext, _ = g.req(g.fam, CMD['keychain_get'], attr(A_DETAIL, b''), dump=True)
        found = [h for h in args[1:] if bytes.fromhex(h) in g.raw]
        print('errno', err, 'bytes', len(g.raw), 'found', found)
        return 1 if err or found else 0
    if op in ('key_new', 'key_set'):
        # key_new KEYCHAIN ID SEND RECV SECRET-HEX ALG
        # ("-": an empty secret).  Values beyond a u8 go out as u16: the
        # kernel must refuse them by range or by length.
        kc, kid, snd, rcv, sec, alg = args[1:7]
        key = []
        for t, v in ((KEY_ID, kid), (KEY_SEND, snd), (KEY_RECV, rcv), (KEY_ALG, alg)):
            v = int(v)
            key.append(attr(t, struct.pack('B', v) if v < 256 else struct.pack('H', v)))
        key.append(attr(KEY_SECRET, b'' if sec == '-' else bytes.fromhex(sec)))
        payload = nest(A_KEYCHAIN, attr(KC_NAME, kc.encode() + b'\0')) + nest(A_KEY, *key)
        err, ext, _ = g.req(g.fam, CMD[op], payload)
    elif op == 'tolerance':
        kc, tol = args[1:3]
        payload = nest(A_KEYCHAIN, attr(KC_NAME, kc.encode() + b'\0'),
                       attr(KC_TOLERANCE, struct.pack('I', int(tol))))
        err, ext, _ = g.req(g.fam, CMD['keychain_set'], payload)
    else:
        raise SystemExit('unknown raw op ' + op)
    print('errno %d extack %r' % (err, ext))
    return err

if __name__ == '__main__':
    cmd = sys.argv[1]
    if cmd == 'check':
        sys.exit(check(sys.argv[2], sys.argv[3], sys.argv[4]))
    if cmd == 'normalize':
        sys.exit(normalize())
    sys.exit(raw_main(sys.argv[1:]))
PYEOF

# ---- setup ----
require python3 setpriv ss
diag "$("$AOCTL" -V 2>&1), kernel $(uname -r)"
# The harness loads tcpao.ko before the scenarios.
[ -d /sys/module/tcpao ] || insmod "$TCPAO_KO" 2>>"$LOG"
[ -d /sys/module/tcpao ]
t_ok $? "tcpao module loaded"

# R1 and R2, deleted on exit by lib.sh.
topo_two "$A" "$B" 10.99.0.1/24 10.99.0.2/24 fd00:99::1/64 fd00:99::2/64
ok "namespaces R1 ($A) and R2 ($B) with a veth between them"

# Secrets of this run: random, so that finding one anywhere means a leak.
rnd()
{
	od -An -tx1 -N"$1" /dev/urandom | tr -d ' \n'
}
S_STR=aoctl-str-$(rnd 8)
S_FILE=aoctl-file-$(rnd 8)
S_HEX=$(rnd 20)
S_STDIN=aoctl-stdin-$(rnd 8)
printf '%s\n' "$S_FILE" >"$T/secret"
chmod 600 "$T/secret"
hex()
{
	printf '%s' "$1" | od -An -tx1 | tr -d ' \n'
}

# ---- the Junos seed, by batch ----
install -m 600 "$DATA/seed-r1.batch" "$T/seed-r1.batch"
install -m 600 "$DATA/seed-r2.batch" "$T/seed-r2.batch"
must "seed-r1.batch in R1" "$A" -b "$T/seed-r1.batch"
must "seed-r2.batch in R2" "$B" -b "$T/seed-r2.batch"

ao "$A" keychain show
{ [ $rc -eq 0 ] &&
	sed -n 1p "$T/out" | grep -qx 'Keychain          Active-ID        Next-ID          Transition       Tolerance' &&
	sed -n 2p "$T/out" | grep -qx '                  Send  Receive    Send  Receive' &&
	grep -qE '^new_auth_key      0     0          1     1          [0-9]+d [0-9]{2}:[0-9]{2}:[0-9]{2} +3600$' "$T/out"; }
t_ok $? "R1 keychain show: the Junos table, active key 0, next key 1" ||
	t_diag <"$T/out"

ao "$B" -j keychain show new_auth_key detail
cp "$T/out" "$T/r2.json"
py "len(d) == 1 and d[0]['name'] == 'new_auth_key' and d[0]['tolerance'] == 3600 and
    (d[0]['active_send_id'], d[0]['active_recv_id']) == (0, 0) and
    (d[0]['next_send_id'], d[0]['next_recv_id']) == (1, 1) and
    d[0]['transition'] > 0 and
    [(k['id'], k['send_id'], k['recv_id'], k['algorithm'], k['state'], k['secret_length'])
     for k in sorted(d[0]['keys'], key=lambda k: k['id'])] == [(0, 2, 1, 'hmac-sha-1-96', 'active', 16),
                                (1, 4, 3, 'aes-128-cmac-96', 'future', 16)] and
    all(k['tcp_ao_option'] == 'disabled' for k in d[0]['keys']) and
    [k['start_time'] for k in d[0]['keys'] if k['id'] == 1] == [4070908800] and snake(d)" "$T/out"
t_ok $? "R2 keychain show detail -j: IDs swapped, both keys, numbers, snake_case"

ao "$A" keychain show new_auth_key detail
grep -qE '^    key 0 send-id 1 recv-id 2 cryptographic-algorithm hmac-sha-1-96 tcp-ao-option disabled start-time 2020-01-01\.00:00:00 UTC state active connections [0-9]+ secret-length 16$' "$T/out" &&
	grep -qE '^    key 1 send-id 3 recv-id 4 cryptographic-algorithm aes-128-cmac-96 tcp-ao-option disabled start-time 2099-01-01\.00:00:00 UTC state future connections 0 secret-length 16$' "$T/out" &&
	grep -qE '^    peers 0 bindings 0 connections 0 generation [0-9]+$' "$T/out"
t_ok $? "R1 keychain show detail: one line per key" ||
	t_diag <"$T/out"

# ---- keychain commands ----
must "keychain add: secret STRING" "$A" keychain add cli key 0 secret "$S_STR" send-id 10 recv-id 20
grep -q "warning: a secret on the command line" "$T/err"
t_ok $? "  warns about the shell history"
must "keychain add: secret-file" "$A" keychain add cli key 1 secret-file "$T/secret" \
	send-id 11 recv-id 21 start-time 2030-06-01.12:00 +0200 cryptographic-algorithm aes-128-cmac-96 \
	tcp-ao-option enabled
must "keychain add: secret-hex" "$A" keychain add cli key 2 secret-hex "$S_HEX" send-id 12 recv-id 22 \
	start-time 2031-01-01.00:00:00
printf '%s\n' "$S_STDIN" | "$AOCTL" -n "$A" keychain add cli key 3 secret-file - send-id 13 recv-id 23 \
	start-time 2032-01-01.00:00 >"$T/out" 2>"$T/err"
t_ok $? "keychain add: secret-file - (standard input)"
must "keychain add NAME tolerance (empty keychain)" "$A" keychain add empty tolerance 60
must "keychain set NAME tolerance" "$A" keychain set cli tolerance 120
must "keychain set key: send-id, recv-id" "$A" keychain set cli key 2 send-id 42 recv-id 43
must "keychain set key: start-time, algorithm, tcp-ao-option" "$A" keychain set cli key 3 \
	start-time 2033-03-03.03:03:03 cryptographic-algorithm aes-128-cmac-96 tcp-ao-option enabled
must "keychain set key: secret" "$A" keychain set cli key 3 secret-hex 00112233

ao "$A" -j keychain show cli detail
py "len(d) == 1 and d[0]['tolerance'] == 120 and
    {k['id']: (k['send_id'], k['recv_id'], k['algorithm'], k['tcp_ao_option'],
               k['start_time'] if k['id'] else 0, k['secret_length'])
     for k in d[0]['keys']} ==
    {0: (10, 20, 'hmac-sha-1-96', 'disabled', 0, $((${#S_STR}))),
     1: (11, 21, 'aes-128-cmac-96', 'enabled', 1906538400, $((${#S_FILE}))),
     2: (42, 43, 'hmac-sha-1-96', 'disabled', 1924992000, $((${#S_HEX} / 2))),
     3: (13, 23, 'aes-128-cmac-96', 'enabled', 1993431783, 4)}" "$T/out"
t_ok $? "keychain show NAME detail -j: every attribute as set (start-time offsets applied)" ||
	t_diag <"$T/out"
ao "$A" -j keychain show cli
py "len(d) == 1 and 'keys' not in d[0] and d[0]['active_send_id'] == 0 and
    d[0]['next_send_id'] == 1" "$T/out"
t_ok $? "keychain show NAME -j: no keys without detail; key 0 is active (start-time now)"

ao "$A" -p keychain show
py "sorted(k['name'] for k in d) == ['cli', 'empty', 'new_auth_key'] and
    [k for k in d if k['name'] == 'empty'][0]['active_send_id'] is None" "$T/out" &&
	grep -q '^    {' "$T/out"
t_ok $? "keychain show -p: pretty JSON, absent active key is null"
ao "$A" keychain show empty
grep -qE '^empty             -     -          -     -          -                60$' "$T/out"
t_ok $? "keychain show NAME: '-' for absent keys"

must "keychain del NAME key ID" "$A" keychain del cli key 3
ao "$A" -j keychain show cli detail
py "sorted(k['id'] for k in d[0]['keys']) == [0, 1, 2]" "$T/out"
t_ok $? "  key 3 is gone"
must "keychain del NAME" "$A" keychain del empty
ao "$A" keychain show empty
[ $rc -eq 1 ] && grep -qE '^aoctl: keychain show: .*No such file or directory\)?$' "$T/err"
t_ok $? "  keychain show of a deleted keychain: exit 1, ENOENT"

# ---- peer commands ----
must "peer add IPv4 /32 port" "$A" peer add 10.99.0.2/32 keychain new_auth_key port 179
must "peer add IPv6 prefix, flags" "$A" peer add fd00:99::/64 keychain cli allow-without-tcpao accept-icmps
must "peer add without port" "$A" peer add 198.51.100.0/24 keychain cli
must "peer add in R2" "$B" peer add 10.99.0.1 keychain new_auth_key port 179
ao "$A" peer show
head -n 1 "$T/out" | grep -qE '^Prefix +Port +VRF +Keychain +Flags +Connections$' &&
	grep -qE '^10\.99\.0\.2/32 +179 +default +new_auth_key +- +[0-9]+$' "$T/out" &&
	grep -qE '^fd00:99::/64 +any +default +cli +allow-without-tcpao,accept-icmps +[0-9]+$' "$T/out" &&
	grep -qE '^198\.51\.100\.0/24 +any +default +cli +- +[0-9]+$' "$T/out"
t_ok $? "peer show: table" ||
	t_diag <"$T/out"
ao "$A" -j peer show
py "sorted((p['prefix'], p['port'], p['vrf'], p['keychain'], tuple(p['flags']), p['family'])
           for p in d) ==
    [('10.99.0.2/32', 179, 'default', 'new_auth_key', (), 'inet'),
     ('198.51.100.0/24', None, 'default', 'cli', (), 'inet'),
     ('fd00:99::/64', None, 'default', 'cli', ('allow-without-tcpao', 'accept-icmps'), 'inet6')] and
    all(type(p['connections']) is int for p in d) and snake(d)" "$T/out"
t_ok $? "peer show -j"
must "peer del (exact prefix)" "$A" peer del 198.51.100.0/24
ao "$A" peer del 198.51.100.0/24
[ $rc -eq 1 ] && grep -qE '^aoctl: peer del: .*No such file or directory\)?$' "$T/err"
t_ok $? "  deleting it again: exit 1"
ao "$A" peer del 10.99.0.2/32
[ $rc -eq 1 ] && grep -qE '^aoctl: peer del: .*No such file or directory\)?$' "$T/err"
t_ok $? "  peer del without the port does not match a policy with a port (ENOENT)"

if ip -n "$A" link add aocli-vrf type vrf table 99 2>>"$LOG" &&
   ip -n "$A" link set aocli-vrf up; then
	must "peer add vrf DEV" "$A" peer add 10.98.0.0/24 keychain cli vrf aocli-vrf
	ao "$A" -j peer show
	py "[p['vrf'] for p in d if p['prefix'] == '10.98.0.0/24'] == ['aocli-vrf'] and
	    [p['ifindex'] > 0 for p in d if p['prefix'] == '10.98.0.0/24'] == [True]" "$T/out"
	t_ok $? "  peer show names the VRF"
	ao "$A" peer show
	grep -qE '^10\.98\.0\.0/24 +any +aocli-vrf +cli ' "$T/out"
	t_ok $? "  in text too"
	must "peer del vrf DEV" "$A" peer del 10.98.0.0/24 vrf aocli-vrf
else
	t_skip "peer add/show/del with a VRF" "no VRF support (CONFIG_NET_VRF)"
fi
refused "$A" 1 '^aoctl: peer add: vrf nosuchdev0: no such device$' "peer add: unknown VRF device" \
	peer add 10.98.0.0/24 keychain cli vrf nosuchdev0

# ---- a TCP-AO connection between R1 and R2 ----
spawn ip netns exec "$B" python3 -c '
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("10.99.0.2", 179)); s.listen(1)
c, _ = s.accept()
while True:
    d = c.recv(1000)
    if not d: break
    c.sendall(d)
' >>"$LOG" 2>&1
for _ in $(seq 50); do
	ip netns exec "$B" ss -Hltn 'sport = :179' 2>/dev/null | grep -q . && break
	sleep 0.1
done
mkfifo "$T/client"
spawn ip netns exec "$A" python3 -c '
import socket, sys
c = socket.create_connection(("10.99.0.2", 179), timeout=5)
for i in range(5):
    c.sendall(b"hello tcp-ao\n"); c.recv(100)
print("connected", flush=True)
open(sys.argv[1]).read()
c.close()
' "$T/client" >"$T/client.out" 2>&1
for _ in $(seq 50); do
	grep -qs connected "$T/client.out" && break
	sleep 0.1
done
grep -q connected "$T/client.out"
t_ok $? "a TCP connection R1 -> R2 port 179 under the peer policies" ||
	t_diag <"$T/client.out"

ao "$A" conn show
sed -n 1p "$T/out" | grep -qE '^Local +Remote +VRF +Keychain +State +Send +Recv +SNE +Good +Bad +Signed$' &&
	grep -qE '^10\.99\.0\.1:[0-9]+ +10\.99\.0\.2:179 +default +new_auth_key +established +1/2 +2/1 +0/0 +[1-9][0-9]* +0 +[1-9][0-9]*$' "$T/out"
t_ok $? "conn show (R1): established, KeyID/RNext 1/2 out, 2/1 in" ||
	t_diag <"$T/out"
ao "$A" conn show detail
grep -qE '^    lisn [0-9]+ risn [0-9]+ keys-derived [1-9][0-9]* flags ' "$T/out"
t_ok $? "conn show detail: ISNs, traffic keys derived and flags"
ao "$B" -j conn show
py "len(d) == 1 and d[0]['local_address'] == '10.99.0.2' and d[0]['local_port'] == 179 and
    d[0]['remote_address'] == '10.99.0.1' and d[0]['state'] == 'established' and
    d[0]['keychain'] == 'new_auth_key' and d[0]['send_keyid'] == 2 and
    d[0]['recv_keyid'] == 1 and d[0]['send_rnext'] == 1 and d[0]['good'] > 0 and
    d[0]['signed'] > 0 and d[0]['bad'] == 0 and type(d[0]['lisn']) is int and
    type(d[0]['risn']) is int and d[0]['vrf'] == 'default' and snake(d)" "$T/out"
t_ok $? "conn show -j (R2): the mirror image"
ao "$A" -j keychain show new_auth_key detail
# The connection holds both keys (traffic keys for key 1 are ready for its
# start time): both count it, and neither key's IDs may change meanwhile.
py "d[0]['connections'] == 1 and d[0]['peers'] == 1 and
    [k['connections'] for k in sorted(d[0]['keys'], key=lambda k: k['id'])] == [1, 1]" "$T/out"
t_ok $? "keychain detail counts the connection and the peer policy"

# ---- stats ----
ao "$A" stats
missing=""
for c in good signed bad-mac key-not-found ao-required malformed icmp-dropped \
	without-ao-accepted key-expired key-not-yet-valid no-send-key no-option-space \
	no-state conn-limit md5-conflict tx-error connections connections-created bindings \
	rx-error keys-derived diag-options-covered diag-options-excluded \
	diag-ids-swapped diag-other-algorithm diag-key-not-yet-valid diag-key-expired \
	diag-unknown-key diag-runs diag-skipped; do
	grep -qE "^$c +[0-9]+$" "$T/out" || missing="$missing $c"
done
[ -z "$missing" ] && grep -qE '^good +[1-9]' "$T/out" && grep -qE '^connections +1$' "$T/out"
t_ok $? "stats: every counter by name; good > 0, one connection${missing:+ (missing:$missing)}"
ao "$A" -j stats
py "set(d) == {'good', 'signed', 'bad_mac', 'key_not_found', 'ao_required', 'malformed',
               'icmp_dropped', 'without_ao_accepted', 'key_expired', 'key_not_yet_valid',
               'no_send_key', 'no_option_space', 'no_state', 'conn_limit', 'md5_conflict',
               'tx_error', 'connections', 'connections_created', 'bindings',
               'rx_error', 'keys_derived', 'diag_options_covered',
               'diag_options_excluded', 'diag_ids_swapped', 'diag_other_algorithm',
               'diag_key_not_yet_valid', 'diag_key_expired', 'diag_unknown_key',
               'diag_runs', 'diag_skipped'} and
    all(type(v) is int for v in d.values()) and d['signed'] > 0" "$T/out"
t_ok $? "stats -j: snake_case keys, integers"
echo "done" >"$T/client"

# ---- monitor ----
spawn "$AOCTL" -n "$A" -j monitor >"$T/mon.json" 2>"$T/mon.err"
mon_j=$!
spawn "$AOCTL" -n "$A" monitor >"$T/mon.txt" 2>"$T/mon.err2"
mon_t=$!
sleep 1
ao "$A" keychain add mon key 7 secret-file "$T/secret" send-id 70 recv-id 71
ao "$A" keychain set mon key 7 recv-id 72
ao "$A" keychain set mon tolerance 30
ao "$A" peer add 203.0.113.7 keychain mon
ao "$A" peer del 203.0.113.7
ao "$A" keychain del mon key 7
ao "$A" keychain del mon
sleep 1
kill "$mon_j" "$mon_t" 2>/dev/null
wait "$mon_j" "$mon_t" 2>/dev/null
cat "$T/mon.json" "$T/mon.txt" >>"$LOG"
cat "$T/mon.json" "$T/mon.txt" >>"$T/all-output"
py "[e['event'] for e in d if e['event'] in ('key-new', 'key-set', 'key-del',
        'keychain-set', 'keychain-del', 'peer-new', 'peer-del')] ==
        ['key-new', 'key-set', 'keychain-set', 'peer-new', 'peer-del', 'key-del', 'keychain-del'] and
    [e for e in d if e['event'] == 'key-new'][0]['keychain'] == 'mon' and
    [e for e in d if e['event'] == 'key-new'][0]['id'] == 7 and
    [e for e in d if e['event'] == 'key-del'][0]['id'] == 7 and
    [e for e in d if e['event'] == 'keychain-del'][0]['keychain'] == 'mon' and
    [e for e in d if e['event'] == 'peer-new'][0]['prefix'] == '203.0.113.7/32' and
    [e for e in d if e['event'] == 'peer-new'][0]['keychain'] == 'mon' and
    snake(d)" "$T/mon.json" lines
t_ok $? "monitor -j: one JSON object per line, every configuration event" ||
	t_diag <"$T/mon.json"
# The header: notifications carry "the same attributes as a GET reply".
py "[e for e in d if e['event'] == 'key-new'][0].get('send_id') == 70 and
    [e for e in d if e['event'] == 'key-set'][0].get('recv_id') == 72 and
    [e for e in d if e['event'] == 'keychain-set'][0].get('tolerance') == 30" \
	"$T/mon.json" lines
t_ok $? "monitor -j: the notifications carry the new values (as a GET reply)"
# Each line starts with the time (RFC 3339, local time with its offset).
ts='[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}[+-][0-9]{2}:[0-9]{2}'
grep -qE "^$ts key-new mon key 7( |\$)" "$T/mon.txt" &&
	grep -qE "^$ts keychain-set mon tolerance 30" "$T/mon.txt" &&
	grep -qE "^$ts peer-new 203\.0\.113\.7/32 port any vrf default keychain mon" "$T/mon.txt" &&
	grep -qE "^$ts key-del mon key 7" "$T/mon.txt" && grep -qE "^$ts keychain-del mon" "$T/mon.txt" &&
	! grep -qvE "^$ts " "$T/mon.txt"
t_ok $? "monitor: one line per event, each with its time" ||
	t_diag <"$T/mon.txt"

# ---- limits ----
ao "$A" limits show
grep -qE '^keychains +[0-9]+$' "$T/out" && grep -qE '^peers +[0-9]+$' "$T/out" &&
	grep -qE '^conns +[0-9]+$' "$T/out" && grep -qE '^bindings +[0-9]+$' "$T/out"
t_ok $? "limits show"
ao "$A" -j limits show
cp "$T/out" "$T/limits.json"
py "set(d) == {'keychains', 'peers', 'conns', 'bindings'} and d['keychains'] == 1024 and
    d['peers'] == 65536 and d['conns'] == 65536 and d['bindings'] == 65536" "$T/out"
t_ok $? "limits show -j: the defaults"
must "limits set keychains (to what is in use)" "$A" limits set keychains 2
refused "$A" 1 '^aoctl: keychain add: .+$' "keychain add beyond the keychains limit" \
	keychain add third tolerance 1
refused "$A" 1 '^aoctl: limits set: .*Device or resource busy\)?$' "limits set below the use (EBUSY)" \
	limits set keychains 1
must "limits set: every limit" "$A" limits set keychains 1024 peers 65536 conns 65536 bindings 65536
ao "$A" -j limits show
cmp -s "$T/out" "$T/limits.json"
t_ok $? "  back to the defaults"

# ---- rejections: message, exit code, state unchanged ----
K=(keychain add new_auth_key)
refused "$A" 2 '^aoctl: keychain add: key ID 64 is out of range \(0-63\)$' "key ID 64" \
	"${K[@]}" key 64 secret-file "$T/secret" send-id 50 recv-id 50
refused "$A" 2 '^aoctl: keychain add: send-id 256 is out of range \(0-255\)$' "send-id 256" \
	"${K[@]}" key 5 secret-file "$T/secret" send-id 256 recv-id 50
refused "$A" 1 '^aoctl: keychain add: .+ \((File exists|Invalid argument|Device or resource busy)\)$' \
	"send-id already used in the keychain (kernel)" \
	"${K[@]}" key 5 secret-file "$T/secret" send-id 1 recv-id 50
refused "$A" 1 '^aoctl: keychain add: .+ \((File exists|Invalid argument|Device or resource busy)\)$' \
	"recv-id already used in the keychain (kernel)" \
	"${K[@]}" key 5 secret-file "$T/secret" send-id 50 recv-id 2
refused "$A" 1 '^aoctl: keychain add: .+ \(File exists\)$' "key ID already in the keychain (kernel)" \
	"${K[@]}" key 0 secret-file "$T/secret" send-id 50 recv-id 50
refused "$A" 2 '^aoctl: keychain add: secret is empty$' "empty secret" \
	"${K[@]}" key 5 secret '' send-id 50 recv-id 50
: >"$T/empty"
refused "$A" 2 "^aoctl: keychain add: the secret in $T/empty is empty\$" "empty secret-file" \
	"${K[@]}" key 5 secret-file "$T/empty" send-id 50 recv-id 50
S81=$(rnd 41 | cut -c1-81)
refused "$A" 2 '^aoctl: keychain add: secret is 81 bytes long; the maximum is 80$' "81-byte secret" \
	"${K[@]}" key 5 secret "$S81" send-id 50 recv-id 50
printf '%s' "$S81" >"$T/s81"
refused "$A" 2 "^aoctl: keychain add: the secret in $T/s81 is longer than 80 bytes\$" "81-byte secret-file" \
	"${K[@]}" key 5 secret-file "$T/s81" send-id 50 recv-id 50
refused "$A" 2 "^aoctl: keychain add: unknown cryptographic-algorithm 'hmac-sha-256' \\(hmac-sha-1-96 or aes-128-cmac-96\\)\$" \
	"unknown algorithm" "${K[@]}" key 5 secret-file "$T/secret" send-id 50 recv-id 50 \
	cryptographic-algorithm hmac-sha-256
refused "$A" 2 "^aoctl: keychain add: invalid start-time '2024-02-30.12:00': day 30 is out of range \\(2024-02 has 29 days\\)\$" \
	"bad start-time (February 30th)" "${K[@]}" key 5 secret-file "$T/secret" send-id 50 recv-id 50 \
	start-time 2024-02-30.12:00
refused "$A" 2 "^aoctl: keychain add: invalid start-time '2025-01-01.25:00': hour 25 is out of range \\(0-23\\)\$" \
	"bad start-time (25:00)" "${K[@]}" key 5 secret-file "$T/secret" send-id 50 recv-id 50 \
	start-time 2025-01-01.25:00
refused "$A" 1 '^aoctl: keychain del: .+ \(Device or resource busy\)$' "deleting a keychain a peer uses (EBUSY)" \
	keychain del new_auth_key
refused "$A" 1 '^aoctl: peer add: .+ \(No such file or directory\)$' "peer add with an unknown keychain" \
	peer add 192.0.2.99 keychain no-such-keychain
refused "$A" 1 '^aoctl: keychain set: .+ \(No such file or directory\)$' "keychain set of an unknown key" \
	keychain set new_auth_key key 9 send-id 90
refused "$A" 2 "^aoctl: peer add: invalid prefix '10.99.0.1/24': host bits are set \\(the prefix is 10.99.0.0/24\\)\$" \
	"prefix with host bits" peer add 10.99.0.1/24 keychain new_auth_key

# Not root: EPERM from the kernel, for the show commands too.
cp "$AOCTL" "$T/aoctl-nobody"
chmod 755 "$T/aoctl-nobody"
NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups --)
snapshot - >"$T/before"
"${NOBODY[@]}" "$T/aoctl-nobody" keychain add aocli-init key 1 secret-hex 0011 send-id 1 recv-id 1 \
	>"$T/out" 2>"$T/err"
rc=$?
grep -v '^aoctl: warning:' "$T/err" >"$T/err1"
[ $rc -eq 1 ] && [ "$(wc -l <"$T/err1")" -eq 1 ] &&
	grep -qE '^aoctl: keychain add: (.+ \()?Operation not permitted\)?$' "$T/err1"
t_ok $? "refused (1): not CAP_NET_ADMIN (EPERM)" ||
	t_diag <"$T/err"
grep -q '^aoctl: keychain add: permission denied: .*CAP_NET_ADMIN' "$T/err1"
t_ok $? "  the message says what is missing" || t_diag <"$T/err"
snapshot - >"$T/after"
cmp -s "$T/before" "$T/after"
t_ok $? "  state unchanged"
"${NOBODY[@]}" "$T/aoctl-nobody" -j keychain show >"$T/out" 2>"$T/err"
[ $? -eq 1 ] && ! grep -q '"name"' "$T/out" &&
	grep -q '^aoctl: keychain show: permission denied: .*CAP_NET_ADMIN' "$T/err"
t_ok $? "  keychain show: refused too (reads need CAP_NET_ADMIN)" || t_diag <"$T/err"
"${NOBODY[@]}" "$T/aoctl-nobody" flush >"$T/out" 2>"$T/err"
[ $? -eq 1 ] && grep -q 'Operation not permitted' "$T/err"
t_ok $? "  flush: EPERM too"

# The kernel checks what aoctl checks: raw requests, aoctl bypassed.
snapshot "$A" >"$T/before"
st=0
for args in "key_new new_auth_key 64 50 50 $(hex x) 1:key ID 64" \
	"key_new new_auth_key 5 256 50 $(hex x) 1:send-id 256" \
	"key_new new_auth_key 5 50 300 $(hex x) 1:recv-id 300" \
	"key_new new_auth_key 5 50 50 - 1:empty secret" \
	"key_new new_auth_key 5 50 50 $(hex "$S81") 1:81-byte secret" \
	"key_new new_auth_key 5 50 50 $(hex x) 3:algorithm 3" \
	"key_new new_auth_key 5 1 50 $(hex x) 1:duplicate send-id" \
	"tolerance new_auth_key 1000000000:tolerance 10^9"; do
	what=${args#*:}
	# shellcheck disable=SC2086	# the words are the arguments
	raw "$A" ${args%%:*}
	if [ $rc -eq 0 ] || ! grep -q '^errno [1-9]' "$T/raw"; then
		st=1
		{ echo "not refused by the kernel: $what"; cat "$T/raw"; } | t_diag
	fi
done
snapshot "$A" >"$T/after"
cmp -s "$T/before" "$T/after" || st=1
t_ok $st "the kernel refuses out-of-range values itself; state unchanged"

# ---- namespace isolation ----
must "keychain only in R1" "$A" keychain add only-in-r1 tolerance 5
ao "$B" -j keychain show
py "'only-in-r1' not in [k['name'] for k in d]" "$T/out"
t_ok $? "not in R2's keychain show"
ao "$B" keychain show only-in-r1
[ $rc -eq 1 ] && grep -qE '^aoctl: keychain show: .*No such file or directory\)?$' "$T/err"
t_ok $? "keychain show NAME in R2: not found"
ao "$B" keychain del only-in-r1
[ $rc -eq 1 ] && grep -qE '^aoctl: keychain del: .*No such file or directory\)?$' "$T/err"
t_ok $? "keychain del NAME in R2: not found"
ao - -j keychain show
py "'only-in-r1' not in [k['name'] for k in d] and 'cli' not in [k['name'] for k in d]" "$T/out"
t_ok $? "not in the initial namespace either"
ao "$B" -j peer show
py "all(p['prefix'] != 'fd00:99::/64' for p in d)" "$T/out"
t_ok $? "R1's peer policies are not in R2"
ao "$A" -j keychain show only-in-r1
py "len(d) == 1" "$T/out"
t_ok $? "R1 still has it"

# ---- help, version ----
ao - -V
grep -qE '^aoctl version ' "$T/out"
t_ok $? "-V"
ao - help
[ $rc -eq 0 ] && grep -q '^Usage: aoctl' "$T/out"
t_ok $? "help"

# ---- secrets nowhere ----
{
	for s in "$S_STR" "$S_FILE" "$S_STDIN"; do
		echo "$s"
		hex "$s"
		hex "$s" | sed 's/../& /g; s/ $//'
		hex "$s" | tr a-f A-F
	done
	echo "$S_HEX"
	echo "$S_HEX" | tr a-f A-F
	echo "$S_HEX" | sed 's/../& /g; s/ $//'
} >"$T/patterns"
ao "$A" keychain show detail
ao "$A" -j keychain show detail
ao "$A" -p keychain show cli detail
ao "$A" -j conn show
! grep -qF -f "$T/patterns" "$T/all-output"
t_ok $? "no secret in any output of this run (text, JSON, monitor, errors)"
raw "$A" dump-has "$(hex "$S_STR")" "$(hex "$S_FILE")" "$S_HEX"
t_ok $? "no secret in the bytes of a raw detailed keychain dump" ||
	t_diag <"$T/raw"
dmesg 2>/dev/null | grep -qF -f "$T/patterns"
t_ok $((!$?)) "no secret in dmesg"
# /proc and /sys: files that are read quickly and never block (no kmsg,
# kcore, mem, pagemap); the patterns come from a file, so grep does not
# find them in its own command line.
hits=$({
	timeout 120 grep -rlsF -D skip -f "$T/patterns" /proc/sys /proc/net/ /sys/module/tcpao
	for p in /proc/[0-9]*; do
		timeout 5 grep -lsF -f "$T/patterns" "$p/cmdline" "$p/environ" "$p/comm" 2>/dev/null
	done
	[ -d /sys/kernel/debug/tcpao ] &&
		timeout 60 grep -rlsF -D skip -f "$T/patterns" /sys/kernel/debug/tcpao
	ip netns exec "$A" timeout 60 grep -rlsF -D skip -f "$T/patterns" /proc/net/
} 2>/dev/null)
[ -z "$hits" ]
t_ok $? "no secret in /proc (sys, net, every process's cmdline and environ) or /sys"
[ -z "$hits" ] || echo "$hits" | t_diag

# ---- flush ----
must "flush" "$A" flush
ao "$A" -j keychain show
py "d == []" "$T/out"
t_ok $? "  no keychains left"
ao "$A" -j peer show
py "d == []" "$T/out"
t_ok $? "  no peer policies left"
ao "$A" keychain show
[ $rc -eq 0 ] && [ ! -s "$T/out" ]
t_ok $? "  keychain show prints nothing"
ao "$B" -j keychain show
py "[k['name'] for k in d] == ['new_auth_key']" "$T/out"
t_ok $? "  R2 untouched"

diag "log: $LOG"
done_testing
