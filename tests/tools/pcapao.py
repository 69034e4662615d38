#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""One pass over a pcap file of TCP segments, for the scenarios' checks.

usage: pcapao.py FILE.pcap [KEYID...]
       pcapao.py --keyids [--after TIME] [--before TIME] FILE.pcap

Prints one line: "SEGMENTS WITH_AO OTHER_KEYID MAX_IP_LENGTH WITH_SACK",
where OTHER_KEYID counts segments whose TCP-AO KeyID is none of KEYID...
(none given: every KeyID is fine), MAX_IP_LENGTH is the largest IPv4 total
length or IPv6 payload length + 40, and WITH_SACK counts segments that
carry SACK blocks.  A malformed TCP option list counts as a segment
without TCP-AO, so a check that every segment is signed fails on it.

With --keyids, one line per direction of each connection instead:
"SRC:PORT>DST:PORT KEYID..." with the KeyIDs it used, in order, repeats
collapsed (segments without TCP-AO show as "-").  --after TIME and
--before TIME (seconds since the epoch, a fraction allowed) count only the
segments captured at or after, or before, TIME.

tcpdump -v would tell the same, but decoding and printing every segment
of a 100 MB transfer takes minutes under QEMU's TCG; this takes seconds.
"""
import struct
import sys


def tcp_options(tcp):
    """(ao_keyid or None, has_sack, well_formed) of a TCP header."""
    doff = (tcp[12] >> 4) * 4
    opts = tcp[20:doff]
    keyid, sack, i = None, False, 0
    while i < len(opts):
        kind = opts[i]
        if kind == 0:
            break
        if kind == 1:
            i += 1
            continue
        if i + 1 >= len(opts) or opts[i + 1] < 2 or i + opts[i + 1] > len(opts):
            return None, sack, False
        length = opts[i + 1]
        if kind == 29 and length >= 4:
            if keyid is not None:
                return None, sack, False
            keyid = opts[i + 2]
        elif kind == 5:
            sack = True
        i += length
    return keyid, sack, True


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    by_flow = sys.argv[1] == '--keyids'
    after = before = None
    if by_flow:
        del sys.argv[1]
        while sys.argv[1] in ('--after', '--before'):
            if sys.argv[1] == '--after':
                after = float(sys.argv[2])
            else:
                before = float(sys.argv[2])
            del sys.argv[1:3]
    ids = {int(k) for k in sys.argv[2:]}
    flows = {}
    with open(sys.argv[1], 'rb') as f:
        data = f.read()
    if len(data) < 24:
        print('0 0 0 0 0')
        return
    magic = data[:4]
    if magic in (b'\xd4\xc3\xb2\xa1', b'\x4d\x3c\xb2\xa1'):
        endian = '<'
    elif magic in (b'\xa1\xb2\xc3\xd4', b'\xa1\xb2\x3c\x4d'):
        endian = '>'
    else:
        sys.exit('%s: not a pcap file' % sys.argv[1])
    linktype = struct.unpack(endian + 'I', data[20:24])[0] & 0xffff
    rec = struct.Struct(endian + 'IIII')
    segs = with_ao = other = max_len = with_sack = 0
    off = 24
    while off + 16 <= len(data):
        ts_sec, ts_frac, caplen, _ = rec.unpack_from(data, off)
        pkt = data[off + 16:off + 16 + caplen]
        off += 16 + caplen
        # Microseconds (nanoseconds in the 0x4d3cb2a1 format).
        ts = ts_sec + ts_frac / (1e9 if magic in (b'\x4d\x3c\xb2\xa1',
                                                  b'\xa1\xb2\x3c\x4d') else 1e6)
        if (after is not None and ts < after) or \
                (before is not None and ts >= before):
            continue
        if linktype == 1:  # Ethernet
            etype, l3 = struct.unpack_from('!H', pkt, 12)[0], 14
            while etype == 0x8100 and len(pkt) >= l3 + 4:
                etype = struct.unpack_from('!H', pkt, l3 + 2)[0]
                l3 += 4
        elif linktype == 113:  # Linux cooked v1
            etype, l3 = struct.unpack_from('!H', pkt, 14)[0], 16
        elif linktype == 276:  # Linux cooked v2
            etype, l3 = struct.unpack_from('!H', pkt, 0)[0], 20
        elif linktype in (12, 101):  # raw IP
            etype = 0x86dd if pkt and pkt[0] >> 4 == 6 else 0x0800
            l3 = 0
        else:
            sys.exit('%s: link type %d not handled' % (sys.argv[1], linktype))
        ip = pkt[l3:]
        if etype == 0x0800 and len(ip) >= 20:
            if ip[9] != 6:
                continue
            length = struct.unpack_from('!H', ip, 2)[0]
            tcp = ip[(ip[0] & 0xf) * 4:]
            src, dst = '.'.join(map(str, ip[12:16])), '.'.join(map(str, ip[16:20]))
        elif etype == 0x86dd and len(ip) >= 40:
            if ip[6] != 6:  # extension headers do not occur here
                continue
            length = struct.unpack_from('!H', ip, 4)[0] + 40
            tcp = ip[40:]
            src, dst = '[%s]' % ip[8:24].hex(), '[%s]' % ip[24:40].hex()
        else:
            continue
        max_len = max(max_len, length)
        if len(tcp) < 20 or len(tcp) < (tcp[12] >> 4) * 4:
            segs += 1  # cut short by the snap length: cannot tell
            continue
        segs += 1
        keyid, sack, _ = tcp_options(tcp)
        sport, dport = struct.unpack_from('!HH', tcp, 0)
        seq = flows.setdefault('%s:%d>%s:%d' % (src, sport, dst, dport), [])
        k = '-' if keyid is None else str(keyid)
        if not seq or seq[-1] != k:
            seq.append(k)
        if sack:
            with_sack += 1
        if keyid is not None:
            with_ao += 1
            if ids and keyid not in ids:
                other += 1
    if by_flow:
        for flow, seq in flows.items():
            print(flow, ' '.join(seq))
    else:
        print(segs, with_ao, other, max_len, with_sack)


if __name__ == '__main__':
    main()
