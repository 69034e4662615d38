#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Malformed and forged TCP segments at a protected connection, a protected
listener and an unprotected connection (tests/scenarios/hardening/segments.sh).

Runs in the attacker's namespace with a raw socket on the link to the
victim.  It learns the live sessions' sequence numbers from the wire, so
that segments aimed at them are in the window, crafts every category with
scapy once (a few hundred distinct frames each), sends them in bulk and
checks, per phase, that the victim's counters moved exactly as tcpao's
rules say (a model of src/input.c and src/option.c, see aohostile.py).
Prints "RESULT ok|not_ok DESC" lines and "# " diagnostics.

  malformed.py --iface IF --smac MAC --dmac MAC --victim NS
               --v4 SRC,DST --v6 SRC,DST --port P --recv-id N --rnext N
               --sess4 STATUS --sess6 STATUS [--unprot STATUS]
               --total N [--part connection|listener|all] [--seed N]
"""
import os
import random
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import aohostile as ah  # noqa: E402

A = ah.arg_map(sys.argv[1:])
random.seed(int(A.get("seed", "5925")))
TOTAL = int(A["total"])
VICTIM = A["victim"]
PORT = int(A["port"])
RECV_ID = int(A["recv-id"])
RNEXT = int(A["rnext"])
src4, dst4 = A["v4"].split(",")
src6, dst6 = A["v6"].split(",")
EP4 = ah.Endpoint(src4, dst4, A["smac"], A["dmac"])
EP6 = ah.Endpoint(src6, dst6, A["smac"], A["dmac"])
wire = ah.Wire(A["iface"])
DISTINCT = 96		# distinct frames per category


CRAFT = ah.Crafter()


def rnd(n):
    return random.randbytes(n)


def payload():
    return rnd(random.choice((0, 0, 0, 1, 19, 48)))


def ts_opt():
    return bytes([1, 1, 8, 10]) + rnd(8)


class Flow:
    """Where a category's segments go: a live session (in its window) or
    the listener (fresh source ports)."""

    def __init__(self, ep, target, sport=None, dport=PORT, seq=0, ack=0):
        self.ep, self.target = ep, target
        self.sport, self.dport, self.seq, self.ack = sport, dport, seq, ack

    def tuple(self):
        if self.sport is not None:
            return self.sport, (self.seq + random.randrange(0, 20000)), \
                self.ack
        # Below the ephemeral range: never a live session's port.
        return random.randrange(1024, 32000), random.getrandbits(32), 0


def good_ao(keyid=None):
    return ah.ao_option(RECV_ID if keyid is None else keyid, RNEXT)


# Each category: (name, share of the total, builder(flow) -> frame spec).
# A spec is (opts, flags, kwargs) for ah.tcp_segment.
def c_ao_len(n):
    return lambda f: (ah.pad4(bytes([ah.KIND_AO, n]) + rnd(max(n - 2, 0) if
                                                           n > 2 else 0)),
                      "A", {})


def c_ao_beyond(f):
    return bytes([1, 1, ah.KIND_AO, 16]) + rnd(4), "A", {}


def c_ao_twice(f):
    return good_ao() + good_ao(), "A", {}


def c_ao_md5(f):
    return bytes([1, 1]) + ah.md5_option() + good_ao(), "A", {}


def c_md5_only(f):
    return bytes([1, 1]) + ah.md5_option(), "A", {}


def c_doff_small(f):
    return good_ao(), "A", {"doff": random.randrange(0, 5)}


def c_doff_big(f):
    return good_ao(), "A", {"doff": 15}


def c_doff_payload(f):
    # The data offset reaches into the payload, which then parses as
    # options (or not).
    return good_ao() + rnd(24), "A", {"doff": 15}


def c_mac_len(f):
    n = random.choice((4, 8, 12, 20, 24))
    return ah.pad4(ah.ao_option(RECV_ID, RNEXT, length=n)), "A", {}


def c_bad_mac(f):
    o = good_ao()
    if random.random() < 0.5:
        o = ts_opt() + o
    return o, random.choice(("A", "PA", "FA")), {}


def c_unknown_key(f):
    k = random.choice([i for i in range(256) if i != RECV_ID])
    return good_ao(k), "A", {}


def c_no_ao(f):
    return random.choice((b"", ts_opt())), "A", {}


def c_random(f):
    return rnd(4 * random.randrange(0, 11)), random.choice(("A", "PA")), {}


def c_random_ao(f):
    n = random.randrange(0, 6)
    junk = rnd(4 * n)
    at = 4 * random.randrange(0, n + 1)
    return junk[:at] + good_ao() + junk[at:], "A", {}


def c_rst(f):
    return random.choice((b"", good_ao())), random.choice(("R", "RA")), {}


def c_syn_on_conn(f):
    return good_ao(), "S", {}


def c_ipopts(f):
    return good_ao(), "A", {"ipopts": [ah.IPOption_NOP()] * 4}


def c_v6ext(ext):
    return lambda f: (good_ao(), "A", {"ext": ext})


def c_syn(opts_fn):
    return lambda f: (opts_fn(), "S", {})


CONN4 = [
    ("ao-length-0", 3, c_ao_len(0)), ("ao-length-1", 3, c_ao_len(1)),
    ("ao-length-3", 3, c_ao_len(3)), ("ao-beyond-header", 3, c_ao_beyond),
    ("two-ao", 3, c_ao_twice), ("ao-with-md5", 3, c_ao_md5),
    ("md5-only", 2, c_md5_only), ("doff-below-5", 3, c_doff_small),
    ("doff-beyond-segment", 3, c_doff_big),
    ("doff-into-payload", 3, c_doff_payload),
    ("wrong-mac-length", 3, c_mac_len), ("bad-mac", 4, c_bad_mac),
    ("unknown-keyid", 3, c_unknown_key), ("no-ao", 3, c_no_ao),
    ("random-options", 6, c_random), ("random-options-with-ao", 4,
                                      c_random_ao),
    ("rst-forged", 2, c_rst), ("syn-on-connection", 1, c_syn_on_conn),
    ("ipv4-options", 1, c_ipopts),
]
CONN6 = [
    ("ao-length-0", 2, c_ao_len(0)), ("two-ao", 1, c_ao_twice),
    ("ao-with-md5", 1, c_ao_md5), ("doff-beyond-segment", 1, c_doff_big),
    ("wrong-mac-length", 1, c_mac_len), ("bad-mac", 2, c_bad_mac),
    ("no-ao", 1, c_no_ao), ("random-options", 3, c_random),
    ("hop-by-hop", 1, c_v6ext("hbh")), ("atomic-fragment", 1,
                                        c_v6ext("atomic")),
    ("first-fragment", 1, c_v6ext("frag1")), ("rst-forged", 1, c_rst),
]
LISTENER = [
    ("syn-no-ao", 1, c_syn(lambda: ts_opt())),
    ("syn-ao-length-0", 1, c_syn(lambda: ah.pad4(bytes([29, 0])))),
    ("syn-ao-with-md5", 1, c_syn(lambda: bytes([1, 1]) + ah.md5_option() +
                                 good_ao())),
    ("syn-bad-mac", 2, c_syn(lambda: good_ao())),
    ("syn-unknown-keyid", 1, c_syn(lambda: good_ao(RECV_ID ^ 0x55))),
    ("syn-random-options", 2, c_syn(lambda: rnd(4 * random.randrange(0, 11)))),
    ("ack-with-ao-no-state", 1, lambda f: (good_ao(), "A", {})),
    ("ack-malformed-no-state", 1, lambda f: (c_ao_len(1)(f)[0], "A", {})),
]
UNPROT = [
    ("ack-with-ao", 1, lambda f: (good_ao(), "A", {})),
    ("ack-with-ao-and-payload", 1, lambda f: (good_ao(), "PA", {})),
]


# The (category, index) of IPv6 fragments the defragmenter passes on to
# tcpao, lone first fragments and atomic fragments (build() fills it), with
# the counter tcpao would count them in.  Netfilter's defragmenter drops
# such a fragment itself, uncounted by tcpao, when a queue of the same
# fragment ID it just gave up on is still around (every send of a frame
# repeats its ID): each may be counted, or dropped before tcpao sees it.
# Either way it never reaches TCP.
lone = {}


def build(flow, cats, share_total, budget):
    """Frames of every category for @flow; returns [(name, frames, count,
    {counter: expected})], with the expectation per send of each frame."""
    out = []
    lone.clear()
    for name, share, fn in cats:
        count = max(1, -(-budget * share // share_total))	# rounded up
        frames, expect = [], {}
        for i in range(min(DISTINCT, count)):
            opts, flags, kw = fn(flow)
            sport, seq, ack = flow.tuple()
            if flags.startswith("S"):
                ack = 0
            pl = payload() if "S" not in flags and "R" not in flags else b""
            frame, tcpb, doff = CRAFT.segment(flow.ep, sport, flow.dport,
                                               seq, ack, flags, opts, pl, **kw)
            fl = tcpb[13]
            frag = kw.get("ext") == "frag1"
            ctr = ah.expect_counter(flow.target, doff, tcpb, fl, [RECV_ID],
                                    frag=frag)
            if kw.get("ext") in ("frag1", "atomic") and ctr:
                lone[(name, i)] = ctr
            if kw.get("ipopts") is None and not flow.ep.v6 and \
                    name == "bad-mac" and i % 8 == 7:
                # A few as IPv4 fragments: reassembled before LOCAL_IN,
                # then verified as one segment.
                frags = ah.ipv4_fragments(frame)
                frames.append(frags)
            else:
                frames.append([frame])
            expect.setdefault(i, ctr)
        out.append((name, frames, count, expect))
    return out


def backlog_drops():
    """Frames the kernel dropped on receive for a full backlog, all CPUs
    (/proc/net/softnet_stat, second column): they never reach tcpao."""
    n = 0
    with open("/proc/net/softnet_stat") as f:
        for line in f:
            n += int(line.split()[1], 16)
    return n


def settled(before, limit=60.0):
    """The victim's counters once they stop moving (1 s without change),
    or after @limit seconds."""
    end = time.monotonic() + limit
    last = ah.stats(VICTIM)
    while time.monotonic() < end:
        time.sleep(1.0)
        now = ah.stats(VICTIM)
        if ah.deltas(before, now) == ah.deltas(before, last):
            return now
        last = now
    return last


def send_phase(label, flow, cats, budget):
    share_total = sum(c[1] for c in cats)
    t0 = time.monotonic()
    built = build(flow, cats, share_total, budget)
    ah.note("%s: built %d categories in %.1f s" % (label, len(built),
                                                  time.monotonic() - t0))
    before = ah.stats(VICTIM)
    drops0 = backlog_drops()
    expected = {k: 0 for k in ah.DROP_COUNTERS}
    sent_segments = 0
    sent_frames = 0
    slack = {}
    t0 = time.monotonic()
    for name, frames, count, expect in built:
        per = [(len(fr), expect[i]) for i, fr in enumerate(frames)]
        # Send @count segments cycling through the distinct ones.
        n = len(frames)
        full, rest = divmod(count, n)
        for j, (nf, ctr) in enumerate(per):
            times = full + (1 if j < rest else 0)
            if ctr:
                expected[ctr] += times
            if (name, j) in lone:
                k = lone[(name, j)]
                slack[k] = slack.get(k, 0) + times
        seg_frames = frames
        for r in range(full):
            for fr in seg_frames:
                for b in fr:
                    wire.tx.send(b)
                    sent_frames += 1
        for fr in seg_frames[:rest]:
            for b in fr:
                wire.tx.send(b)
                sent_frames += 1
        sent_segments += count
    dt = time.monotonic() - t0
    # The victim may still be working through its backlog (a debug kernel
    # under KASAN verifies more slowly than scapy sends): count once the
    # counters stand still.
    after = settled(before)
    got = ah.deltas(before, after)
    lost = backlog_drops() - drops0
    ah.note("%s: %d segments (%d frames) in %.1f s, %.0f/s; counters "
            "settled %.1f s later; backlog drops %d" %
            (label, sent_segments, sent_frames, dt,
             sent_frames / max(dt, 1e-6), time.monotonic() - t0 - dt, lost))
    ah.note("%s: expected %s" % (label, {k: v for k, v in expected.items() if v}))
    ah.note("%s: counted  %s" % (label, {k: v for k, v in got.items() if v}))
    # Fragments the defragmenter dropped itself: fewer in their counter.
    unseen = 0
    for k, n in slack.items():
        short = expected[k] - got.get(k, 0)
        if 0 < short <= n:
            ah.note("%s: %d of %d IPv6 fragments (lone first or atomic) "
                    "counted as %s dropped by the defragmenter before "
                    "tcpao" % (label, short, n, k))
            got = dict(got, **{k: expected[k]})
            unseen += short
    ah.result(got == expected,
              "%s: %d hostile segments, each dropped and counted as the "
              "rules say" % (label, sent_segments),
              "expected %s\ncounted %s\nbacklog drops (never reached "
              "tcpao) %d" % (expected, got, lost))
    return sent_segments, sent_frames, sum(expected.values()), unseen


def session_flow(ep, status, target):
    laddr, lport, raddr, rport = ah.status_file(status)
    seg = wire.sniff_tcp(laddr, lport, raddr, rport, timeout=20)
    if not seg:
        ah.result(False, "learned the sequence numbers of %s:%d" %
                  (laddr, lport), "no segment of the session seen")
        sys.exit(1)
    ah.note("session %s:%d -> %s:%d seq %u ack %u" % (laddr, lport, raddr,
                                                   rport, seg["seq"],
                                                   seg["ack"]))
    return Flow(ep, target, sport=lport, dport=rport,
                seq=seg["seq"] + seg["len"], ack=seg["ack"]), lport, rport


def main():
    total = 0
    frames = 0
    results = {}
    part = A.get("part", "all")
    f4, lport4, rport4 = session_flow(EP4, A["sess4"], "conn")
    f6, lport6, rport6 = session_flow(EP6, A["sess6"], "conn")
    c4_before = ah.find_conn(VICTIM, rport4, lport4, "inet")
    c6_before = ah.find_conn(VICTIM, rport6, lport6, "inet6")
    plan = []
    if part in ("all", "connection"):
        # Of this part: IPv4 70%, IPv6 27%, bad checksums 3%.
        plan += [("protected connection (IPv4)", f4, CONN4, TOTAL * 70 // 100),
                 ("protected connection (IPv6)", f6, CONN6, TOTAL * 27 // 100)]
        csum_n = TOTAL - TOTAL * 70 // 100 - TOTAL * 27 // 100
    if part in ("all", "listener"):
        fu, _, _ = session_flow(EP4, A["unprot"], "unprot")
        # Of this part: listener IPv4 45%, IPv6 30%, unprotected 25%.
        plan += [("protected listener (IPv4)", Flow(EP4, "listener"),
                  LISTENER, TOTAL * 45 // 100),
                 ("protected listener (IPv6)", Flow(EP6, "listener"),
                  LISTENER, TOTAL * 30 // 100),
                 ("unprotected connection", fu, UNPROT,
                  TOTAL - TOTAL * 45 // 100 - TOTAL * 30 // 100)]
    for label, flow, cats, budget in plan:
        s, fr, dropped, unseen = send_phase(label, flow, cats, budget)
        total += s
        frames += fr
        results[label] = dropped - unseen

    if part in ("all", "connection"):
        # Bad TCP checksums: not an authentication failure, TCP's to drop.
        n = max(csum_n, 10)
        csum = []
        for _ in range(DISTINCT):
            sport, seq, ack = f4.tuple()
            b, tcpb, doff = CRAFT.segment(EP4, sport, f4.dport, seq, ack,
                                          "A", good_ao(), payload())
            b = bytearray(b)
            b[14 + 20 + 16] ^= 0x5A		# the checksum's first byte
            csum.append(bytes(b))
        before = ah.stats(VICTIM)
        e0 = ah.snmp(VICTIM, "Tcp", "InCsumErrors")
        wire.send(csum, n)
        got = ah.deltas(before, ah.stats(VICTIM))
        e1 = ah.snmp(VICTIM, "Tcp", "InCsumErrors")
        total += n
        frames += n
        ah.result(not any(got.values()) and e1 - e0 == n,
                  "%d segments with bad TCP checksums are left to TCP (not "
                  "counted as authentication failures)" % n,
                  "tcpao counters %s, TCP InCsumErrors +%d" % (got, e1 - e0))

    # Every segment aimed at a session went to its connection's bad count
    # (and those aimed elsewhere to none).
    for fam, lp, rp, label, before_c in (
            ("inet", lport4, rport4, "protected connection (IPv4)",
             c4_before),
            ("inet6", lport6, rport6, "protected connection (IPv6)",
             c6_before)):
        c = ah.find_conn(VICTIM, rp, lp, fam)
        bad = c["bad"] - before_c["bad"] if c and before_c else None
        want = results.get(label, 0)
        ah.result(bad == want,
                  "%s: the connection's own drop count grew by exactly the "
                  "%d segments aimed at it" % (label, want),
                  "bad grew by %s" % bad)
    ah.note("TOTAL %d hostile segments in %d frames (%d frame shapes "
            "checked against scapy)" % (total, frames, CRAFT.checked))
    print("TOTAL %d" % total, flush=True)


if __name__ == "__main__":
    main()
