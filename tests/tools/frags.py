#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Fragmented TCP segments and ICMP errors at a protected host
(tests/scenarios/hardening/fragments.sh).

An attacker on the link who spoofs a protected peer's address sends what
TCP-AO must refuse (an unsigned SYN, then the ACK and data of the
handshake it hopes for), each segment split into two IP fragments whose
first carries FIRST bytes of TCP (the whole fixed header and the start of
the options), so that nothing but the reassembled packet shows the whole
segment.  Frames leave at layer 2 (a raw socket), past the attacker's own
stack; replies are read from the same interface.

  frags.py listen FILE PORT[:bind=PREFIX/LEN=KEYCHAIN]...
      (victim) accept connections on every PORT (dual stack), echo each
      line back and append "PORT PEER LINE" to FILE for every line read.
      With bind, the listening socket is bound to KEYCHAIN for PREFIX with
      TCPAO_SO_BIND and TCPAO_F_AO_REQUIRED: every other peer is refused.
  frags.py handshake IFACE DMAC LABEL,SRC,DST,SPORT,DPORT,FIRST,MARK[,atomic]...
      (attacker) for each flow a fragmented SYN; if a SYN-ACK comes back,
      the fragmented ACK and a data segment carrying the line MARK.
      Prints "LABEL synack ao", "LABEL synack plain" or "LABEL none", then
      "LABEL sent" when it sent the rest.  atomic: the SYN alone, as an
      IPv6 atomic fragment (offset 0, no more fragments) whose reserved
      bits are set.
  frags.py oddfrag IFACE DMAC SRC DST SPORT DPORT
      (attacker) an IPv6 first fragment of a SYN whose length is not a
      multiple of 8 (more fragments to follow): the netfilter
      defragmenter passes it on untouched, the stack discards it later.
  frags.py inconn IFACE DMAC SRC DST PCAP SPORT DPORT FIRST
      (attacker) an unsigned data segment SRC:SPORT -> DST:DPORT in the
      window of a live, idle connection whose segments PCAP captured,
      fragmented.
  frags.py icmp IFACE DMAC SRC DST PCAP DPORT SPORT CODE
      (attacker) an ICMP destination unreachable (IPv4 type 3, IPv6
      type 1) with CODE from SRC to DST quoting DST's next segment
      DST:DPORT -> SRC:SPORT of the live, idle connection that PCAP
      captured, fragmented so that the first fragment ends inside the
      quoted IP header: the quoted ports are only in the second.
  frags.py stats NS
      the drop counters of NS ("aoctl -j stats"), "name=value ...".
  frags.py batch
      run one command a line from stdin ("LABEL COMMAND ARGS..."), each
      output line prefixed with "LABEL ": one Python start for them all.
"""
import os
import random
import select
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
if sys.argv[1:2] != ["listen"]:
    # The victim's listener needs none of this (seconds to load under TCG).
    import aohostile as ah  # noqa: E402
    from scapy.layers.l2 import Ether  # noqa: E402
    from scapy.layers.inet import IP, TCP, ICMP  # noqa: E402
    from scapy.layers.inet6 import (IPv6, IPv6ExtHdrFragment,  # noqa: E402
                                    ICMPv6DestUnreach)
    from scapy.packet import Raw  # noqa: E402
    from scapy.compat import raw  # noqa: E402

SOL_IPV6, TCPAO_SO_BIND, TCPAO_F_AO_REQUIRED = 41, 5925, 1 << 2


def v6(addr):
    return ":" in addr


# ---- victim ----

def bind_arg(prefix, keychain):
    addr, plen = prefix.split("/")
    return (struct.pack("=HBBI", socket.AF_INET6, int(plen),
                        TCPAO_F_AO_REQUIRED, 0) +
            socket.inet_pton(socket.AF_INET6, addr) +
            keychain.encode().ljust(64, b"\0"))


def listen(path, specs):
    lsocks = {}
    for spec in specs:
        port, _, opt = spec.partition(":")
        s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.setsockopt(SOL_IPV6, socket.IPV6_V6ONLY, 0)
        s.bind(("::", int(port)))
        if opt.startswith("bind="):
            prefix, keychain = opt[5:].split("=")
            s.setsockopt(SOL_IPV6, TCPAO_SO_BIND, bind_arg(prefix, keychain))
        s.listen(16)
        lsocks[s] = int(port)
    print("listening", flush=True)
    conns = {}
    with open(path, "a", buffering=1) as out:
        while True:
            r, _, _ = select.select(list(lsocks) + list(conns), [], [])
            for s in r:
                if s in lsocks:
                    c, peer = s.accept()
                    conns[c] = (lsocks[s], peer[0], b"")
                    continue
                port, peer, buf = conns[s]
                try:
                    b = s.recv(4096)
                except OSError:
                    b = b""
                if not b:
                    del conns[s]
                    s.close()
                    continue
                buf += b
                while b"\n" in buf:
                    line, buf = buf.split(b"\n", 1)
                    out.write("%d %s %s\n" % (port, peer, line.decode(
                        errors="replace")))
                    try:
                        s.sendall(line + b"\n")
                    except OSError:
                        pass
                conns[s] = (port, peer, buf)


# ---- attacker ----

class Link:
    def __init__(self, iface, dmac):
        self.iface, self.dmac = iface, dmac
        self.tx = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
        self.tx.bind((iface, 0))
        # Opened before anything is sent: no reply can be missed.
        self.rx = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                                socket.htons(ah.ETH_P_ALL))
        self.rx.bind((iface, 0))

    def send(self, pkts):
        for p in pkts:
            self.tx.send(raw(Ether(dst=self.dmac) / p))

    def replies(self, want, timeout):
        """The first TCP segment of each flow in @want (keys: saddr,
        sport, daddr, dport) seen within @timeout seconds, with "ao" set
        if it carries TCP-AO."""
        got = {}
        end = time.monotonic() + timeout
        while len(got) < len(want):
            left = end - time.monotonic()
            if left <= 0:
                break
            self.rx.settimeout(left)
            try:
                b, meta = self.rx.recvfrom(65535)
            except socket.timeout:
                break
            if meta[2] == ah.PACKET_OUTGOING:
                continue
            seg = ah.parse_tcp(b)
            key = seg and (seg["saddr"], seg["sport"], seg["daddr"],
                           seg["dport"])
            if not seg or key not in want or key in got:
                continue
            seg["ao"] = any(o[0] in (29, "AO") for o in Ether(b)[TCP].options)
            got[key] = seg
        return got


def tcp_bytes(src, dst, tcp):
    """The TCP segment as bytes, checksum computed over its pseudo-header."""
    if v6(src):
        return raw(IPv6(src=src, dst=dst) / tcp)[40:]
    return raw(IP(src=src, dst=dst) / tcp)[20:]


def fragments(src, dst, proto, payload, first):
    """IP fragments of @payload (the upper-layer bytes): the first carries
    @first bytes, the second the rest."""
    fid = random.getrandbits(31) + 1
    if v6(src):
        return [IPv6(src=src, dst=dst, hlim=64) /
                IPv6ExtHdrFragment(nh=proto, offset=0, m=1, id=fid) /
                Raw(payload[:first]),
                IPv6(src=src, dst=dst, hlim=64) /
                IPv6ExtHdrFragment(nh=proto, offset=first // 8, m=0,
                                   id=fid) /
                Raw(payload[first:])]
    return [IP(src=src, dst=dst, ttl=64, id=fid & 0xFFFF, flags="MF",
               frag=0, proto=proto) / Raw(payload[:first]),
            IP(src=src, dst=dst, ttl=64, id=fid & 0xFFFF, frag=first // 8,
               proto=proto) / Raw(payload[first:])]


# 20 bytes of options: MSS, NOP, window scale, NOP, NOP, SACK permitted,
# 8 NOPs (no timestamps: the segments that follow need none).
SYN_OPTS = [("MSS", 1460), ("NOP", None), ("WScale", 7), ("NOP", None),
            ("NOP", None), ("SAckOK", b"")] + [("NOP", None)] * 8
NOPS = [("NOP", None)] * 20


def handshake(a):
    """Every flow at once: the SYNs, then the replies (one wait for all),
    then the ACK and data of those answered."""
    link = Link(a[0], a[1])
    flows = []
    for spec in a[2:]:
        w = spec.split(",")
        f = {"label": w[0], "src": w[1], "dst": w[2], "sport": int(w[3]),
             "dport": int(w[4]), "first": int(w[5]), "mark": w[6],
             "atomic": w[7:] == ["atomic"], "isn": random.getrandbits(32)}
        syn = tcp_bytes(f["src"], f["dst"],
                        TCP(sport=f["sport"], dport=f["dport"], seq=f["isn"],
                            flags="S", window=64240, options=SYN_OPTS))
        assert len(syn) == 40
        if f["atomic"]:
            link.send([IPv6(src=f["src"], dst=f["dst"], hlim=64) /
                       IPv6ExtHdrFragment(nh=6, offset=0, m=0, res2=3,
                                          id=random.getrandbits(31) + 1) /
                       Raw(syn)])
        else:
            link.send(fragments(f["src"], f["dst"], 6, syn, f["first"]))
        flows.append(f)
    want = {(f["dst"], f["dport"], f["src"], f["sport"]): f for f in flows}
    for key, r in link.replies(want, 1.5).items():
        if (r["flags"] & 0x12) == 0x12:
            want[key]["synack"] = r
    for f in flows:
        r = f.get("synack")
        if not r:
            print("%s none" % f["label"], flush=True)
            continue
        print("%s synack %s" % (f["label"], "ao" if r["ao"] else "plain"),
              flush=True)
        if f["atomic"]:
            continue
        src, dst, sport, dport = f["src"], f["dst"], f["sport"], f["dport"]
        ack = tcp_bytes(src, dst, TCP(sport=sport, dport=dport,
                                      seq=f["isn"] + 1, ack=r["seq"] + 1,
                                      flags="A", window=64240, options=NOPS))
        data = tcp_bytes(src, dst, TCP(sport=sport, dport=dport,
                                       seq=f["isn"] + 1, ack=r["seq"] + 1,
                                       flags="PA", window=64240,
                                       options=NOPS) /
                         Raw((f["mark"] + "\n").encode()))
        link.send(fragments(src, dst, 6, ack, f["first"]))
        link.send(fragments(src, dst, 6, data, f["first"]))
        print("%s sent" % f["label"], flush=True)


def oddfrag(a):
    iface, dmac, src, dst = a[0], a[1], a[2], a[3]
    sport, dport = int(a[4]), int(a[5])
    link = Link(iface, dmac)
    syn = tcp_bytes(src, dst, TCP(sport=sport, dport=dport,
                                  seq=random.getrandbits(32), flags="S",
                                  window=64240, options=SYN_OPTS))
    link.send([IPv6(src=src, dst=dst, hlim=64) /
               IPv6ExtHdrFragment(nh=6, offset=0, m=1,
                                  id=random.getrandbits(31) + 1) /
               Raw(syn[:28])])
    print("sent", flush=True)


def learn(pcap, src, sport):
    """(seq, ack) of the last segment from src:sport in @pcap, read
    without scapy (slow to load under TCG)."""
    last = None
    with open(pcap, "rb") as f:
        hdr = f.read(24)
        le = hdr[:4] == b"\xd4\xc3\xb2\xa1"
        while True:
            rec = f.read(16)
            if len(rec) < 16:
                break
            n = struct.unpack("<I" if le else ">I", rec[8:12])[0]
            seg = ah.parse_tcp(f.read(n))
            if seg and seg["saddr"] == src and seg["sport"] == sport:
                last = seg
    if not last:
        raise SystemExit("no segment from %s:%d in %s" % (src, sport, pcap))
    return last["seq"], last["ack"]


def inconn(a):
    iface, dmac, src, dst, pcap = a[0], a[1], a[2], a[3], a[4]
    sport, dport, first = int(a[5]), int(a[6]), int(a[7])
    # The victim's last segment acks our next byte; ours acks its.
    seq = learn(pcap, dst, dport)[1]
    ack = learn(pcap, src, sport)[1]
    link = Link(iface, dmac)
    data = tcp_bytes(src, dst, TCP(sport=sport, dport=dport, seq=seq,
                                   ack=ack, flags="PA", window=502,
                                   options=NOPS) /
                     Raw(b"forged data inside the window\n"))
    link.send(fragments(src, dst, 6, data, first))
    print("sent", flush=True)


def icmp(a):
    iface, dmac, src, dst, pcap = a[0], a[1], a[2], a[3], a[4]
    isport, idport, code = int(a[5]), int(a[6]), int(a[7])
    # What the victim sends next: the peer's last segment acks it.
    iseq = learn(pcap, src, idport)[1]
    link = Link(iface, dmac)
    inner_tcp = tcp_bytes(dst, src, TCP(sport=isport, dport=idport,
                                        seq=iseq, flags="A"))
    if v6(src):
        inner = raw(IPv6(src=dst, dst=src, hlim=64, nh=6,
                         plen=len(inner_tcp)) / Raw(inner_tcp))
        msg = raw(IPv6(src=src, dst=dst) / ICMPv6DestUnreach(code=code) /
                  Raw(inner))[40:]
        proto, first = 58, 8 + 32	# ICMPv6 header, 32 of the 40
    else:
        inner = raw(IP(src=dst, dst=src, ttl=64, proto=6,
                       len=20 + len(inner_tcp)) / Raw(inner_tcp))
        msg = raw(ICMP(type=3, code=code) / Raw(inner))
        proto, first = 1, 8 + 16	# ICMP header, 16 of the 20
    link.send(fragments(src, dst, proto, msg, first))
    print("sent", flush=True)


def stats(a):
    st = ah.stats(a[0])
    print(" ".join("%s=%d" % (k, st[k]) for k in ah.DROP_COUNTERS),
          flush=True)


CMDS = {"handshake": handshake, "oddfrag": oddfrag, "inconn": inconn,
        "icmp": icmp, "stats": stats}


def batch():
    out = sys.stdout
    for line in sys.stdin:
        w = line.split()
        if not w:
            continue

        class Prefixed:
            def write(self, s, label=w[0]):
                for ln in s.splitlines(True):
                    out.write(label + " " + ln if ln.strip() else ln)

            def flush(self):
                out.flush()
        sys.stdout = Prefixed()
        try:
            CMDS[w[1]](w[2:])
        except (SystemExit, OSError) as e:
            print("error %s" % e)
        finally:
            sys.stdout = out
            out.flush()


def main():
    a = sys.argv[1:]
    if a and a[0] == "listen" and len(a) >= 3:
        listen(a[1], a[2:])
    elif a == ["batch"]:
        batch()
    elif a and a[0] in CMDS:
        CMDS[a[0]](a[1:])
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
