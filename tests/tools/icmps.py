#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""ICMP errors of every kind TCP acts on, at protected sessions and at
unprotected ones (tests/scenarios/hardening/icmp.sh).

Runs in the attacker's namespace with a raw socket on the link to the
victim.  Sessions come from sessions.py (both ends with IP_RECVERR /
IPV6_RECVERR, so that the application learns of every error TCP accepts):
for kind number I, pI is protected and cI is not.  Each error quotes the
victim's own next sequence number, learned from the wire just before
(what Linux checks: an ICMP error outside the window is ignored), as a
router on the path would send it.

  icmps.py --iface IF --smac MAC --dmac MAC --victim NS --dir STATUS_DIR
           --kinds FAM:NAME:TYPE:CODE[:pass],...

The Ith kind (from 1) goes at sessions pI and cI.  Kinds marked pass must
reach TCP even for protected sessions (IPv6 packet too big); the others
must be dropped and counted in icmp-dropped for protected sessions.  Prints "RESULT ok|not_ok DESC" lines; the scenario
checks the sessions' fate and path MTUs itself.
"""
import os
import random
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import aohostile as ah  # noqa: E402
from scapy.layers.inet import IP, ICMP  # noqa: E402
from scapy.layers.inet6 import (IPv6, ICMPv6DestUnreach,  # noqa: E402
                                ICMPv6PacketTooBig, ICMPv6TimeExceeded,
                                ICMPv6ParamProblem)
from scapy.compat import raw  # noqa: E402

A = ah.arg_map(sys.argv[1:])
random.seed(5925)
VICTIM = A["victim"]
COPIES = 3
wire = ah.Wire(A["iface"])
CRAFT = ah.Crafter()


def session(name):
    return ah.status_file(os.path.join(A["dir"], name + ".status"))


def next_seq(laddr, lport, raddr, rport):
    """The victim's (raddr) next sequence number, fresh: returns right
    after a victim segment that followed one of ours."""
    s = ah.socket.socket(ah.socket.AF_PACKET, ah.socket.SOCK_RAW,
                         ah.socket.htons(ah.ETH_P_ALL))
    s.bind((A["iface"], 0))
    s.settimeout(0.5)
    ours = False
    end = time.monotonic() + 30
    try:
        while time.monotonic() < end:
            try:
                seg = ah.parse_tcp(s.recv(65535))
            except ah.socket.timeout:
                continue
            if not seg:
                continue
            t = (seg["saddr"], seg["sport"], seg["daddr"], seg["dport"])
            if t == (laddr, lport, raddr, rport):
                ours = True
            elif t == (raddr, rport, laddr, lport) and ours:
                return (seg["seq"] + seg["len"]) & 0xFFFFFFFF
    finally:
        s.close()
    return None


def icmp_frame(name, itype, icode):
    """The error (from the attacker's address) about the victim's next
    segment of session @name, or None."""
    laddr, lport, raddr, rport = session(name)
    seq = next_seq(laddr, lport, raddr, rport)
    if seq is None:
        return None
    e = ah.Endpoint(laddr, raddr, A["smac"], A["dmac"])
    inner = raw(CRAFT.segment(ah.Endpoint(raddr, laddr, A["smac"],
                                          A["dmac"]),
                              rport, lport, seq, 0, "A")[1][:20])
    if ":" in laddr:
        inner = IPv6(src=raddr, dst=laddr, hlim=64, nh=6,
                     plen=len(inner)) / inner
        if itype == 1:
            icmp = ICMPv6DestUnreach(code=icode)
        elif itype == 2:
            icmp = ICMPv6PacketTooBig(mtu=1280)
        elif itype == 3:
            icmp = ICMPv6TimeExceeded(code=icode)
        else:
            icmp = ICMPv6ParamProblem(code=icode, ptr=6)
        return raw(e.ether() / IPv6(src=laddr, dst=raddr, hlim=64) / icmp /
                   raw(inner))
    inner = IP(src=raddr, dst=laddr, ttl=64, id=1, proto=6,
               len=20 + len(inner)) / inner
    if itype == 3 and icode == 4:
        icmp = ICMP(type=3, code=4, nexthopmtu=1280)
    elif itype == 12:
        icmp = ICMP(type=12, code=icode, ptr=8)
    else:
        icmp = ICMP(type=itype, code=icode)
    return raw(e.ether() / IP(src=laddr, dst=raddr, ttl=64) / icmp /
               raw(inner)[:28])


def fails(name, timeout=3):
    p = os.path.join(A["dir"], name + ".fail")
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if os.path.exists(p):
            return open(p).read().strip()
        time.sleep(0.2)
    return None


def main():
    for i, k in enumerate(A["kinds"].split(",")):
        fam, name, itype, icode = k.split(":")[:4]
        itype, icode = int(itype), int(icode)
        passes = k.endswith(":pass")
        pmtu = (fam, itype, icode) == ("4", 3, 4) or (fam, itype) == ("6", 2)
        n = i + 1
        before = ah.stats(VICTIM)
        f = icmp_frame("p%d" % n, itype, icode)
        if f is None:
            ah.result(False, "IPv%s %s: learned where p%d stands" %
                      (fam, name, n))
            continue
        wire.send([f], COPIES)
        got = ah.deltas(before, ah.stats(VICTIM))
        want = {c: 0 for c in ah.DROP_COUNTERS}
        if not passes:
            want["icmp_dropped"] = COPIES
        ah.result(got == want,
                  "IPv%s %s (type %d code %d) at protected session p%d: %s"
                  % (fam, name, itype, icode, n,
                     "passes (not counted)" if passes else
                     "dropped, counted in icmp-dropped"),
                  "counted %s" % {c: v for c, v in got.items() if v})
        # The control: the same at the unprotected session, until it
        # takes (a path-MTU message: once, it ends nothing).
        why = None
        for _ in range(1 if pmtu else 5):
            f = icmp_frame("c%d" % n, itype, icode)
            if f is not None:
                wire.send([f], COPIES)
            why = fails("c%d" % n, 1 if pmtu else 3)
            if why:
                break
        print("# control c%d: %s" % (n, why or "still up"), flush=True)


if __name__ == "__main__":
    main()
