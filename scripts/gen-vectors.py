#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Generate src/rfc9235_vectors.h, the known-answer tables of tcpao.

    scripts/gen-vectors.py [JSON] [-o OUT] [--check]

JSON defaults to ../shared/vectors/rfc9235.json relative to the repository,
OUT to src/rfc9235_vectors.h.  With --check nothing is written: the exit
status is 1 when OUT differs from what would be generated (stale header).

Before writing anything the script recomputes every traffic key and MAC of
the RFC 9235 vectors with an implementation independent of the kernel's
(Python's hmac/hashlib for HMAC-SHA-1, the openssl command for AES-CMAC), so
a header it emits is known to agree with RFC 5925/5926 as we read them.  The
extra KDF vectors (master keys of other lengths, CMAC key normalisation)
have no published answers: their expected values are computed the same way,
e.g. the normalised 10-byte key is

    printf testvector | openssl mac -cipher AES-128-CBC \\
        -macopt hexkey:00000000000000000000000000000000 CMAC
"""

import argparse
import hashlib
import hmac
import json
import os
import struct
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_JSON = os.path.join(REPO, '..', 'shared', 'vectors', 'rfc9235.json')
DEFAULT_OUT = os.path.join(REPO, 'src', 'rfc9235_vectors.h')

ALGS = {
    'hmac-sha-1-96': 'TCPAO_ALG_HMAC_SHA1_96',
    'aes-128-cmac-96': 'TCPAO_ALG_AES_128_CMAC_96',
}
ROLES = {
    'send_syn': 'TCPAO_KAT_SEND_SYN',
    'synack': 'TCPAO_KAT_SYNACK',
    'send_other': 'TCPAO_KAT_SEND_OTHER',
    'recv_other': 'TCPAO_KAT_RECV_OTHER',
}
MAC_LEN = 12
TCPAO_KIND = 29


def die(msg):
    sys.stderr.write('gen-vectors: %s\n' % msg)
    sys.exit(2)


def aes_cmac(key, msg):
    """AES-128-CMAC through the openssl command (independent of Linux)."""
    try:
        out = subprocess.run(
            ['openssl', 'mac', '-cipher', 'AES-128-CBC',
             '-macopt', 'hexkey:' + key.hex(), 'CMAC'],
            input=msg, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            check=True)
    except (OSError, subprocess.CalledProcessError) as e:
        die('openssl mac failed (OpenSSL 3 is needed): %s' % e)
    return bytes.fromhex(out.stdout.decode().strip())


def hmac_sha1(key, msg):
    return hmac.new(key, msg, hashlib.sha1).digest()


def cmac_normalise(mkt):
    """RFC 5926 3.1.1.2: a master key not of 16 bytes is first hashed."""
    if len(mkt) == 16:
        return mkt
    return aes_cmac(bytes(16), mkt)


def kdf(alg, mkt, ctx):
    """RFC 5926 3.1.1: PRF(K, i=1 | "TCP-AO" | Context | L), one block."""
    if alg == 'hmac-sha-1-96':
        return hmac_sha1(mkt, b'\x01TCP-AO' + ctx + struct.pack('>H', 160))
    return aes_cmac(cmac_normalise(mkt),
                    b'\x01TCP-AO' + ctx + struct.pack('>H', 128))


def mac(alg, tkey, msg):
    if alg == 'hmac-sha-1-96':
        return hmac_sha1(tkey, msg)[:MAC_LEN]
    return aes_cmac(tkey, msg)[:MAC_LEN]


def parse_packet(pkt):
    """Return (src, dst, tcp bytes, pseudo-header) of an IPv4/IPv6 packet."""
    ver = pkt[0] >> 4
    if ver == 4:
        ihl = (pkt[0] & 0xf) * 4
        if pkt[9] != 6:
            die('not TCP')
        tot = struct.unpack('>H', pkt[2:4])[0]
        src, dst = pkt[12:16], pkt[16:20]
        tcp = pkt[ihl:tot]
        ph = src + dst + struct.pack('>BBH', 0, 6, len(tcp))
    elif ver == 6:
        if pkt[6] != 6:
            die('IPv6 extension headers are not expected in the vectors')
        plen = struct.unpack('>H', pkt[4:6])[0]
        src, dst = pkt[8:24], pkt[24:40]
        tcp = pkt[40:40 + plen]
        ph = src + dst + struct.pack('>I', len(tcp)) + b'\0\0\0\x06'
    else:
        die('bad IP version %d' % ver)
    return src, dst, tcp, ph


def find_ao(tcp):
    doff = (tcp[12] >> 4) * 4
    i = 20
    while i < doff:
        kind = tcp[i]
        if kind == 0:
            break
        if kind == 1:
            i += 1
            continue
        olen = tcp[i + 1]
        if kind == TCPAO_KIND:
            return doff, i, olen
        i += olen
    die('no TCP-AO option')
    return None


def segment_mac_input(v, pkt):
    """RFC 5925 5.1 message: SNE | pseudo-header | TCP header | payload."""
    _, _, tcp, ph = parse_packet(pkt)
    doff, ao, olen = find_ao(tcp)
    hdr = bytearray(tcp[:doff])
    hdr[16:18] = b'\0\0'                      # checksum
    hdr[ao + 4:ao + olen] = bytes(olen - 4)   # MAC
    if not v['covers_options']:
        # Options other than TCP-AO excluded: the fixed header, then TCP-AO.
        hdr = hdr[:20] + hdr[ao:ao + olen]
    sne = struct.pack('>I', 0)
    return sne + ph + bytes(hdr) + tcp[doff:], tcp[ao + 4:ao + olen]


def kdf_context(v, pkt):
    """The context of the key that signs this packet (sender's view)."""
    src, dst, tcp, _ = parse_packet(pkt)
    sport, dport = struct.unpack('>HH', tcp[:4])
    cisn = int(v['client_isn'], 16)
    sisn = int(v['server_isn'], 16)
    role = v['role']
    if role == 'send_syn':
        isns = (cisn, 0)
    elif role == 'send_other':
        isns = (cisn, sisn)
    else:
        isns = (sisn, cisn)
    return src + dst + struct.pack('>HHII', sport, dport, *isns)


def check_rfc9235(doc):
    mkt = doc['mkt'].encode()
    for v in doc['vectors']:
        pkt = bytes.fromhex(v['packet'])
        tk = kdf(v['algorithm'], mkt, kdf_context(v, pkt))
        if tk.hex() != v['traffic_key']:
            die('%s: traffic key %s, JSON says %s' %
                (v['section'], tk.hex(), v['traffic_key']))
        msg, onwire = segment_mac_input(v, pkt)
        m = mac(v['algorithm'], tk, msg)
        if m.hex() != v['mac'] or onwire != m:
            die('%s: MAC %s, JSON says %s' % (v['section'], m.hex(), v['mac']))


# Extra KDF vectors: master keys of the lengths where the algorithms change
# behaviour (HMAC: longer than the 64-byte block is hashed first; CMAC: not
# 16 bytes is normalised), over one IPv4 and one IPv6 context.
CTX4 = bytes([10, 11, 12, 13, 172, 27, 28, 29]) + \
    struct.pack('>HHII', 0xe9d7, 179, 0xfbfbab5a, 0x11c14261)
CTX6 = bytes.fromhex('fd000000000000000000000000000001') + \
    bytes.fromhex('fd000000000000000000000000000002') + \
    struct.pack('>HHII', 0xf288, 179, 0x176a833f, 0x3f51994b)


def pattern(n, start):
    return bytes((start + i) & 0xff for i in range(n))


EXTRA_KDF = [
    # (name, algorithm, mkt, ctx)
    ('cmac-mkt10', 'aes-128-cmac-96', b'testvector', CTX4),
    ('cmac-mkt16', 'aes-128-cmac-96', pattern(16, 0), CTX4),
    ('cmac-mkt20', 'aes-128-cmac-96', pattern(20, 0x20), CTX6),
    ('cmac-mkt1', 'aes-128-cmac-96', b'\xa5', CTX4),
    ('cmac-mkt15', 'aes-128-cmac-96', pattern(15, 0x40), CTX6),
    ('cmac-mkt17', 'aes-128-cmac-96', pattern(17, 0x60), CTX4),
    ('cmac-mkt80', 'aes-128-cmac-96', pattern(80, 0x80), CTX6),
    ('hmac-mkt1', 'hmac-sha-1-96', b'\x5a', CTX4),
    ('hmac-mkt20', 'hmac-sha-1-96', pattern(20, 0x20), CTX6),
    ('hmac-mkt64', 'hmac-sha-1-96', pattern(64, 0x10), CTX4),
    ('hmac-mkt65', 'hmac-sha-1-96', pattern(65, 0x30), CTX6),
    ('hmac-mkt80', 'hmac-sha-1-96', pattern(80, 0x80), CTX4),
]


def c_bytes(data, indent):
    """Comma-separated hex bytes, 12 to a line."""
    lines = []
    for i in range(0, len(data), 12):
        chunk = ', '.join('0x%02x' % b for b in data[i:i + 12])
        lines.append(indent + chunk + ',')
    return '\n'.join(lines)


def emit(doc, json_bytes):
    out = []
    w = out.append
    w('/* SPDX-License-Identifier: GPL-2.0 */')
    w('/*')
    w(' * GENERATED by scripts/gen-vectors.py from rfc9235.json: do not edit.')
    w(' * Source: %s' % doc['source'])
    w(' * rfc9235.json sha256 %s' % hashlib.sha256(json_bytes).hexdigest())
    w(' *')
    w(' * Every expected value was recomputed by the generator with Python\'s')
    w(' * hmac/hashlib (HMAC-SHA-1) and the openssl command (AES-CMAC), not')
    w(' * with the kernel: the extra KDF vectors have no published answers.')
    w(' */')
    w('#ifndef _TCPAO_RFC9235_VECTORS_H')
    w('#define _TCPAO_RFC9235_VECTORS_H')
    w('')
    w('#include "selftest.h"')
    w('')
    mkt = doc['mkt'].encode()
    w('/* The MKT secret of every RFC 9235 vector: "%s". */' % doc['mkt'])
    w('static const u8 tcpao_rfc9235_mkt[] = {')
    w(c_bytes(mkt, '\t'))
    w('};')
    w('')
    w('#define TCPAO_RFC9235_CLIENT_KEYID\t%d' % doc['client_keyid'])
    w('#define TCPAO_RFC9235_SERVER_KEYID\t%d' % doc['server_keyid'])
    w('')
    w('static const struct tcpao_kat tcpao_rfc9235_vectors[] = {')
    for v in doc['vectors']:
        pkt = bytes.fromhex(v['packet'])
        tk = bytes.fromhex(v['traffic_key'])
        w('\t{')
        w('\t\t.section = "%s",' % v['section'])
        w('\t\t.alg = %s,' % ALGS[v['algorithm']])
        w('\t\t.role = %s,' % ROLES[v['role']])
        w('\t\t.covers_options = %s,' %
          ('true' if v['covers_options'] else 'false'))
        w('\t\t.client_isn = %s,' % v['client_isn'])
        w('\t\t.server_isn = %s,' % v['server_isn'])
        w('\t\t.packet_len = %d,' % len(pkt))
        w('\t\t.packet = (const u8 []){')
        w(c_bytes(pkt, '\t\t\t'))
        w('\t\t},')
        w('\t\t.tkey_len = %d,' % len(tk))
        w('\t\t.tkey = {')
        w(c_bytes(tk, '\t\t\t'))
        w('\t\t},')
        w('\t\t.mac = {')
        w(c_bytes(bytes.fromhex(v['mac']), '\t\t\t'))
        w('\t\t},')
        w('\t},')
    w('};')
    w('')
    w('static const struct tcpao_kdf_kat tcpao_kdf_vectors[] = {')
    for name, alg, key, ctx in EXTRA_KDF:
        tk = kdf(alg, key, ctx)
        w('\t{')
        w('\t\t.name = "%s",' % name)
        w('\t\t.alg = %s,' % ALGS[alg])
        w('\t\t.mkt_len = %d,' % len(key))
        w('\t\t.mkt = (const u8 []){')
        w(c_bytes(key, '\t\t\t'))
        w('\t\t},')
        if alg == 'aes-128-cmac-96':
            w('\t\t/* AES-CMAC(0^128, mkt), or mkt itself if 16 bytes */')
            w('\t\t.cmac_key = {')
            w(c_bytes(cmac_normalise(key), '\t\t\t'))
            w('\t\t},')
        w('\t\t.ctx_len = %d,' % len(ctx))
        w('\t\t.ctx = {')
        w(c_bytes(ctx, '\t\t\t'))
        w('\t\t},')
        w('\t\t.tkey_len = %d,' % len(tk))
        w('\t\t.tkey = {')
        w(c_bytes(tk, '\t\t\t'))
        w('\t\t},')
        w('\t},')
    w('};')
    w('')
    w('#endif /* _TCPAO_RFC9235_VECTORS_H */')
    return '\n'.join(out) + '\n'


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('json', nargs='?', default=DEFAULT_JSON,
                    help='RFC 9235 vectors (default: %(default)s)')
    ap.add_argument('-o', '--out', default=DEFAULT_OUT,
                    help='header to write (default: %(default)s)')
    ap.add_argument('--check', action='store_true',
                    help='exit 1 if OUT is not what would be generated')
    args = ap.parse_args()

    try:
        with open(args.json, 'rb') as f:
            raw = f.read()
    except OSError as e:
        die('cannot read %s: %s' % (args.json, e))
    doc = json.loads(raw)
    if len(doc['vectors']) != 32:
        die('expected the 32 vectors of RFC 9235, found %d'
            % len(doc['vectors']))
    check_rfc9235(doc)
    text = emit(doc, raw)

    if args.check:
        try:
            with open(args.out) as f:
                old = f.read()
        except OSError as e:
            print('gen-vectors: %s: %s' % (args.out, e))
            return 1
        if old != text:
            print('gen-vectors: %s is stale: run scripts/gen-vectors.py'
                  % args.out)
            return 1
        print('gen-vectors: %s is up to date (32 RFC 9235 vectors, '
              '%d KDF vectors verified)' % (args.out, len(EXTRA_KDF)))
        return 0

    with open(args.out, 'w') as f:
        f.write(text)
    print('gen-vectors: wrote %s' % args.out)
    return 0


if __name__ == '__main__':
    sys.exit(main())
