# SPDX-License-Identifier: GPL-2.0
"""Shared pieces of the hostile-traffic tools (malformed.py, synflood.py,
forge.py): crafting frames with scapy, sending them in bulk on a raw
socket, learning a live connection's sequence numbers from the wire, a
model of what tcpao does with a segment, and reading its counters.

Only the scapy layers needed are imported: "import scapy.all" costs some
20 s in the TCG guest.
"""
import json
import os
from array import array
import random
import socket
import struct
import subprocess
import sys
import time

from scapy.layers.l2 import Ether
from scapy.layers.inet import IP, TCP, IPOption_NOP, fragment  # noqa: F401
from scapy.layers.inet6 import (IPv6, IPv6ExtHdrHopByHop, IPv6ExtHdrFragment,
                                PadN)
from scapy.packet import Raw
from scapy.compat import raw

AOCTL = os.environ.get("AOCTL", "aoctl")
ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4

KIND_EOL, KIND_NOP, KIND_MSS, KIND_MD5, KIND_AO = 0, 1, 2, 19, 29
AO_LEN = 16

# The drop counters of "aoctl -j stats" a hostile segment may move.
DROP_COUNTERS = ("bad_mac", "key_not_found", "ao_required", "malformed",
                 "no_state", "md5_conflict", "icmp_dropped", "key_expired",
                 "key_not_yet_valid", "conn_limit", "tx_error")


# ---- reporting: the scenario turns these lines into TAP ----

def result(ok, desc, diag=None):
    print("RESULT %s %s" % ("ok" if ok else "not_ok", desc), flush=True)
    if diag and not ok:
        for line in str(diag).splitlines():
            print("# " + line, flush=True)


def note(msg):
    print("# " + msg, flush=True)


# ---- tcpao state ----

def aoctl_json(ns, *args):
    out = subprocess.run([AOCTL, "-n", ns, "-j"] + list(args), check=True,
                         stdout=subprocess.PIPE).stdout
    return json.loads(out)


def stats(ns):
    return aoctl_json(ns, "stats")


def conns(ns):
    return aoctl_json(ns, "conn", "show")


def find_conn(ns, lport, rport, fam=None):
    for c in conns(ns):
        if c["local_port"] == lport and c["remote_port"] == rport and \
                (fam is None or c["family"] == fam):
            return c
    return None


def deltas(before, after):
    return {k: after[k] - before[k] for k in DROP_COUNTERS}


def snmp(ns, proto, field):
    """A counter of /proc/net/snmp in netns @ns (e.g. "Tcp", "InCsumErrors")."""
    out = subprocess.run(["ip", "netns", "exec", ns, "cat", "/proc/net/snmp"],
                         check=True, stdout=subprocess.PIPE,
                         universal_newlines=True).stdout.splitlines()
    for i in range(0, len(out) - 1, 2):
        keys, vals = out[i].split(), out[i + 1].split()
        if keys[0] == proto + ":":
            return int(vals[keys.index(field)])
    raise KeyError(proto + " " + field)


# ---- the model of tcpao's input decisions (src/input.c, src/option.c) ----

def opts_parse(b):
    """tcpao_opts_parse(): None when malformed, else (ao offset, md5)."""
    ao, md5, i, n = -1, False, 0, len(b)
    while i < n:
        k = b[i]
        if k == KIND_EOL:
            break
        if k == KIND_NOP:
            i += 1
            continue
        if i + 1 >= n:
            return None
        ln = b[i + 1]
        if ln < 2 or ln > n - i:
            return None
        if k == KIND_AO:
            if ao >= 0 or ln != AO_LEN:
                return None
            ao = i
        elif k == KIND_MD5:
            md5 = True
        i += ln
    return ao, md5


def expect_counter(target, doff, tcpbytes, flags, recv_ids, frag=False):
    """The counter tcpao moves for a segment (or None: it passes to TCP).

    @target: "conn" (a protected, synchronized connection), "listener" (a
    protected peer, no connection: SYNs and strays) or "unprot" (a flow no
    policy protects, no connection).  @tcpbytes: TCP header and payload as
    sent; @doff as in the header; @recv_ids: KeyIDs the victim accepts.
    """
    if frag:
        # An IPv6 first fragment whose rest never comes.  Netfilter's
        # defragmenter (on while tcpao's hooks are) holds one until it
        # expires, unless its length is not a multiple of 8 (only a last
        # fragment's may be): that one it passes on, and tcpao drops it
        # when its flow is, or would be, protected.
        if len(tcpbytes) % 8 and target in ("conn", "listener"):
            return "malformed"
        return None
    thlen = doff * 4
    if thlen < 20 or thlen > len(tcpbytes):
        parsed = None
    else:
        parsed = opts_parse(tcpbytes[20:thlen])
    syn_only = (flags & 0x12) == 0x02
    if target == "conn" or (target == "listener" and syn_only):
        if parsed is None:
            return "malformed"
        ao, md5 = parsed
        if md5:
            return "md5_conflict" if ao >= 0 else "malformed"
        if ao < 0:
            return "ao_required"
        keyid = tcpbytes[20 + ao + 2]
        if keyid not in recv_ids:
            return "key_not_found"
        return "bad_mac"
    if target == "listener":
        if parsed is not None and parsed[0] >= 0:
            return "no_state"
        return "malformed" if parsed is None else None
    # unprotected flow without state
    if parsed is not None and parsed[0] >= 0:
        return "key_not_found" if syn_only else "no_state"
    return None


# ---- crafting ----

def ao_option(keyid, rnext, mac=None, length=AO_LEN):
    """A TCP-AO option; @length other than 16 gives a wrong MAC length."""
    if mac is None:
        mac = random.randbytes(max(length - 4, 0))
    return bytes([KIND_AO, length & 0xFF, keyid, rnext]) + mac[:max(length - 4, 0)]


def md5_option():
    return bytes([KIND_MD5, 18]) + random.randbytes(16)


def pad4(b, fill=KIND_NOP):
    while len(b) % 4:
        b = bytes([fill]) + b
    return b


class Endpoint:
    """Addresses of one side of the topology (IPv4 or IPv6)."""

    def __init__(self, src, dst, smac, dmac):
        self.src, self.dst, self.smac, self.dmac = src, dst, smac, dmac
        self.v6 = ":" in src

    def ether(self):
        return Ether(src=self.smac, dst=self.dmac)


def tcp_segment(ep, sport, dport, seq, ack, flags, opts=b"", payload=b"",
                doff=None, ipopts=None, ext=None, ipid=None, fragid=None):
    """Frame bytes and the TCP bytes as sent.  Options are raw bytes (so
    anything can be said), put after the fixed header; @doff overrides the
    honest data offset.  @ext: "hbh" (IPv6 hop-by-hop header), "atomic"
    (IPv6 atomic fragment), "frag1" (IPv6 first fragment, more follow).
    """
    if doff is None:
        doff = 5 + len(opts) // 4
    tcp = TCP(sport=sport, dport=dport, seq=seq & 0xFFFFFFFF,
              ack=ack & 0xFFFFFFFF, flags=flags, window=502,
              dataofs=doff & 0xF) / Raw(opts + payload)
    if ep.v6:
        ip = IPv6(src=ep.src, dst=ep.dst, hlim=64)
        if ext == "hbh":
            ip = ip / IPv6ExtHdrHopByHop(options=[PadN(optdata=b"\0" * 4)])
        elif ext in ("atomic", "frag1"):
            ip = ip / IPv6ExtHdrFragment(
                offset=0, m=int(ext == "frag1"),
                id=random.getrandbits(32) if fragid is None else fragid)
        pkt = ep.ether() / ip / tcp
    else:
        ip = IP(src=ep.src, dst=ep.dst, ttl=64,
                id=random.getrandbits(16) if ipid is None else ipid)
        if ipopts:
            ip.options = ipopts
        pkt = ep.ether() / ip / tcp
    b = raw(pkt)
    tcpb = raw(pkt[TCP])
    return b, tcpb, doff & 0xF


FLAG_BITS = {"F": 0x01, "S": 0x02, "R": 0x04, "P": 0x08, "A": 0x10,
             "U": 0x20}


def flag_bits(flags):
    return sum(FLAG_BITS[c] for c in flags)


def inet_csum(b):
    """The Internet checksum of @b (RFC 1071), in network order."""
    if len(b) % 2:
        b = bytes(b) + b"\0"
    s = sum(array("H", bytes(b)))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    # Summed in host order: stored in host order it is right on the wire.
    return struct.pack("=H", ~s & 0xFFFF)


class Crafter:
    """Frames from scapy-built templates.

    scapy builds one frame per shape (IPv4 or IPv6, MAC addresses, IP
    options or IPv6 extension headers, length of options plus payload) and
    says where its TCP header is; every frame of that shape is then the
    template with addresses, ports, sequence numbers, data offset, flags,
    options and payload written in and the checksums recomputed, which is
    a few hundred times quicker than building it with scapy under TCG.
    The first frame of every shape is also built by scapy in full and must
    come out byte for byte the same.
    """

    def __init__(self):
        self.cache = {}
        self.checked = 0

    def _template(self, ep, n, ipopts, ext):
        key = (ep.v6, ep.smac, ep.dmac, n, bool(ipopts), ext)
        t = self.cache.get(key)
        new = t is None
        if new:
            frame, tcpb, _ = tcp_segment(ep, 1, 1, 0, 0, "", bytes(n), b"",
                                         doff=5, ipopts=ipopts, ext=ext,
                                         ipid=1)
            t = (frame, len(frame) - len(tcpb))
            self.cache[key] = t
        return t, new

    def segment(self, ep, sport, dport, seq, ack, flags, opts=b"",
                payload=b"", doff=None, ipopts=None, ext=None):
        """Like tcp_segment(), quicker: (frame, TCP bytes, doff)."""
        if doff is None:
            doff = 5 + len(opts) // 4
        body = opts + payload
        (frame, off), new = self._template(ep, len(body), ipopts, ext)
        f = bytearray(frame)
        tcplen = len(frame) - off
        if ep.v6:
            src = socket.inet_pton(socket.AF_INET6, ep.src)
            dst = socket.inet_pton(socket.AF_INET6, ep.dst)
            f[22:38] = src
            f[38:54] = dst
            pseudo = src + dst + struct.pack("!I", tcplen) + b"\0\0\0\x06"
        else:
            src = socket.inet_pton(socket.AF_INET, ep.src)
            dst = socket.inet_pton(socket.AF_INET, ep.dst)
            f[26:30] = src
            f[30:34] = dst
            f[24:26] = b"\0\0"
            f[24:26] = inet_csum(f[14:off])		# the IP header
            pseudo = src + dst + struct.pack("!BBH", 0, 6, tcplen)
        struct.pack_into("!HHIIBBHHH", f, off, sport, dport,
                         seq & 0xFFFFFFFF, ack & 0xFFFFFFFF,
                         (doff & 0xF) << 4, flag_bits(flags), 502, 0, 0)
        f[off + 20:] = body
        f[off + 16:off + 18] = inet_csum(pseudo + f[off:])
        f = bytes(f)
        if new:
            ref, _, _ = tcp_segment(ep, sport, dport, seq, ack, flags, opts,
                                    payload, doff=doff, ipopts=ipopts,
                                    ext=ext, ipid=1,
                                    fragid=struct.unpack(
                                        "!I", frame[off - 4:off])[0]
                                    if ext in ("atomic", "frag1") else None)
            if ref != f:
                raise AssertionError("template frame differs from scapy's")
            self.checked += 1
        return f, f[off:], doff & 0xF


def ipv4_fragments(frame, size=24):
    """Split an IPv4 frame's datagram into fragments of @size bytes."""
    pkt = Ether(frame)
    return [raw(Ether(src=pkt.src, dst=pkt.dst) / f)
            for f in fragment(pkt[IP], fragsize=size)]


# ---- wire ----

class Wire:
    """A raw socket on one interface: send frames in bulk, sniff a flow."""

    def __init__(self, ifname):
        self.ifname = ifname
        self.tx = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
        self.tx.bind((ifname, 0))
        self.tx.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 22)

    def send(self, frames, count=None):
        """Send @count frames cycling through @frames; returns seconds."""
        if count is None:
            count = len(frames)
        n = len(frames)
        send = self.tx.send
        t0 = time.monotonic()
        full, rest = divmod(count, n)
        for _ in range(full):
            for f in frames:
                send(f)
        for f in frames[:rest]:
            send(f)
        return time.monotonic() - t0

    def sniff_tcp(self, saddr, sport, daddr, dport, timeout=10,
                  want_payload=False):
        """The next TCP segment of the flow seen on the interface, as a
        dict (seq, ack, len, flags, window); None on timeout.
        """
        s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                          socket.htons(ETH_P_ALL))
        s.bind((self.ifname, 0))
        s.settimeout(0.5)
        end = time.monotonic() + timeout
        try:
            while time.monotonic() < end:
                try:
                    b = s.recv(65535)
                except socket.timeout:
                    continue
                seg = parse_tcp(b)
                if not seg or seg["saddr"] != saddr or seg["daddr"] != daddr \
                        or seg["sport"] != sport or seg["dport"] != dport:
                    continue
                if want_payload and not seg["len"]:
                    continue
                return seg
        finally:
            s.close()
        return None


def parse_tcp(b):
    if len(b) < 14:
        return None
    et = struct.unpack("!H", b[12:14])[0]
    if et == 0x0800 and len(b) >= 34:
        ihl = (b[14] & 0xF) * 4
        if b[23] != 6:
            return None
        tot = struct.unpack("!H", b[16:18])[0]
        saddr = socket.inet_ntop(socket.AF_INET, b[26:30])
        daddr = socket.inet_ntop(socket.AF_INET, b[30:34])
        t = 14 + ihl
        end = 14 + tot
    elif et == 0x86DD and len(b) >= 54:
        if b[20] != 6:
            return None
        plen = struct.unpack("!H", b[18:20])[0]
        saddr = socket.inet_ntop(socket.AF_INET6, b[22:38])
        daddr = socket.inet_ntop(socket.AF_INET6, b[38:54])
        t = 54
        end = 54 + plen
    else:
        return None
    if len(b) < t + 20:
        return None
    sport, dport, seq, ack, off, flags, win = struct.unpack(
        "!HHIIBBH", b[t:t + 16])
    doff = (off >> 4) * 4
    return {"saddr": saddr, "daddr": daddr, "sport": sport, "dport": dport,
            "seq": seq, "ack": ack, "flags": flags, "window": win,
            "len": end - t - doff}


def status_file(path, timeout=60):
    """Wait for a bgpsess.py --status file: (laddr, lport, raddr, rport)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            with open(path) as f:
                w = f.read().split()
            if w and w[0] == "up":
                return w[1], int(w[2]), w[3], int(w[4])
        except FileNotFoundError:
            pass
        time.sleep(0.1)
    raise SystemExit("no session status in %s" % path)


def arg_map(argv):
    """--key value pairs into a dict (keys without the dashes)."""
    d = {}
    i = 0
    while i < len(argv):
        if not argv[i].startswith("--") or i + 1 >= len(argv):
            sys.exit("bad argument %s" % argv[i])
        d[argv[i][2:]] = argv[i + 1]
        i += 2
    return d
