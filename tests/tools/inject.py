#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Forge segments at a protected connection (scenario tests).  Frames go out
at layer 2 on IFACE to the MAC address DMAC, so they bypass the sending
namespace's IP stack and netfilter hooks: they stand for an attacker on the
link, not for the host whose address they borrow.

  inject.py IFACE DMAC COMMAND ...

  inject.py attack PCAP A1 LPORT A2 RPORT KEYID RNEXT CODE
      from the capture of an idle session A1:LPORT <-> A2:RPORT, learn
      where each side stands, then send from A2: an in-window RST with a
      TCP-AO option and a wrong MAC (KEYID, RNEXT), the same RST without
      TCP-AO, and an ICMP error (CODE) about A1's next segment
  inject.py icmp-at PCAP A1 LPORT A2 RPORT CODE
      the ICMP error of "attack" alone
  inject.py learn PCAP SRC SPORT
      print "SEQ ACK" of the last segment from SRC:SPORT in PCAP
  inject.py rst SRC DST SPORT DPORT SEQ {badmac KEYID RNEXT | noao}
      send an RST with a TCP-AO option whose MAC is wrong, or without one
  inject.py icmp SRC DST CODE ISRC IDST ISPORT IDPORT ISEQ
      send an ICMP (v4: type 3, v6: type 1) error with code CODE about the
      TCP segment ISRC:ISPORT -> IDST:IDPORT with sequence ISEQ
  inject.py replay PCAP SRC SPORT FLAG
      resend the last segment from SRC:SPORT in PCAP that has FLAG (F, R,
      S, P, A) set, exactly as it was (a valid TCP-AO MAC and all)
"""
import sys

from scapy.all import (Ether, IP, IPv6, TCP, ICMP, ICMPv6DestUnreach,
                       rdpcap, sendp, conf)

conf.verb = 0


def ip(src, dst):
    return IPv6(src=src, dst=dst) if ":" in src else IP(src=src, dst=dst)


def segs(pcap, src, sport):
    for p in rdpcap(pcap):
        l3 = p.getlayer(IPv6) or p.getlayer(IP)
        if l3 is None or not p.haslayer(TCP):
            continue
        if l3.src == src and p[TCP].sport == sport:
            yield l3


def main():
    iface, dmac = sys.argv[1], sys.argv[2]
    a = sys.argv[3:]

    def send(pkt):
        # Checksums recomputed: captured segments carry a partial one.
        if pkt.haslayer(TCP):
            del pkt[TCP].chksum
        sendp(Ether(dst=dmac) / pkt, iface=iface)

    def last(pcap, src, sport):
        return list(segs(pcap, src, sport))[-1][TCP]

    def icmp_about(a1, a2, lport, rport, seq, code):
        inner = ip(a1, a2) / TCP(sport=lport, dport=rport, seq=seq,
                                 flags="A")
        if ":" in a1:
            return IPv6(src=a2, dst=a1) / ICMPv6DestUnreach(code=code) / inner
        return IP(src=a2, dst=a1) / ICMP(type=3, code=code) / inner

    if a[0] in ("attack", "icmp-at"):
        a1, lport, a2, rport = a[2], int(a[3]), a[4], int(a[5])
        # A1's last segment acks what A1 expects next from A2: an RST
        # there is in window.  A2's last segment acks A1's next byte.
        expect = last(a[1], a1, lport).ack
        nxt = last(a[1], a2, rport).ack
        if a[0] == "attack":
            rst = ip(a2, a1) / TCP(sport=rport, dport=lport, flags="R",
                                   seq=expect)
            mac = bytes([int(a[6]), int(a[7])]) + b"\x5a" * 12
            send(ip(a2, a1) / TCP(sport=rport, dport=lport, flags="R",
                                  seq=expect, options=[(29, mac)]))
            send(rst)
            code = int(a[8])
        else:
            code = int(a[6])
        send(icmp_about(a1, a2, lport, rport, nxt, code))
        print("sent, expect", expect, "next", nxt)
    elif a[0] == "learn":
        last = list(segs(a[1], a[2], int(a[3])))[-1]
        print(last[TCP].seq, last[TCP].ack)
    elif a[0] == "rst":
        src, dst, sport, dport, seq = a[1], a[2], int(a[3]), int(a[4]), int(a[5])
        opts = []
        if a[6] == "badmac":
            opts = [(29, bytes([int(a[7]), int(a[8])]) + b"\x5a" * 12)]
        send(ip(src, dst) / TCP(sport=sport, dport=dport, flags="R",
                                seq=seq, options=opts))
    elif a[0] == "icmp":
        src, dst, code = a[1], a[2], int(a[3])
        inner = ip(a[4], a[5]) / TCP(sport=int(a[6]), dport=int(a[7]),
                                     seq=int(a[8]), flags="A")
        if ":" in src:
            pkt = IPv6(src=src, dst=dst) / ICMPv6DestUnreach(code=code) / inner
        else:
            pkt = IP(src=src, dst=dst) / ICMP(type=3, code=code) / inner
        send(pkt)
    elif a[0] == "replay":
        flag = a[4]
        last = [p for p in segs(a[1], a[2], int(a[3]))
                if flag in str(p[TCP].flags)][-1]
        send(last)
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
