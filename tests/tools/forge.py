#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Forged RSTs and ICMP hard errors at protected sessions, with controls
(tests/scenarios/hardening/resets.sh).

Runs in the attacker's namespace with a raw socket on the link to the
victim.  For each protected session (--prot NAME,...): RSTs carrying the
exact sequence number the victim expects next (what RFC 5961 lets reset a
connection), RST+ACK, RSTs elsewhere in the window, each without TCP-AO
and with a bad MAC; ICMP port and protocol unreachable (IPv4) and
administratively prohibited and port unreachable (IPv6) quoting the
victim's own next sequence number (what Linux acts on); "fragmentation
needed" (a hard error too, RFC 5925 7.8), which must be dropped as well,
and ICMPv6 "packet too big", which must pass.  The victim's counters must
move by exactly that many.

Then the same forgeries at unprotected sessions (--ctl-rst, --ctl-icmp):
each must fail (the scenario checks how), which shows the forgeries were
good enough to hurt.  Prints "RESULT ok|not_ok DESC" lines.

  forge.py --iface IF --smac MAC --dmac MAC --victim NS --recv-id N
           --rnext N --dir STATUS_DIR --count N
           --prot s4,s6 --ctl-rst c4,c6 --ctl-icmp i4,i6
"""
import os
import random
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import aohostile as ah  # noqa: E402
from scapy.layers.inet import IP, ICMP  # noqa: E402
from scapy.layers.inet6 import IPv6, ICMPv6DestUnreach, ICMPv6PacketTooBig  # noqa: E402
from scapy.compat import raw  # noqa: E402

A = ah.arg_map(sys.argv[1:])
random.seed(5926)
VICTIM = A["victim"]
RECV_ID, RNEXT = int(A["recv-id"]), int(A["rnext"])
COUNT = int(A["count"])
wire = ah.Wire(A["iface"])
CRAFT = ah.Crafter()


def session(name):
    laddr, lport, raddr, rport = ah.status_file(os.path.join(A["dir"],
                                                             name + ".status"))
    return laddr, lport, raddr, rport


def ep(laddr, raddr):
    return ah.Endpoint(laddr, raddr, A["smac"], A["dmac"])


def next_seq(laddr, lport, raddr, rport, last="out"):
    """What the victim expects from us next, and what it sends next, as
    fresh as can be: returns right after seeing a segment of direction
    @last ("out": ours, "back": the victim's) that followed one of the
    other, so that the numbers are used before the session moves on.
    """
    s = ah.socket.socket(ah.socket.AF_PACKET, ah.socket.SOCK_RAW,
                         ah.socket.htons(ah.ETH_P_ALL))
    s.bind((A["iface"], 0))
    s.settimeout(0.5)
    out = back = None
    end = time.monotonic() + 30
    try:
        while time.monotonic() < end:
            try:
                seg = ah.parse_tcp(s.recv(65535))
            except ah.socket.timeout:
                continue
            if not seg:
                continue
            if (seg["saddr"], seg["sport"], seg["daddr"], seg["dport"]) == \
                    (laddr, lport, raddr, rport):
                out = seg
                if last == "out" and back:
                    break
            elif (seg["saddr"], seg["sport"], seg["daddr"], seg["dport"]) \
                    == (raddr, rport, laddr, lport):
                back = seg
                if last == "back" and out:
                    break
        else:
            return None
    finally:
        s.close()
    return (out["seq"] + out["len"]) & 0xFFFFFFFF, \
        (back["seq"] + back["len"]) & 0xFFFFFFFF


def rsts(name, n, retried=False):
    """Forged RSTs at session @name; returns {counter: expected}.  Not
    learning the sequence numbers fails a case, unless the caller tries
    again (@retried) and judges the outcome itself."""
    laddr, lport, raddr, rport = session(name)
    seqs = next_seq(laddr, lport, raddr, rport)
    if not seqs:
        if not retried:
            ah.result(False, "%s: learned the sequence numbers" % name)
        return {}
    rcv_nxt, snd_nxt = seqs
    e = ep(laddr, raddr)
    frames, expect = [], {"ao_required": 0, "bad_mac": 0}
    kinds = [
        ("R", 0, b""), ("RA", 0, b""), ("R", 1, b""), ("R", 5000, b""),
        ("R", 0, ah.ao_option(RECV_ID, RNEXT)),
        ("RA", 0, ah.ao_option(RECV_ID, RNEXT)),
        ("R", 3, ah.ao_option(RECV_ID, RNEXT)),
    ]
    for i in range(n):
        flags, off, opts = kinds[i % len(kinds)]
        if opts:
            opts = ah.ao_option(RECV_ID, RNEXT)	# a fresh bad MAC
        f, _, _ = CRAFT.segment(e, lport, rport, rcv_nxt + off, snd_nxt,
                                flags, opts)
        frames.append(f)
        expect["bad_mac" if opts else "ao_required"] += 1
    wire.send(frames)
    return expect


def icmp_frames(laddr, lport, raddr, rport, snd_nxt, kinds):
    """ICMP errors as a router on the path (here: the peer's address)
    would send them to the victim, quoting the victim's segment."""
    out = []
    e = ep(laddr, raddr)
    if ":" in laddr:
        inner = IPv6(src=raddr, dst=laddr, hlim=64, nh=6) / raw(
            CRAFT.segment(ep(raddr, laddr), rport, lport, snd_nxt, 0, "A")
            [1][:20])
        for kind in kinds:
            if kind == "ptb":
                icmp = ICMPv6PacketTooBig(mtu=1280)
            else:
                icmp = ICMPv6DestUnreach(code=kind)
            out.append(raw(e.ether() / IPv6(src=laddr, dst=raddr,
                                            hlim=64) / icmp / raw(inner)))
    else:
        inner = IP(src=raddr, dst=laddr, ttl=64, id=1, proto=6) / raw(
            CRAFT.segment(ep(raddr, laddr), rport, lport, snd_nxt, 0, "A")
            [1][:20])
        for kind in kinds:
            if kind == "fragneeded":
                icmp = ICMP(type=3, code=4, nexthopmtu=576)
            else:
                icmp = ICMP(type=3, code=kind)
            out.append(raw(e.ether() / IP(src=laddr, dst=raddr, ttl=64) /
                           icmp / raw(inner)[:28]))
    return out


def icmps(name, n, retried=False):
    laddr, lport, raddr, rport = session(name)
    seqs = next_seq(laddr, lport, raddr, rport, last="back")
    if not seqs:
        if not retried:
            ah.result(False, "%s: learned the sequence numbers" % name)
        return 0
    hard = (1, 4) if ":" in laddr else (2, 3)
    frames = icmp_frames(laddr, lport, raddr, rport, seqs[1], hard)
    wire.send(frames, n)
    return n


def pmtu(name):
    laddr, lport, raddr, rport = session(name)
    seqs = next_seq(laddr, lport, raddr, rport, last="back")
    kind = "ptb" if ":" in laddr else "fragneeded"
    wire.send(icmp_frames(laddr, lport, raddr, rport, seqs[1], [kind]), 3)
    return 3


def wait_fail(name, timeout=8):
    p = os.path.join(A["dir"], name + ".fail")
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if os.path.exists(p):
            return open(p).read().strip()
        time.sleep(0.2)
    return None


def main():
    prot = A["prot"].split(",")
    total = 0
    for name in prot:
        before = ah.stats(VICTIM)
        exp = rsts(name, COUNT)
        got = ah.deltas(before, ah.stats(VICTIM))
        want = {k: 0 for k in ah.DROP_COUNTERS}
        want.update(exp)
        total += sum(exp.values())
        ah.note("%s RSTs: expected %s, counted %s" % (name, exp, {
            k: v for k, v in got.items() if v}))
        ah.result(got == want, "%s: %d forged RSTs (exact sequence number, "
                  "in the window; no TCP-AO, bad MAC) dropped and counted" %
                  (name, sum(exp.values())), "counted %s" % got)

        before = ah.stats(VICTIM)
        n = icmps(name, COUNT)
        got = ah.deltas(before, ah.stats(VICTIM))
        want = {k: 0 for k in ah.DROP_COUNTERS}
        want["icmp_dropped"] = n
        total += n
        ah.result(got == want, "%s: %d forged ICMP hard errors dropped and "
                  "counted in icmp-dropped" % (name, n), "counted %s" % got)

        before = ah.stats(VICTIM)
        n = pmtu(name)
        got = ah.deltas(before, ah.stats(VICTIM))
        want = {k: 0 for k in ah.DROP_COUNTERS}
        if ":" in session(name)[0]:
            ah.result(got == want, "%s: ICMPv6 packet too big passes "
                      "(path MTU discovery)" % name, "counted %s" % got)
        else:
            want["icmp_dropped"] = n
            total += n
            ah.result(got == want, "%s: ICMP fragmentation needed dropped "
                      "and counted (a hard error of RFC 5925 7.8)" % name,
                      "counted %s" % got)

    # The protected sessions must still be up: let them exchange a few
    # more messages before the controls.
    time.sleep(3)
    for name in prot:
        f = os.path.join(A["dir"], name + ".fail")
        ah.result(not os.path.exists(f), "%s: still up after the forgeries"
                  % name, open(f).read() if os.path.exists(f) else None)

    # Controls: the same forgeries end unprotected sessions.  Up to five
    # tries each, a sniff that sees no segment in time among them (a busy
    # host): the case is the session's end, by the forgeries' error.
    for name in A["ctl-rst"].split(","):
        why = None
        for _ in range(5):
            rsts(name, 3, retried=True)
            why = wait_fail(name, 3)
            if why:
                break
        ah.result(bool(why) and "ECONNRESET" in why,
                  "control: forged RSTs reset the unprotected session %s "
                  "(%s)" % (name, why), why)
    for name in A["ctl-icmp"].split(","):
        why = None
        for _ in range(5):
            icmps(name, 2, retried=True)
            why = wait_fail(name, 3)
            if why:
                break
        # Port unreachable: ECONNREFUSED; protocol unreachable:
        # ENOPROTOOPT; administratively prohibited: EACCES.
        ah.result(bool(why) and any(e in why for e in (
            "ECONNREFUSED", "ENOPROTOOPT", "EACCES")),
                  "control: forged ICMP errors break the unprotected "
                  "session %s (%s)" % (name, why), why)
    print("TOTAL %d" % total, flush=True)


if __name__ == "__main__":
    main()
