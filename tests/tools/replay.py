#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Replay a captured segment, frame for frame (scenario tests).

  replay.py IFACE PCAP SRC SPORT

Sends on IFACE (a raw packet socket: no IP stack, no netfilter hook of the
sending namespace) the Ethernet frame of the last segment from SRC:SPORT
in PCAP that carries data (PSH), as it was captured: a valid TCP-AO MAC
and all.  Only the TCP checksum is computed afresh (a capture at the sender
or on a veth shows it unfinished, left to the device; the MAC does not
cover it).  Prints its KeyID.  The capture must hold whole frames (a snap
length above the frame's length) on an Ethernet link.

inject.py replay does the same with scapy, whose import alone takes many
seconds under QEMU's TCG; this takes one.
"""
import ipaddress
import socket
import struct
import sys


def frames(path):
    with open(path, 'rb') as f:
        data = f.read()
    magic = data[:4]
    if magic in (b'\xd4\xc3\xb2\xa1', b'\x4d\x3c\xb2\xa1'):
        endian = '<'
    elif magic in (b'\xa1\xb2\xc3\xd4', b'\xa1\xb2\x3c\x4d'):
        endian = '>'
    else:
        sys.exit('%s: not a pcap file' % path)
    if struct.unpack(endian + 'I', data[20:24])[0] & 0xffff != 1:
        sys.exit('%s: not an Ethernet capture' % path)
    off = 24
    while off + 16 <= len(data):
        _, _, caplen, length = struct.unpack_from(endian + 'IIII', data, off)
        yield data[off + 16:off + 16 + caplen], caplen == length
        off += 16 + caplen


def csum(b):
    if len(b) % 2:
        b += b'\0'
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return s


def fix_checksum(frame):
    """The frame with its TCP checksum computed."""
    f = bytearray(frame)
    ip = 14
    if struct.unpack_from('!H', f, 12)[0] == 0x0800:
        tcp = ip + (f[ip] & 0xf) * 4
        end = ip + struct.unpack_from('!H', f, ip + 2)[0]
        pseudo = bytes(f[ip + 12:ip + 20]) + struct.pack('!BBH', 0, 6, end - tcp)
    else:
        tcp = ip + 40
        end = tcp + struct.unpack_from('!H', f, ip + 4)[0]
        pseudo = bytes(f[ip + 8:ip + 40]) + struct.pack('!IxxxB', end - tcp, 6)
    f[tcp + 16:tcp + 18] = b'\0\0'
    struct.pack_into('!H', f, tcp + 16,
                     0xffff - csum(pseudo + bytes(f[tcp:end])) or 0xffff)
    return bytes(f)


def segment(frame):
    """(src, sport, flags, ao_keyid) of an Ethernet frame, or None."""
    etype, ip = struct.unpack_from('!H', frame, 12)[0], frame[14:]
    if etype == 0x0800 and len(ip) >= 20 and ip[9] == 6:
        src, tcp = ipaddress.ip_address(ip[12:16]), ip[(ip[0] & 0xf) * 4:]
    elif etype == 0x86dd and len(ip) >= 40 and ip[6] == 6:
        src, tcp = ipaddress.ip_address(ip[8:24]), ip[40:]
    else:
        return None
    if len(tcp) < 20:
        return None
    opts, keyid, i = tcp[20:(tcp[12] >> 4) * 4], None, 0
    while i < len(opts) and opts[i] != 0:
        if opts[i] == 1:
            i += 1
            continue
        if i + 1 >= len(opts) or opts[i + 1] < 2:
            break
        if opts[i] == 29 and opts[i + 1] >= 4:
            keyid = opts[i + 2]
        i += opts[i + 1]
    return src, struct.unpack_from('!H', tcp, 0)[0], tcp[13], keyid


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    iface, pcap = sys.argv[1], sys.argv[2]
    src, sport = ipaddress.ip_address(sys.argv[3]), int(sys.argv[4])
    last = None
    for frame, whole in frames(pcap):
        seg = segment(frame)
        if seg and seg[0] == src and seg[1] == sport and seg[2] & 0x08:
            last = (frame, whole, seg[3])
    if not last:
        sys.exit('no data segment from %s:%d in %s' % (src, sport, pcap))
    if not last[1]:
        sys.exit('the segment was cut short by the snap length')
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((iface, 0))
    s.send(fix_checksum(last[0]))
    print('replayed a segment with KeyID', last[2])


if __name__ == '__main__':
    main()
