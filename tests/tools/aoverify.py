#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Recompute the TCP-AO MAC of every TCP segment in a pcap file.

usage: aoverify.py [OPTIONS] FILE.pcap

Written from RFC 5925 (5.1 MAC input, 5.2 traffic keys and their context,
6.2 SNE) and RFC 5926 (KDF_HMAC_SHA1, KDF_AES_128_CMAC with the master key
normalisation, MACs truncated to 96 bits), not from tcpao's sources: a
mistake made the same way on both ends of a tcpao connection (traffic-key
context, ISN choice, SNE, the keys of an RST refusing a SYN) passes every
test that runs tcpao against tcpao, and fails here.

Keys (at least one):
  --key 'WORDS'      one MKT in aoctl's words, as after "keychain add NAME
                     key ID": send-id N recv-id N, one of secret STRING,
                     secret-hex HEX, secret-file PATH, and optionally
                     cryptographic-algorithm hmac-sha-1-96|aes-128-cmac-96
                     (default hmac-sha-1-96) and tcp-ao-option
                     enabled|disabled (default disabled, as aoctl's)
  --keys FILE        MKTs from an aoctl batch file: its "keychain add NAME
                     key ID ..." and "keychain set NAME key ID ..." lines
                     (other lines are ignored); repeatable
A segment's KeyID is its sender's SendID, so an MKT given from either
side's point of view serves both directions: KeyID K selects the MKTs
whose send-id or recv-id is K.  When several do (keys of other
connections, an older version of a key), each is tried; a segment
verifies if one of them gives its MAC.

Connections:
  --unsigned-ok EP   connections with an endpoint EP (ADDR, PORT or
                     ADDR,PORT) may go unsigned: their segments without
                     TCP-AO are counted, not failures; repeatable
  --keyids K,K,...   every KeyID on the wire must be one of these
  --isn ADDR,PORT,ISN[,SNE]
                     the endpoint's ISN, and the SNE of its first captured
                     segment (default 0), for connections whose handshake
                     is not in the capture (set up with TCP_REPAIR)
  --midstream        tolerate connections whose handshake is missing: their
                     segments are counted as unverifiable, not failures
                     (default: strict, every segment must verify)
Output:
  --stats FILE       also write "SEGMENTS WITH_AO OTHER_KEYID MAX_IP_LENGTH
                     WITH_SACK" to FILE, as tests/tools/pcapao.py prints it
  --max-errors N     errors shown (default 20; all are counted)

Prints a summary (segments verified per connection and KeyID) and one line
per failing segment (frame number, connection, KeyID, why); exits 1 if any
segment failed, 2 on bad usage or an unreadable file.

Traffic keys (RFC 5925 5.2): the context is the segment's source address,
destination address, source port, destination port, source ISN and
destination ISN.  A SYN without ACK carries its own ISN and 0 for the
peer's (Send_SYN_traffic_key); every other segment, the SYN-ACK included,
both ISNs, learnt from the SYN and the SYN-ACK.  An RST from an endpoint
that never sent a SYN (an RST refusing a SYN) has no ISN of its own: its
context carries 0 there and the SYN's ISN for the peer, the key the peer in
SYN-SENT can derive (Linux's tcp_ao.c verifies such an RST with the RST's
sequence number, 0 for an RST answering a SYN, as the source ISN).  The SNE
(6.2) of a SYN is 0; otherwise each direction's sequence numbers are
extended to 64 bits from its ISN, each to the value nearest the highest
one verified so far, so retransmissions across a wrap keep the old SNE.
"""
import hmac
import shlex
import struct
import sys

Cipher = algorithms = modes = None  # python3-cryptography, imported when needed


def _aes():
    """AES from python3-cryptography: imported only for AES-128-CMAC (the
    import alone takes a second under QEMU's TCG)."""
    global Cipher, algorithms, modes
    if Cipher is None:
        try:
            from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
        except ImportError:
            sys.exit('aoverify: AES-128-CMAC needs python3-cryptography')

try:  # OpenSSL's HMAC without hmac.HMAC's wrapper: a third less per segment
    from _hashlib import hmac_new as _hmac_new
except ImportError:
    _hmac_new = hmac.new

MACLEN = 12  # both RFC 5926 MACs are truncated to 96 bits
_ZERO_MAC = bytes(MACLEN)
_HHI = struct.Struct('!HHI').unpack_from
_HH = struct.Struct('!HH').unpack_from
_IPV4_PSEUDO = struct.Struct('!xBH').pack     # zero, protocol, TCP length
_IPV6_PSEUDO = struct.Struct('!I3xB').pack    # TCP length, zeros, next header
_SNE = struct.Struct('!I').pack


# ---- RFC 5926 ------------------------------------------------------------
class HmacSha1:
    """KDF_HMAC_SHA1 and HMAC-SHA-1-96 (RFC 5926 3.1.1.1, 3.2.1)."""
    name = 'hmac-sha-1-96'

    @staticmethod
    def kdf(master, context):
        # i = 1 || Label "TCP-AO" || Context || L = 160 bits: one block.
        return hmac.new(master, b'\x01TCP-AO' + context + b'\x00\xa0',
                        'sha1').digest()

    class Mac:
        """HMAC-SHA-1 keyed once; mac() per message."""

        def __init__(self, key):
            self.base = _hmac_new(key, digestmod='sha1')

        def mac(self, head, data):
            h = self.base.copy()
            h.update(head)
            if len(data):
                h.update(data)
            return h.digest()[:MACLEN]


def _dbl(v):
    """Doubling in GF(2^128), RFC 4493 2.3."""
    v <<= 1
    return v ^ ((1 << 128) | 0x87) if v >> 128 else v


class Cmac:
    """AES-CMAC (RFC 4493) over AES from python3-cryptography.

    Its own CMAC object costs more per message to copy than the MAC itself
    on short segments, so this one keeps a single AES-CBC encryptor per key
    and chains messages through it: XORing the previous message's last
    ciphertext block into the next one's first block is the same as
    starting again from a zero IV.  The self-test checks it against the
    library's CMAC and the RFC 9235 vectors."""

    def __init__(self, key):
        _aes()
        ecb = Cipher(algorithms.AES(key), modes.ECB()).encryptor()
        k1 = _dbl(int.from_bytes(ecb.update(bytes(16)), 'big'))
        self.k1, self.k2 = k1, _dbl(k1)
        self.cbc = Cipher(algorithms.AES(key), modes.CBC(bytes(16))).encryptor()
        self.chain = 0

    def mac(self, m):
        n = len(m)
        if n and not n % 16:
            k = self.k1
        else:
            m += b'\x80' + bytes(15 - n % 16)
            k = self.k2
        if len(m) == 16:
            m = (int.from_bytes(m, 'big') ^ self.chain ^ k).to_bytes(16, 'big')
        else:
            m = ((int.from_bytes(m[:16], 'big') ^ self.chain).to_bytes(16, 'big')
                 + m[16:-16] + (int.from_bytes(m[-16:], 'big') ^ k).to_bytes(16, 'big'))
        t = self.cbc.update(m)[-16:]
        self.chain = int.from_bytes(t, 'big')
        return t


class AesCmac:
    """KDF_AES_128_CMAC and AES-128-CMAC-96 (RFC 5926 3.1.1.2, 3.2.2)."""
    name = 'aes-128-cmac-96'

    @staticmethod
    def kdf(master, context):
        # A master key of other than 16 bytes is first reduced to one:
        # K = AES-CMAC(0^128, master key).
        if len(master) != 16:
            master = Cmac(bytes(16)).mac(master)
        return Cmac(master).mac(b'\x01TCP-AO' + context + b'\x00\x80')

    class Mac:
        def __init__(self, key):
            self.cmac = Cmac(key)

        def mac(self, head, data):
            return self.cmac.mac(head + data if len(data) else head)[:MACLEN]


ALGORITHMS = {a.name: a for a in (HmacSha1, AesCmac)}


# ---- keys ------------------------------------------------------------------
class Mkt:
    """A master key tuple: the secret, the IDs, the algorithm, the TCP
    option flag (RFC 5925 3.1)."""

    def __init__(self, send_id, recv_id, secret, alg, options, origin):
        self.send_id, self.recv_id = send_id, recv_id
        self.secret, self.alg, self.options = secret, alg, options
        self.origin = origin

    def ident(self):
        """The same MKT seen from either side (IDs swapped) is one."""
        return (min(self.send_id, self.recv_id), max(self.send_id, self.recv_id),
                self.secret, self.alg.name, self.options)

    def describe(self):
        return '%s, options %s (%s)' % (
            self.alg.name, 'covered' if self.options else 'excluded',
            self.origin)


def _parse_id(v, what):
    n = int(v, 0)
    if not 0 <= n <= 255:
        raise ValueError('%s %s is not 0-255' % (what, v))
    return n


def parse_key_words(words, origin, base=None):
    """An MKT from aoctl's key words (send-id ... secret ...); BASE gives
    the attributes not named (keychain set)."""
    attrs = dict(base or {})
    i = 0
    while i < len(words):
        w = words[i]
        if i + 1 >= len(words):
            raise ValueError('%s: "%s" needs a value' % (origin, w))
        v = words[i + 1]
        i += 2
        if w == 'send-id':
            attrs['send'] = _parse_id(v, 'send-id')
        elif w == 'recv-id':
            attrs['recv'] = _parse_id(v, 'recv-id')
        elif w == 'secret':
            attrs['secret'] = v.encode()
        elif w == 'secret-hex':
            attrs['secret'] = bytes.fromhex(v[2:] if v.lower().startswith('0x') else v)
        elif w == 'secret-file':
            with open(v, 'rb') as f:
                s = f.read()
            attrs['secret'] = s[:-1] if s.endswith(b'\n') else s
        elif w == 'cryptographic-algorithm':
            if v not in ALGORITHMS:
                raise ValueError('%s: unknown algorithm %s' % (origin, v))
            attrs['alg'] = ALGORITHMS[v]
        elif w == 'tcp-ao-option':
            if v not in ('enabled', 'disabled'):
                raise ValueError('%s: tcp-ao-option %s' % (origin, v))
            attrs['options'] = v == 'enabled'
        elif w == 'start-time':
            # Its value may be two words ("2099-01-01.00:00:00 +0000"
            # quoted is one; an unquoted offset is the next word).
            if i < len(words) and (words[i][:1] in '+-' and words[i][1:].isdigit()
                                   or words[i] == 'UTC'):
                i += 1
        else:
            raise ValueError('%s: unknown word %s' % (origin, w))
    attrs.setdefault('alg', HmacSha1)
    attrs.setdefault('options', False)
    for need in ('send', 'recv', 'secret'):
        if need not in attrs:
            raise ValueError('%s: no %s' % (origin, {'send': 'send-id',
                                                     'recv': 'recv-id',
                                                     'secret': 'secret'}[need]))
    if not attrs['secret']:
        raise ValueError('%s: empty secret' % origin)
    return attrs


def load_batch(path):
    """The MKTs of an aoctl batch file, every version of each key."""
    out, current = [], {}
    with open(path) as f:
        text = f.read()
    # Backslash-newline continues a line, as in aoctl's batch files.
    text = text.replace('\\\n', ' ')
    for n, line in enumerate(text.splitlines(), 1):
        try:
            words = shlex.split(line, comments=True)
        except ValueError as e:
            raise ValueError('%s:%d: %s' % (path, n, e))
        if len(words) < 5 or words[0] != 'keychain' or words[1] not in ('add', 'set') \
                or words[3] != 'key':
            continue
        name = (words[2], words[4])
        origin = '%s:%d' % (path, n)
        base = current.get(name) if words[1] == 'set' else None
        if words[1] == 'set' and base is None:
            continue  # a key defined elsewhere: nothing to go on
        attrs = parse_key_words(words[5:], origin, base)
        current[name] = attrs
        out.append(Mkt(attrs['send'], attrs['recv'], attrs['secret'],
                       attrs['alg'], attrs['options'], origin))
    return out


# ---- pcap ------------------------------------------------------------------
def pcap_header(buf, path):
    """(record header unpacker, link type) of a pcap file."""
    magic = bytes(buf[:4])
    if magic in (b'\xd4\xc3\xb2\xa1', b'\x4d\x3c\xb2\xa1'):
        endian = '<'
    elif magic in (b'\xa1\xb2\xc3\xd4', b'\xa1\xb2\x3c\x4d'):
        endian = '>'
    elif magic == b'\x0a\x0d\x0d\x0a':
        raise ValueError('%s: pcapng; write pcap (tcpdump -w does)' % path)
    else:
        raise ValueError('%s: not a pcap file' % path)
    linktype = struct.unpack_from(endian + 'I', buf, 20)[0] & 0xffff
    if linktype not in (1, 12, 101, 113, 276):
        raise ValueError('%s: link type %d not handled' % (path, linktype))
    return struct.Struct(endian + 'IIII').unpack_from, linktype


_U16 = struct.Struct('!H').unpack_from


def l3_offset(buf, start, caplen, linktype):
    """Offset of the IP header in a record, or None if it is not IP."""
    if linktype == 1:  # Ethernet
        if caplen < 14:
            return None
        etype, l3 = _U16(buf, start + 12)[0], 14
        while etype in (0x8100, 0x88a8) and caplen >= l3 + 4:
            etype = _U16(buf, start + l3 + 2)[0]
            l3 += 4
    elif linktype == 113:  # Linux cooked v1
        if caplen < 16:
            return None
        etype, l3 = _U16(buf, start + 14)[0], 16
    elif linktype == 276:  # Linux cooked v2
        if caplen < 20:
            return None
        etype, l3 = _U16(buf, start)[0], 20
    else:  # raw IP
        return 0
    return l3 if etype in (0x0800, 0x86dd) else None


# ---- verification ----------------------------------------------------------
def fmt_addr(a):
    if len(a) == 4:
        return '.'.join(str(b) for b in a)
    # Short IPv6 form, enough for reports.
    groups = ['%x' % g for g in struct.unpack('!8H', a)]
    best, run = (0, 0), (0, 0)
    for i, g in enumerate(groups + ['x']):
        if g == '0':
            run = (run[0], run[1] + 1) if run[1] else (i, 1)
        else:
            if run[1] > best[1]:
                best = run
            run = (0, 0)
    if best[1] > 1:
        s, n = best
        return ':'.join(groups[:s]) + '::' + ':'.join(groups[s + n:])
    return ':'.join(groups)


def fmt_ep(addr, port):
    a = fmt_addr(addr)
    return ('[%s]:%d' if ':' in a else '%s:%d') % (a, port)


def fmt_flags(f):
    """As tcpdump prints them: S, S., P., F., R., ..."""
    s = ''.join(c for b, c in ((1, 'F'), (2, 'S'), (4, 'R'), (8, 'P'), (32, 'U'))
                if f & b)
    return s + ('.' if f & 0x10 else '')


class Half:
    """One direction of a connection: its sender's ISN, the SNE reference
    (the highest 64-bit extended sequence number verified so far) and the
    keyed MACs that verified, by KeyID, for the fast path."""

    def __init__(self, conn, src, dst):
        self.conn = conn
        self.src, self.dst = src, dst       # (address, port)
        self.pre = src[0] + dst[0]          # pseudo-header's addresses
        self.peer = None                    # the other Half
        self.isn = None
        self.ref = None
        self.first_sne = None               # from --isn, for the first segment
        self.pinned = {}                    # keyid -> Mkt that verified
        self.macs = {}                      # (Mkt, ISNs) -> keyed MAC
        self.fast = {}                      # keyid -> (keyed MAC, Mkt)

    def reset(self, isn):
        """A new ISN: its sequence space starts at SNE 0."""
        self.isn = isn
        self.ref = isn
        self.first_sne = None
        self.pinned = {}
        self.fast = {}
        self.peer.fast = {}


class Conn:
    """One TCP connection seen in the capture (or several, one after the
    other, on the same addresses and ports)."""

    def __init__(self, eps):
        self.eps = eps              # [(addr, port), (addr, port)]
        self.halves = [Half(self, eps[0], eps[1]), Half(self, eps[1], eps[0])]
        self.halves[0].peer, self.halves[1].peer = self.halves[1], self.halves[0]
        self.name = '%s-%s' % (fmt_ep(*eps[0]), fmt_ep(*eps[1]))
        self.count = {}             # keyid -> segments verified
        self.unsigned = self.unverifiable = self.failed = 0
        self.generation = 0

    def restart(self):
        """A new connection on the same ports (a SYN with a new ISN)."""
        for h in self.halves:
            h.isn = h.ref = h.first_sne = None
            h.pinned, h.fast = {}, {}
        self.generation += 1


class Verifier:
    def __init__(self, mkts, unsigned_ok=(), keyids=None, isn_hints=(),
                 midstream=False, max_errors=20):
        self.by_keyid = {}
        seen = set()
        for m in mkts:
            if m.ident() in seen:
                continue
            seen.add(m.ident())
            for k in {m.send_id, m.recv_id}:
                self.by_keyid.setdefault(k, []).append(m)
        self.unsigned_ok = list(unsigned_ok)
        self.keyids = keyids
        self.hints = {}
        for addr, port, isn, sne in isn_hints:
            self.hints[(addr, port)] = (isn, sne)
        self.midstream = midstream
        self.max_errors = max_errors
        self.halves = {}            # raw addresses + ports -> Half
        self.order = []
        self.errors = 0
        self.failures = []
        # pcapao.py's figures: segments, with TCP-AO, other KeyID,
        # largest IP packet, with SACK.
        self.segs = self.with_ao = self.other = self.max_ip = self.sacks = 0

    # -- reporting
    def error(self, frame, conn, what, keyid=None):
        self.errors += 1
        if conn is not None:
            conn.failed += 1
        if self.errors <= self.max_errors:
            self.failures.append('FAIL frame %d: %s%s: %s' % (
                frame, conn.name if conn else '?',
                '' if keyid is None else ' keyid %d' % keyid, what))

    def half_for(self, src, dst):
        """The Half from SRC to DST, (address, port) each."""
        key = src[0] + dst[0] + struct.pack('!HH', src[1], dst[1])
        h = self.halves.get(key)
        if h is None:
            c = Conn([src, dst])
            self.halves[key] = c.halves[0]
            self.halves[dst[0] + src[0] + struct.pack('!HH', dst[1], src[1])] = c.halves[1]
            self.order.append(c)
            for h in c.halves:
                if h.src in self.hints:
                    h.isn, h.first_sne = self.hints[h.src]
            h = c.halves[0]
        return h

    def may_be_unsigned(self, conn):
        for addr, port in self.unsigned_ok:
            for a, p in conn.eps:
                if (addr is None or addr == a) and (port is None or port == p):
                    return True
        return False

    def mac_for(self, h, mkt, sisn, disn):
        """The keyed MAC of MKT's traffic key for direction H with these
        ISNs (RFC 5925 5.2), derived once."""
        k = (mkt, sisn, disn)
        m = h.macs.get(k)
        if m is None:
            ctx = h.pre + struct.pack('!HHII', h.src[1], h.dst[1], sisn, disn)
            m = h.macs[k] = mkt.alg.Mac(mkt.alg.kdf(mkt.secret, ctx))
        return m

    # -- one segment, every case
    def segment(self, frame, ip):
        v = ip[0] >> 4
        if v == 4:
            if len(ip) < 20 or ip[9] != 6:
                return
            tcp_off = (ip[0] & 15) * 4
            ip_len = (ip[2] << 8) | ip[3]
            tcplen = ip_len - tcp_off
            frag = ((ip[6] << 8) | ip[7]) & 0x3fff
            src, dst = ip[12:16].tobytes(), ip[16:20].tobytes()
        elif v == 6:
            if len(ip) < 40:
                return
            nh, tcp_off = ip[6], 40
            frag = 0
            # Extension headers before TCP (none occur here, but be exact).
            while nh in (0, 43, 60, 44) and len(ip) >= tcp_off + 8 and tcp_off < 2048:
                if nh == 44:
                    frag = 1
                    nh, tcp_off = ip[tcp_off], tcp_off + 8
                else:
                    nh, tcp_off = ip[tcp_off], tcp_off + (ip[tcp_off + 1] + 1) * 8
            if nh != 6:
                return
            src, dst = ip[8:24].tobytes(), ip[24:40].tobytes()
            ip_len = ((ip[4] << 8) | ip[5]) + 40
            tcplen = ip_len - tcp_off
        else:
            return
        self.segs += 1
        if ip_len > self.max_ip:
            self.max_ip = ip_len
        caught = len(ip) < ip_len or frag or tcplen < 20
        if not caught:
            sport, dport, seq = _HHI(ip, tcp_off)
            doff = (ip[tcp_off + 12] >> 4) * 4
            caught = doff < 20 or doff > tcplen
        if caught:
            c = None
            if len(ip) >= tcp_off + 4:
                sp, dp = _HH(ip, tcp_off)
                c = self.half_for((src, sp), (dst, dp)).conn
            self.error(frame, c,
                       'captured %d of %d bytes (snap length): capture whole packets'
                       % (len(ip), ip_len) if len(ip) < ip_len else
                       'IP fragment: cannot verify' if frag else
                       'TCP header cut short' if tcplen < 20 else
                       'bad data offset %d' % doff)
            return
        tcp = ip[tcp_off:ip_len]
        flags = tcp[13]
        h = self.half_for((src, sport), (dst, dport))
        conn = h.conn

        # Options: the one TCP-AO option, SACK, a malformed list.
        ao = None
        bad = None
        i = 20
        while i < doff:
            kind = tcp[i]
            if kind == 1:
                i += 1
                continue
            if kind == 0:
                break
            ln = tcp[i + 1] if i + 1 < doff else 0
            if ln < 2 or i + ln > doff:
                bad = 'malformed TCP option list'
                break
            if kind == 29:  # TCP-AO
                if ao is not None:
                    bad = 'two TCP-AO options'
                    break
                if ln < 4:
                    bad = 'TCP-AO option of length %d' % ln
                    break
                ao = i
            elif kind == 5:  # SACK
                self.sacks += 1
            elif kind == 19:  # TCP-MD5
                bad = 'TCP-MD5 option'
                break
            i += ln
        if ao is not None:
            self.with_ao += 1
            keyid = tcp[ao + 2]
            if self.keyids is not None and keyid not in self.keyids:
                self.other += 1
        else:
            keyid = None

        # ISNs: a SYN or SYN-ACK names its sender's.  A SYN with another
        # ISN from an endpoint that had one opens a new connection on the
        # same ports.
        if flags & 2 and h.isn != seq:
            if not flags & 16 and h.isn is not None:
                conn.restart()
            h.reset(seq)

        def fail(why):
            self.error(frame, conn, '[%s] seq %u: %s' % (fmt_flags(flags), seq, why),
                       keyid)

        if bad:
            return fail(bad)
        if ao is None:
            if self.may_be_unsigned(conn):
                conn.unsigned += 1
                return
            return fail('no TCP-AO option')
        maclen = tcp[ao + 1] - 4
        if self.keyids is not None and keyid not in self.keyids:
            return fail('KeyID not among %s' % ','.join(map(str, sorted(self.keyids))))
        cands = self.by_keyid.get(keyid)
        if not cands:
            return fail('no key has KeyID %d' % keyid)
        if maclen != MACLEN:
            return fail('MAC of %d bytes, expected %d' % (maclen, MACLEN))

        # The traffic key's context (RFC 5925 5.2) and the SNE (6.2).
        if flags & 18 == 2:  # SYN without ACK: Send_SYN_traffic_key
            sisn, disn, sne, ext = seq, 0, 0, None
        else:
            sisn, disn = h.isn, h.peer.isn
            if sisn is None and flags & 4 and disn is not None:
                sisn = 0  # an RST refusing a SYN: its sender has no ISN
            if sisn is None or disn is None:
                if self.midstream:
                    conn.unverifiable += 1
                    return
                return fail('the %s ISN is unknown (no handshake in the capture; '
                            '--midstream or --isn)' % (
                                'sender\'s' if sisn is None else 'receiver\'s'))
            ref = h.ref
            if ref is None:
                if h.first_sne is not None:
                    ref = (h.first_sne << 32) | seq
                else:
                    ref = sisn  # SNE 0 at the ISN
            delta = (seq - ref) & 0xffffffff
            if delta >= 0x80000000:
                delta -= 0x100000000
            ext = ref + delta
            if ext < 0:
                ext &= 0xffffffff  # "before" an ISN near 0: SNE 0
            sne = ext >> 32

        # The MAC input (RFC 5925 5.1): SNE, pseudo-header, TCP header with
        # checksum and MAC zeroed (without the options other than TCP-AO
        # when the MKT excludes them), then the data.
        pseudo = h.pre + (_IPV4_PSEUDO(6, tcplen) if v == 4 else _IPV6_PSEUDO(tcplen, 6))
        pinned = h.pinned.get(keyid)
        order = cands if pinned is None else [pinned] + [c for c in cands if c is not pinned]
        data = tcp[doff:]
        got = tcp[ao + 4:ao + 16].tobytes()
        head_all = head_ao = expect = None
        for mkt in order:
            if mkt.options:
                if head_all is None:
                    head_all = (_SNE(sne) + pseudo + tcp[:16].tobytes() + b'\0\0'
                                + tcp[18:ao + 4].tobytes() + _ZERO_MAC
                                + tcp[ao + 16:doff].tobytes())
                head = head_all
            else:
                if head_ao is None:
                    head_ao = (_SNE(sne) + pseudo + tcp[:16].tobytes() + b'\0\0'
                               + tcp[18:20].tobytes() + tcp[ao:ao + 4].tobytes() + _ZERO_MAC)
                head = head_ao
            m = self.mac_for(h, mkt, sisn, disn)
            mac = m.mac(head, data)
            if mac == got:
                break
            if expect is None:
                expect = (mac, mkt)
        else:
            mac, mkt = expect
            return fail('bad MAC %s, expected %s with %s; SNE %d, ISNs %08x/%08x%s' % (
                got.hex(), mac.hex(), mkt.describe(), sne, sisn, disn,
                '' if len(cands) == 1 else
                ' (%d keys have this KeyID: none verifies)' % len(cands)))
        h.pinned[keyid] = mkt
        if ext is not None:
            if h.ref is None or ext > h.ref:
                h.ref = ext
            if sisn == h.isn and disn == h.peer.isn and not flags & 4:
                # The common case from now on: run() verifies the next
                # segments of this direction with this key itself.
                h.fast[keyid] = (m, mkt.options)
        conn.count[keyid] = conn.count.get(keyid, 0) + 1

    def run(self, path):
        with open(path, 'rb') as f:
            buf = memoryview(f.read())
        if len(buf) < 24:
            return
        rec, linktype = pcap_header(buf, path)
        end = len(buf)
        halves = self.halves
        keyids = self.keyids
        slow = self.segment
        hhi = _HHI
        sne_pack = _SNE
        p4, p6 = _IPV4_PSEUDO, _IPV6_PSEUDO
        zero = _ZERO_MAC
        # Ethernet without VLAN tags, the usual case, is read here.
        eth = linktype == 1
        off, frame = 24, 0
        counts = {}     # (conn, keyid) -> segments verified on the fast path
        segs = with_ao = sacks = 0
        max_ip = self.max_ip
        while off + 16 <= end:
            caplen = rec(buf, off)[2]
            start = off + 16
            off = start + caplen
            frame += 1
            if off > end:
                break  # the last record was cut short (capture killed)
            if eth and caplen >= 34 and buf[start + 12] == 8 and buf[start + 13] == 0:
                l3 = 14
            elif eth and caplen >= 54 and buf[start + 12] == 0x86 and buf[start + 13] == 0xdd:
                l3 = 14
            else:
                l3 = l3_offset(buf, start, caplen, linktype)
                if l3 is None:
                    continue
            ip = buf[start + l3:off]
            # The fast path: a segment of a direction whose ISNs are known
            # and whose KeyID verified before, no SYN or RST, IPv4 without
            # options or IPv6 without extension headers.  Anything else, or
            # a MAC that does not match, goes to segment(), which does
            # everything from the start (and reports).
            b0 = ip[0]
            if b0 == 0x45 and ip[9] == 6:
                ip_len = (ip[2] << 8) | ip[3]
                if (ip[6] & 0x3f) or ip[7] or len(ip) < ip_len:
                    slow(frame, ip)
                    continue
                h = halves.get(ip[12:24].tobytes())
                t = 20
                pseudo_len = p4(6, ip_len - 20)
            elif b0 >> 4 == 6 and len(ip) >= 60 and ip[6] == 6:
                ip_len = ((ip[4] << 8) | ip[5]) + 40
                if len(ip) < ip_len:
                    slow(frame, ip)
                    continue
                h = halves.get(ip[8:44].tobytes())
                t = 40
                pseudo_len = p6(ip_len - 40, 6)
            else:
                slow(frame, ip)
                continue
            if h is None or not h.fast or ip[t + 13] & 6 or ip_len - t < 20:
                slow(frame, ip)
                continue
            doff = (ip[t + 12] >> 4) * 4
            if doff < 20 or t + doff > ip_len:
                slow(frame, ip)
                continue
            ao = None
            ns = 0
            i = t + 20
            e = t + doff
            while i < e:
                kind = ip[i]
                if kind == 1:
                    i += 1
                    continue
                if kind == 0:
                    break
                ln = ip[i + 1] if i + 1 < e else 0
                if ln < 2 or i + ln > e or kind == 19:
                    ao = None
                    break
                if kind == 29:
                    if ao is not None or ln != 16:
                        ao = None
                        break
                    ao = i
                elif kind == 5:
                    ns += 1
                i += ln
            if ao is None:
                slow(frame, ip)
                continue
            keyid = ip[ao + 2]
            fm = h.fast.get(keyid)
            if fm is None or (keyids is not None and keyid not in keyids):
                slow(frame, ip)
                continue
            seq = hhi(ip, t)[2]
            ref = h.ref
            delta = (seq - ref) & 0xffffffff
            if delta >= 0x80000000:
                delta -= 0x100000000
            ext = ref + delta
            if ext < 0:
                slow(frame, ip)
                continue
            m, options = fm
            if options:
                head = (sne_pack(ext >> 32) + h.pre + pseudo_len + ip[t:t + 16].tobytes()
                        + b'\0\0' + ip[t + 18:ao + 4].tobytes() + zero
                        + ip[ao + 16:e].tobytes())
            else:
                head = (sne_pack(ext >> 32) + h.pre + pseudo_len + ip[t:t + 16].tobytes()
                        + b'\0\0' + ip[t + 18:t + 20].tobytes() + ip[ao:ao + 4].tobytes()
                        + zero)
            if m.mac(head, ip[e:ip_len]) != ip[ao + 4:ao + 16]:
                slow(frame, ip)
                continue
            segs += 1
            with_ao += 1
            sacks += ns
            if ip_len > max_ip:
                max_ip = ip_len
            if ext > ref:
                h.ref = ext
            k = (h.conn, keyid)
            counts[k] = counts.get(k, 0) + 1
        self.segs += segs
        self.with_ao += with_ao
        self.sacks += sacks
        self.max_ip = max(self.max_ip, max_ip)
        for (c, keyid), n in counts.items():
            c.count[keyid] = c.count.get(keyid, 0) + n

    def summary(self, path):
        verified = sum(sum(c.count.values()) for c in self.order)
        unsigned = sum(c.unsigned for c in self.order)
        unverifiable = sum(c.unverifiable for c in self.order)
        lines = ['%s: %d TCP segments, %d connection%s: %d verified, %d failed'
                 % (path, self.segs, len(self.order), '' if len(self.order) == 1 else 's',
                    verified, self.errors)]
        if unsigned:
            lines[0] += ', %d unsigned (allowed)' % unsigned
        if unverifiable:
            lines[0] += ', %d unverifiable (--midstream)' % unverifiable
        for c in self.order:
            parts = ['keyid %d: %d' % (k, n) for k, n in sorted(c.count.items())]
            for what, n in (('unsigned', c.unsigned), ('unverifiable', c.unverifiable),
                            ('FAILED', c.failed)):
                if n:
                    parts.append('%s %d' % (what, n))
            lines.append('  %s%s: %s' % (
                c.name, ' (%d connections)' % (c.generation + 1) if c.generation else '',
                ', '.join(parts) or 'nothing'))
        return lines


def parse_endpoint(s):
    """ADDR, PORT or ADDR,PORT -> (addr bytes or None, port or None)."""
    import ipaddress
    parts = s.split(',')
    if len(parts) == 2:
        return ipaddress.ip_address(parts[0]).packed, int(parts[1])
    if s.isdigit():
        return None, int(s)
    return ipaddress.ip_address(s).packed, None


def parse_isn(s):
    import ipaddress
    p = s.split(',')
    if len(p) not in (3, 4):
        raise ValueError('--isn %s: ADDR,PORT,ISN[,SNE]' % s)
    sne = int(p[3], 0) if len(p) == 4 else 0
    return ipaddress.ip_address(p[0]).packed, int(p[1]), int(p[2], 0) & 0xffffffff, sne


def main(argv=None):
    args = list(sys.argv[1:] if argv is None else argv)
    mkts, unsigned, hints, keyids = [], [], [], None
    midstream, stats, max_errors, files = False, None, 20, []
    try:
        while args:
            a = args.pop(0)
            if a in ('-h', '--help'):
                print(__doc__)
                return 0
            if a == '--midstream':
                midstream = True
                continue
            if not a.startswith('--'):
                files.append(a)
                continue
            if not args:
                raise ValueError('%s needs a value' % a)
            v = args.pop(0)
            if a == '--key':
                at = parse_key_words(shlex.split(v), '--key')
                mkts.append(Mkt(at['send'], at['recv'], at['secret'], at['alg'],
                                at['options'], '--key %d/%d' % (at['send'], at['recv'])))
            elif a == '--keys':
                mkts += load_batch(v)
            elif a == '--unsigned-ok':
                unsigned.append(parse_endpoint(v))
            elif a == '--keyids':
                keyids = {_parse_id(k, 'KeyID') for k in v.split(',') if k}
            elif a == '--isn':
                hints.append(parse_isn(v))
            elif a == '--stats':
                stats = v
            elif a == '--max-errors':
                max_errors = int(v)
            else:
                raise ValueError('unknown option %s' % a)
        if len(files) != 1:
            raise ValueError('one pcap file, please')
        if not mkts:
            raise ValueError('no keys (--key or --keys)')
    except (ValueError, OSError) as e:
        print('aoverify: %s' % e, file=sys.stderr)
        print('usage: aoverify.py [--key WORDS | --keys FILE]... [options] FILE.pcap '
              '(--help)', file=sys.stderr)
        return 2
    ver = Verifier(mkts, unsigned, keyids, hints, midstream, max_errors)
    try:
        ver.run(files[0])
    except (ValueError, OSError) as e:
        print('aoverify: %s' % e, file=sys.stderr)
        return 2
    if stats:
        with open(stats, 'w') as f:
            f.write('%d %d %d %d %d\n' % (ver.segs, ver.with_ao, ver.other,
                                          ver.max_ip, ver.sacks))
    # The summary first, failures last (a check shows the output's tail).
    lines = ver.summary(files[0])
    failures = ver.errors
    print('\n'.join(lines[1:] + ver.failures))
    if failures > max_errors:
        print('... and %d more failures' % (failures - max_errors))
    if failures == 0 and ver.segs == 0:
        print(lines[0] + ': nothing to verify')
        return 1
    print(('OK ' if failures == 0 else 'FAILED ') + lines[0])
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
