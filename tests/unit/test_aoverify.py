#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Self-test of the capture verifier, tests/tools/aoverify.py.  TAP.

It must be right before a scenario may trust it, so:
- the RFC 9235 vectors, all 32 (IPv4 and IPv6, both algorithms, options
  covered and excluded; a 10-byte master key, so AES-128-CMAC's key
  normalisation is in play): the traffic keys it derives equal the
  published ones, and pcaps of the four segments of each connection
  (SYN, SYN-ACK, one data segment each way) verify with ISNs learnt
  from the handshake;
- corrupted captures fail, each with its reason: one MAC bit flipped, one
  payload byte flipped, a wrong secret, the other algorithm, the other
  option flag, a wrong ISN (a SYN-ACK's sequence number, or --isn), a
  segment without TCP-AO, a truncated packet, a KeyID not allowed;
- what the vectors do not show, on connections this test signs with the
  primitives the vectors just proved: the SNE across a 2^32 wrap in both
  directions with a retransmission from before the wrap, SACK and
  timestamp options covered and excluded, a new connection on the same
  ports, an RST refusing a SYN, a capture that starts mid-connection
  (strict fails, --midstream tolerates, --isn verifies).

The vectors come from $TCPAO_VECTORS or shared/vectors/rfc9235.json beside
the repository (as scripts/gen-vectors.py finds them).
"""
import contextlib
import hmac
import io
import json
import os
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
TOOL = os.path.join(REPO, 'tests', 'tools', 'aoverify.py')
sys.path.insert(0, os.path.dirname(TOOL))
import aoverify  # noqa: E402

n = 0
failed = 0


def ok(cond, desc, diag=None):
    global n, failed
    n += 1
    if cond:
        print('ok %d - %s' % (n, desc))
    else:
        failed += 1
        print('not ok %d - %s' % (n, desc))
        if diag:
            for line in str(diag).splitlines():
                print('#   ' + line)


def find_vectors():
    cands = [os.environ.get('TCPAO_VECTORS', ''),
             os.path.join(REPO, '..', 'shared', 'vectors', 'rfc9235.json')]
    try:
        common = subprocess.run(['git', '-C', REPO, 'rev-parse', '--git-common-dir'],
                                capture_output=True, text=True).stdout.strip()
        if common:
            main = os.path.dirname(os.path.abspath(os.path.join(REPO, common)))
            cands.append(os.path.join(main, '..', 'shared', 'vectors', 'rfc9235.json'))
    except OSError:
        pass
    for c in cands:
        if c and os.path.isfile(c):
            return c
    return None


# ---- pcap writing ----------------------------------------------------------
def pcap(packets, linktype=1):
    """A pcap file (bytes) of IP packets, framed for LINKTYPE."""
    out = [struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, linktype)]
    for i, ip in enumerate(packets):
        if linktype == 1:
            et = b'\x86\xdd' if ip[0] >> 4 == 6 else b'\x08\x00'
            frame = b'\x02' * 6 + b'\x04' * 6 + et + ip
        elif linktype == 276:  # Linux cooked v2
            et = b'\x86\xdd' if ip[0] >> 4 == 6 else b'\x08\x00'
            frame = et + b'\x00' * 18 + ip
        else:
            frame = ip
        out.append(struct.pack('<IIII', 1000 + i, 0, len(frame), len(frame)) + frame)
    return b''.join(out)


def run(packets, args, linktype=1):
    """aoverify's main() on a pcap of PACKETS: (exit status, output)."""
    with tempfile.NamedTemporaryFile(suffix='.pcap') as f:
        f.write(pcap(packets, linktype))
        f.flush()
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf), contextlib.redirect_stderr(buf):
            rc = aoverify.main(args + [f.name])
    return rc, buf.getvalue()


# ---- the RFC 9235 vectors ---------------------------------------------------
def ao_offset(ip):
    """Offset of the TCP-AO option in an IP packet."""
    l3 = 40 if ip[0] >> 4 == 6 else (ip[0] & 15) * 4
    doff = (ip[l3 + 12] >> 4) * 4
    i = l3 + 20
    while i < l3 + doff:
        if ip[i] == 1:
            i += 1
            continue
        if ip[i] == 29:
            return i
        i += ip[i + 1]
    raise ValueError('no TCP-AO option')


def test_vectors(path):
    with open(path) as f:
        doc = json.load(f)
    secret = doc['mkt']
    groups = {}
    for v in doc['vectors']:
        groups.setdefault(v['section'].rsplit('.', 1)[0], []).append(v)
    ok(len(doc['vectors']) == 32 and len(groups) == 8,
       'RFC 9235: 32 vectors, 8 connections')
    for sec, vs in sorted(groups.items()):
        v0 = vs[0]
        alg = aoverify.ALGORITHMS[v0['algorithm']]
        opt = 'enabled' if v0['covers_options'] else 'disabled'
        what = 'RFC 9235 %s (IPv%d %s, options %s)' % (
            sec, v0['ip_version'], alg.name, 'covered' if v0['covers_options'] else 'excluded')
        cisn, sisn = int(v0['client_isn'], 16), int(v0['server_isn'], 16)
        # The traffic keys: the context of each role, derived here.
        bad = []
        for v in vs:
            ip = bytes.fromhex(v['packet'])
            l3 = 40 if ip[0] >> 4 == 6 else 20
            a = 16 if l3 == 40 else 4
            src, dst = (ip[8:24], ip[24:40]) if l3 == 40 else (ip[12:16], ip[16:20])
            sp, dp = struct.unpack_from('!HH', ip, l3)
            own, peer = (cisn, sisn) if v['role'] in ('send_syn', 'send_other') else (sisn, cisn)
            if v['role'] == 'send_syn':
                peer = 0
            ctx = src + dst + struct.pack('!HHII', sp, dp, own, peer)
            tk = alg.kdf(secret.encode(), ctx)
            if tk.hex() != v['traffic_key'] or len(src) != a:
                bad.append('%s %s: traffic key %s, RFC %s' % (
                    v['section'], v['role'], tk.hex(), v['traffic_key']))
        ok(not bad, what + ': the 4 traffic keys', '\n'.join(bad))
        key = ['--key', 'send-id %d recv-id %d secret %s cryptographic-algorithm %s '
               'tcp-ao-option %s' % (doc['client_keyid'], doc['server_keyid'], secret,
                                     alg.name, opt)]
        pkts = [bytes.fromhex(v['packet']) for v in vs]
        lt = 1 if v0['ip_version'] == 4 else 101
        rc, out = run(pkts, key, lt)
        ok(rc == 0 and 'keyid 61: 2, keyid 84: 2' in out,
           what + ': the 4 segments verify, ISNs from the handshake', out)
        # The other side's point of view: the same MKT with IDs swapped.
        rkey = ['--key', key[1].replace('send-id 61 recv-id 84', 'send-id 84 recv-id 61')]
        rc, out = run(pkts, rkey, lt)
        ok(rc == 0, what + ': the same from the server\'s point of view', out)
        yield sec, vs, pkts, key, lt


def flip(pkt, off, bit=1):
    b = bytearray(pkt)
    b[off] ^= bit
    return bytes(b)


def test_corruption(sec, vs, pkts, key, lt):
    what = 'RFC 9235 %s corrupted: ' % sec
    roles = [v['role'] for v in vs]
    data_i = roles.index('send_other')

    def fails(pk, args, desc, expect):
        rc, out = run(pk, args, lt)
        ok(rc == 1 and expect in out, what + desc, out)

    for i in range(4):
        o = ao_offset(pkts[i]) + 4
        pk = list(pkts)
        pk[i] = flip(pk[i], o + 5, 0x10)
        fails(pk, key, 'MAC bit flipped in the %s' % roles[i], 'bad MAC')
    pk = list(pkts)
    pk[data_i] = flip(pk[data_i], len(pk[data_i]) - 3, 0x01)
    fails(pk, key, 'one payload byte flipped', 'bad MAC')
    fails(pkts, [key[0], key[1].replace('secret testvector', 'secret testvectoR')],
          'a wrong secret', 'bad MAC')
    other_alg = 'aes-128-cmac-96' if 'hmac' in key[1] else 'hmac-sha-1-96'
    fails(pkts, [key[0], key[1].replace(vs[0]['algorithm'], other_alg)],
          'the other algorithm', 'bad MAC')
    other_opt = 'disabled' if 'enabled' in key[1] else 'enabled'
    fails(pkts, [key[0], key[1].replace('option enabled', 'option ' + other_opt)
                 .replace('option disabled', 'option ' + other_opt)],
          'the other TCP option flag', 'bad MAC')
    # A wrong ISN: the SYN-ACK's sequence number moved by one.
    synack = roles.index('synack')
    l3 = 40 if pkts[0][0] >> 4 == 6 else 20
    pk = list(pkts)
    pk[synack] = flip(pk[synack], l3 + 7, 0x01)
    rc, out = run(pk, key, lt)
    ok(rc == 1 and out.count('bad MAC') >= 3,
       what + 'the server ISN changed: the SYN-ACK and all later segments fail', out)
    # A segment without TCP-AO: the option overwritten with NOPs.
    pk = list(pkts)
    o = ao_offset(pk[data_i])
    b = bytearray(pk[data_i])
    b[o:o + 16] = b'\x01' * 16
    pk[data_i] = bytes(b)
    fails(pk, key, 'a segment without TCP-AO', 'no TCP-AO option')
    rc, out = run(pk, key + ['--unsigned-ok', '179'], lt)
    ok(rc == 0 and 'unsigned 1' in out,
       what + '... which --unsigned-ok on the port allows', out)
    # Not the KeyIDs allowed.
    fails(pkts, key + ['--keyids', '61'], 'KeyID 84 not allowed', 'KeyID not among 61')
    # Truncated (a snap length): cannot be verified.
    pk = list(pkts)
    pk[data_i] = pk[data_i][:-10]
    fails(pk, key, 'a packet cut short', 'snap length')


def test_midstream(sec, vs, pkts, key, lt):
    what = 'RFC 9235 %s without the handshake: ' % sec
    rest = pkts[2:]
    rc, out = run(rest, key, lt)
    ok(rc == 1 and 'ISN is unknown' in out, what + 'strict mode fails', out)
    rc, out = run(rest, key + ['--midstream'], lt)
    ok(rc == 0 and 'unverifiable 2' in out, what + '--midstream tolerates', out)
    v6 = vs[0]['ip_version'] == 6
    c, s = ('fd00::1', 'fd00::2') if v6 else ('10.11.12.13', '172.27.28.29')
    l3 = 40 if v6 else 20
    cport = struct.unpack_from('!H', pkts[0], l3)[0]
    cisn, sisn = int(vs[0]['client_isn'], 16), int(vs[0]['server_isn'], 16)
    hints = ['--isn', '%s,%d,%d' % (c, cport, cisn), '--isn', '%s,179,%d' % (s, sisn)]
    rc, out = run(rest, key + hints, lt)
    ok(rc == 0 and 'keyid 61: 1, keyid 84: 1' in out, what + '--isn with the ISNs verifies', out)
    hints[3] = '%s,179,%d' % (s, sisn + 1)
    rc, out = run(rest, key + hints, lt)
    ok(rc == 1 and out.count('bad MAC') == 2, what + '--isn with a wrong ISN fails', out)


# ---- connections signed here -------------------------------------------------
# Signed with Python's hmac and python3-cryptography's CMAC directly (the
# RFC 5926 KDFs are a line each), not with the verifier's code; what is
# built here (message, SNE, ISN choice) is written independently of it.
def lib_cmac(key, msg):
    from cryptography.hazmat.primitives.ciphers import algorithms
    from cryptography.hazmat.primitives.cmac import CMAC
    c = CMAC(algorithms.AES(key))
    c.update(bytes(msg))
    return c.finalize()


def lib_kdf(alg, secret, ctx):
    if alg is aoverify.HmacSha1:
        return hmac.new(secret, b'\x01TCP-AO' + ctx + b'\x00\xa0', 'sha1').digest()
    if len(secret) != 16:
        secret = lib_cmac(bytes(16), secret)
    return lib_cmac(secret, b'\x01TCP-AO' + ctx + b'\x00\x80')


def lib_mac(alg, key, msg):
    if alg is aoverify.HmacSha1:
        return hmac.new(key, msg, 'sha1').digest()[:12]
    return lib_cmac(key, msg)[:12]


def test_cmac():
    """The verifier's chained AES-CMAC against the library's, over every
    length from 0 to 80 and segment-sized messages, keys interleaved."""
    keys = [os.urandom(16) for _ in range(2)]
    macs = [aoverify.Cmac(k) for k in keys]
    bad = []
    for ln in list(range(81)) + [1447, 1448, 1460, 8948]:
        for k, m in zip(keys, macs):
            msg = os.urandom(ln)
            if m.mac(msg) != lib_cmac(k, msg):
                bad.append(ln)
    ok(not bad, 'AES-CMAC: the verifier\'s equals the library\'s (lengths 0-80, '
       '1447-8948)', 'differs at lengths %s' % bad)
def csum16(b):
    if len(b) % 2:
        b += b'\0'
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


class Signer:
    def __init__(self, secret, alg, options, v6=False):
        self.secret, self.alg, self.options, self.v6 = secret, alg, options, v6

    def packet(self, src, dst, sport, dport, seq, ack, flags, keyid, rnext,
               isns, sne, data=b'', opts=b'', good=True):
        """An IP packet with a TCP-AO option signed with the traffic key
        of context (src, dst, ports, ISNS) and SNE."""
        ao = bytes([29, 16, keyid, rnext]) + bytes(12)
        options = opts + ao
        while len(options) % 4:
            options = b'\x01' + options
        doff = 20 + len(options)
        hdr = struct.pack('!HHIIBBHHH', sport, dport, seq, ack, (doff // 4) << 4,
                          flags, 65535, 0, 0)
        tcplen = doff + len(data)
        if self.v6:
            pseudo = src + dst + struct.pack('!I3xB', tcplen, 6)
        else:
            pseudo = src + dst + struct.pack('!xBH', 6, tcplen)
        ao_at = len(options) - 16
        covered = hdr + (options if self.options else options[ao_at:])
        msg = struct.pack('!I', sne) + pseudo + covered + data
        tk = lib_kdf(self.alg, self.secret, src + dst + struct.pack('!HHII', sport, dport, *isns))
        mac = lib_mac(self.alg, tk, msg)
        if not good:
            mac = bytes([mac[0] ^ 0x80]) + mac[1:]
        options = options[:ao_at + 4] + mac
        seg = bytearray(hdr + options + data)
        struct.pack_into('!H', seg, 16, csum16(pseudo + bytes(seg)))
        if self.v6:
            return struct.pack('!IHBB', 6 << 28, len(seg), 6, 64) + src + dst + bytes(seg)
        iph = bytearray(struct.pack('!BBHHHBBH', 0x45, 0, 20 + len(seg), 1, 0x4000,
                                    64, 6, 0) + src + dst)
        struct.pack_into('!H', iph, 10, csum16(bytes(iph)))
        return bytes(iph) + bytes(seg)


SYN, ACK, PSH, RST, FIN = 2, 16, 8, 4, 1
TS = b'\x01\x01\x08\x0a' + struct.pack('!II', 1234, 5678)


def sack(a, b):
    return b'\x01\x01\x05\x0a' + struct.pack('!II', a, b)


def conversation(signer, a, b, pa, pb, isn_a, isn_b, sne_ok=True, chunk=1000, count=6):
    """A handshake, then COUNT chunks each way with timestamps, a SACK, a
    retransmission of the first chunk after the others, a FIN each way.
    SNEs are computed here from 64-bit sequence numbers."""
    pk = []
    ka, kb = 11, 22

    def sne_of(isn, off):
        v = (isn + off) >> 32
        return v if sne_ok else 0

    # SYN: own ISN, 0 for the peer; SNE 0.
    pk.append(signer.packet(a, b, pa, pb, isn_a, 0, SYN, ka, kb, (isn_a, 0), 0, opts=TS))
    pk.append(signer.packet(b, a, pb, pa, isn_b, (isn_a + 1) & 0xffffffff, SYN | ACK,
                            kb, ka, (isn_b, isn_a), 0, opts=TS))
    off_a = off_b = 1
    pk.append(signer.packet(a, b, pa, pb, (isn_a + 1) & 0xffffffff, (isn_b + 1) & 0xffffffff,
                            ACK, ka, kb, (isn_a, isn_b), sne_of(isn_a, 1), opts=TS))
    first = None
    for i in range(count):
        da, db = bytes([i]) * chunk, bytes([255 - i]) * chunk
        seg = signer.packet(a, b, pa, pb, (isn_a + off_a) & 0xffffffff,
                            (isn_b + off_b) & 0xffffffff, ACK | PSH, ka, kb,
                            (isn_a, isn_b), sne_of(isn_a, off_a), da, TS)
        if first is None:
            first = (off_a, da)
        pk.append(seg)
        off_a += chunk
        # B acknowledges with a SACK block (options covered or not).
        pk.append(signer.packet(b, a, pb, pa, (isn_b + off_b) & 0xffffffff,
                                (isn_a + off_a) & 0xffffffff, ACK, kb, ka, (isn_b, isn_a),
                                sne_of(isn_b, off_b), b'',
                                sack((isn_a + 1) & 0xffffffff, (isn_a + off_a) & 0xffffffff)))
        pk.append(signer.packet(b, a, pb, pa, (isn_b + off_b) & 0xffffffff,
                                (isn_a + off_a) & 0xffffffff, ACK | PSH, kb, ka,
                                (isn_b, isn_a), sne_of(isn_b, off_b), db, TS))
        off_b += chunk
    # The first chunk again, after the wrap: its SNE is the old one.
    off, da = first
    pk.append(signer.packet(a, b, pa, pb, (isn_a + off) & 0xffffffff,
                            (isn_b + off_b) & 0xffffffff, ACK | PSH, ka, kb,
                            (isn_a, isn_b), sne_of(isn_a, off), da, TS))
    pk.append(signer.packet(a, b, pa, pb, (isn_a + off_a) & 0xffffffff,
                            (isn_b + off_b) & 0xffffffff, ACK | FIN, ka, kb,
                            (isn_a, isn_b), sne_of(isn_a, off_a)))
    pk.append(signer.packet(b, a, pb, pa, (isn_b + off_b) & 0xffffffff,
                            (isn_a + off_a + 1) & 0xffffffff, ACK | FIN, kb, ka,
                            (isn_b, isn_a), sne_of(isn_b, off_b)))
    return pk


def test_signed():
    import ipaddress
    for v6 in (False, True):
        for alg in (aoverify.HmacSha1, aoverify.AesCmac):
            for options in (True, False):
                fam = 'IPv6' if v6 else 'IPv4'
                what = '%s %s options %s' % (fam, alg.name, 'covered' if options else 'excluded')
                secret = b'a secret of twenty b'  # 20 bytes: CMAC normalises it
                s = Signer(secret, alg, options, v6)
                a = ipaddress.ip_address('2001:db8::1' if v6 else '192.0.2.1').packed
                b = ipaddress.ip_address('2001:db8::2' if v6 else '192.0.2.2').packed
                key = ['--key', "send-id 11 recv-id 22 secret '%s' cryptographic-algorithm %s "
                       "tcp-ao-option %s" % (secret.decode(), alg.name,
                                             'enabled' if options else 'disabled')]
                # A wraps 2500 bytes into its data, B 4500 bytes into its.
                ia, ib = 0xffffffff - 2500, 0xffffffff - 4500
                pk = conversation(s, a, b, 40000, 179, ia, ib)
                lt = 276 if v6 else 1
                rc, out = run(pk, key, lt)
                ok(rc == 0 and 'FAIL' not in out and ': 24 verified' in out,
                   '%s: SNE 0 -> 1 both ways, a retransmission from before the wrap, '
                   'SACK and timestamps' % what, out)
                rc, out = run(conversation(s, a, b, 40000, 179, ia, ib, sne_ok=False), key, lt)
                ok(rc == 1 and out.count('bad MAC') >= 6 and 'SNE 1' in out,
                   '%s: the same signed with SNE 0 after the wrap fails' % what, out)
    s = Signer(b'tcpao test secret', aoverify.HmacSha1, False)
    a, b = bytes([192, 0, 2, 1]), bytes([192, 0, 2, 2])
    key = ['--key', "send-id 11 recv-id 22 secret 'tcpao test secret'"]
    # A new connection on the same ports (another ISN) after the first.
    pk = conversation(s, a, b, 40001, 179, 1000, 2000, count=2)
    pk += conversation(s, a, b, 40001, 179, 900000, 5000, count=2)
    rc, out = run(pk, key)
    ok(rc == 0 and '(2 connections)' in out,
       'a new connection on the same ports: new ISNs, SNE from 0', out)
    # An RST refusing a SYN: seq 0, ACK of the SYN, signed by the
    # refuser with 0 as its ISN and the SYN's ISN as the peer's.
    isn = 0x7a5b3c1d
    syn = s.packet(a, b, 40002, 180, isn, 0, SYN, 11, 22, (isn, 0), 0)
    rst = s.packet(b, a, 180, 40002, 0, isn + 1, RST | ACK, 22, 11, (0, isn), 0)
    rc, out = run([syn, rst], key)
    ok(rc == 0 and 'keyid 11: 1, keyid 22: 1' in out,
       'an RST refusing a SYN: context ISNs 0 (refuser) and the SYN\'s', out)
    for isns, why in (((isn, 0), 'the SYN\'s own key'), ((0, 0), 'both ISNs 0'),
                      ((isn + 1, 0), 'the ACK number as the refuser\'s ISN')):
        bad = s.packet(b, a, 180, 40002, 0, isn + 1, RST | ACK, 22, 11, isns, 0)
        rc, out = run([syn, bad], key)
        ok(rc == 1 and 'bad MAC' in out, 'an RST refusing a SYN signed with %s fails' % why, out)
    # A segment whose own MAC is bad among good ones: exactly one failure,
    # and the SNE reference is not moved by it.
    pk = conversation(s, a, b, 40003, 179, 0xfffff000, 10, count=6)
    i = len(pk) // 2
    b_ = bytearray(pk[i])
    b_[ao_offset(pk[i]) + 6] ^= 1
    pk[i] = bytes(b_)
    rc, out = run(pk, key)
    ok(rc == 1 and out.count('FAIL frame') == 1 and 'FAIL frame %d:' % (i + 1) in out,
       'one bad segment among good ones: one failure, with its frame number', out)


def test_cli():
    """The command line: exit status 2 on bad usage, --keys (aoctl batch)."""
    r = subprocess.run([sys.executable, TOOL], capture_output=True, text=True)
    ok(r.returncode == 2 and 'usage' in r.stderr, 'no arguments: usage, exit 2', r.stderr)
    with tempfile.TemporaryDirectory() as d:
        s = Signer(b'tcpao seed key 0', aoverify.HmacSha1, False)
        a, b = bytes([192, 0, 2, 1]), bytes([192, 0, 2, 2])
        pk = conversation(s, a, b, 40000, 179, 77, 99, count=2)
        path = os.path.join(d, 'c.pcap')
        with open(path, 'wb') as f:
            f.write(pcap(pk))
        batch = os.path.join(d, 'keys.batch')
        with open(batch, 'w') as f:
            f.write('# a comment\nkeychain add kc key 0 secret "tcpao seed key 0" \\\n'
                    '    send-id 11 recv-id 22 start-time "2020-01-01.00:00:00 +0000" \\\n'
                    '    cryptographic-algorithm hmac-sha-1-96 tcp-ao-option disabled\n'
                    'peer add 192.0.2.2/32 keychain kc port 179\n')
        stats = os.path.join(d, 'stats')
        r = subprocess.run([sys.executable, TOOL, '--keys', batch, '--stats', stats,
                            '--keyids', '11,22', path], capture_output=True, text=True)
        ok(r.returncode == 0 and r.stdout.startswith('  192.0.2.1:40000-192.0.2.2:179')
           and r.stdout.splitlines()[-1].startswith('OK '),
           '--keys reads an aoctl batch file; exit 0', r.stdout + r.stderr)
        with open(stats) as f:
            st = f.read().split()
        ok(st[:3] == [str(len(pk)), str(len(pk)), '0'] and st[4] == '2',
           '--stats writes pcapao.py\'s line (%s)' % ' '.join(st))
        with open(batch, 'a') as f:
            f.write('keychain set kc key 0 secret-hex 0x00112233\n')
        r = subprocess.run([sys.executable, TOOL, '--keys', batch, path],
                           capture_output=True, text=True)
        ok(r.returncode == 0, '"keychain set" adds a version, the old one still verifies',
           r.stdout + r.stderr)
        sec = os.path.join(d, 'secret')
        with open(sec, 'w') as f:
            f.write('wrong secret\n')
        r = subprocess.run([sys.executable, TOOL, '--key', 'send-id 11 recv-id 22 '
                            'secret-file ' + sec, path], capture_output=True, text=True)
        ok(r.returncode == 1 and r.stdout.splitlines()[-1].startswith('FAILED ')
           and 'bad MAC' in r.stdout, 'a wrong secret-file: exit 1, FAILED', r.stdout)


def main():
    print('# aoverify self-test (%s)' % TOOL)
    path = find_vectors()
    ok(path is not None, 'RFC 9235 vectors found (TCPAO_VECTORS, ../shared/vectors)')
    if path:
        for sec, vs, pkts, key, lt in list(test_vectors(path)):
            test_corruption(sec, vs, pkts, key, lt)
            test_midstream(sec, vs, pkts, key, lt)
    test_cmac()
    test_signed()
    test_cli()
    print('1..%d' % n)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
