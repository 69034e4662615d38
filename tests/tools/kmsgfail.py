#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""tcpao's kernel log lines for dropped segments, read from /dev/kmsg
(tests/scenarios/operations/failures.sh).

  kmsgfail.py connect NETNS ADDR PORT REGEX WAIT
      From NETNS, connect to ADDR:PORT (non-blocking) and measure the time
      from connect() to the first kernel log line matching REGEX; then
      keep reading for WAIT seconds (the SYN is retransmitted meanwhile).
      Prints "elapsed S", "line TEXT", "lport N" and "count N" (the lines
      for this connection, i.e. with its local port, in all).
  kmsgfail.py flood NETNS IFACE SMAC DMAC SRC DST DPORT KEYID COUNT MODE
              [SPORT] SETTLE [AFTER]
      From NETNS, send COUNT TCP segments with a TCP-AO option (KeyID
      KEYID, a random MAC) from SRC to DST:DPORT on IFACE, at layer 2.
      MODE "conn": ACKs of the connection from SPORT (each fails at the
      connection: bad MAC); MODE "flows": SYNs from COUNT different
      source ports (each its own flow, of no connection).  Then read the
      kernel log for SETTLE more seconds.  Prints "seconds S" (sending
      and settling), "lines N" (tcpao's "dropped segment" lines meanwhile)
      and each line as "line TEXT".  With AFTER (flows): AFTER seconds
      later one more such SYN, and "after TEXT" for every kernel log line
      in the second that follows (the rate limit's report).
  kmsgfail.py params NETNS IFACE SMAC DMAC SRC DST DPORT KEYID SPORT
      The module parameters: with log_failures=0, 50 SYNs of new flows
      (KeyID 99) must log nothing ("off N"); with log_interval=2, 20 bad
      MACs at the connection from SPORT (KeyID KEYID), 3 s later 20 more:
      one line each time ("interval N M").  The parameters are restored
      (1 and 60).

/dev/kmsg is read from its end when the tool starts: only what the kernel
logs from then on counts.
"""
import ctypes
import os
import random
import re
import select
import socket
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

CLONE_NEWNET = 0x40000000
DROPPED = re.compile(r"^tcpao: dropped segment: ")


def setns(name):
    libc = ctypes.CDLL(None, use_errno=True)
    fd = os.open("/run/netns/" + name, os.O_RDONLY)
    if libc.setns(fd, CLONE_NEWNET) != 0:
        raise OSError(ctypes.get_errno(), "setns " + name)
    os.close(fd)


class Kmsg:
    """The kernel log from now on, one message at a time."""

    def __init__(self):
        self.fd = os.open("/dev/kmsg", os.O_RDONLY | os.O_NONBLOCK)
        os.lseek(self.fd, 0, os.SEEK_END)

    def read(self, timeout):
        """The text of the next message, or None after @timeout s."""
        end = time.monotonic() + timeout
        while True:
            try:
                rec = os.read(self.fd, 8192).decode(errors="replace")
            except BlockingIOError:
                left = end - time.monotonic()
                if left <= 0:
                    return None
                select.select([self.fd], [], [], left)
                continue
            except OSError:		# EPIPE: overwritten, read on
                continue
            # "PRI,SEQ,USEC,FLAGS;TEXT\n KEY=VALUE..."
            return rec.split(";", 1)[1].split("\n", 1)[0]

    def lines(self, seconds, pattern=DROPPED):
        out = []
        end = time.monotonic() + seconds
        while True:
            left = end - time.monotonic()
            if left <= 0:
                return out
            text = self.read(left)
            if text is not None and pattern.search(text):
                out.append(text)


def connect(ns, addr, port, regex, wait):
    kmsg = Kmsg()
    setns(ns)
    fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.setblocking(False)
    t0 = time.monotonic()
    try:
        s.connect((addr, int(port)))
    except BlockingIOError:
        pass
    lport = s.getsockname()[1]
    pat = re.compile(regex)
    first = None
    while time.monotonic() - t0 < 10:
        text = kmsg.read(10 - (time.monotonic() - t0))
        if text is not None and pat.search(text):
            first = text
            break
    elapsed = time.monotonic() - t0
    if first is None:
        print("elapsed none")
        return 1
    print("elapsed %.3f" % elapsed)
    print("line " + first)
    print("lport %d" % lport)
    mine = re.compile(r"port %d," % lport)
    more = [t for t in kmsg.lines(float(wait)) if mine.search(t)]
    print("count %d" % (1 + len(more)))
    for t in more:
        print("line " + t)
    s.close()
    return 0


class Sender:
    """Frames of one endpoint (scapy only when needed: its import is slow
    under TCG)."""

    def __init__(self, iface, smac, dmac, src, dst, dport):
        global ah
        import aohostile as ah  # noqa: F811
        self.wire = ah.Wire(iface)
        self.craft = ah.Crafter()
        self.ep = ah.Endpoint(src, dst, smac, dmac)
        self.dport = int(dport)

    def frames(self, mode, keyid, count, sport=None):
        """@count frames: "conn" ACKs from @sport (a few hundred, used
        round), or "flows" SYNs from as many source ports."""
        out = []
        if mode == "conn":
            for _ in range(min(count, 256)):
                opt = ah.ao_option(keyid, keyid)
                f, _, _ = self.craft.segment(self.ep, int(sport), self.dport,
                                             random.getrandbits(32),
                                             random.getrandbits(32), "A", opt)
                out.append(f)
        else:
            for p in random.sample(range(1024, 65536), count):
                opt = ah.ao_option(keyid, keyid)
                f, _, _ = self.craft.segment(self.ep, p, self.dport,
                                             random.getrandbits(32), 0, "S",
                                             opt)
                out.append(f)
        return out

    def send(self, kmsg, frames, count):
        """Send in slices, reading the log between them (it is a ring)."""
        got = []
        step = 500
        for i in range(0, count, step):
            if len(frames) < count:
                self.wire.send(frames, count=min(step, count - i))
            else:
                self.wire.send(frames[i:i + step])
            got += kmsg.lines(0.01)
        return got


def flood(ns, iface, smac, dmac, src, dst, dport, keyid, count, mode,
          sport, settle, after=None):
    kmsg = Kmsg()
    setns(ns)
    snd = Sender(iface, smac, dmac, src, dst, dport)
    count, keyid = int(count), int(keyid)
    frames = snd.frames(mode, keyid, count, sport)
    t0 = time.monotonic()
    got = snd.send(kmsg, frames, count)
    got += kmsg.lines(float(settle))
    print("seconds %.3f" % (time.monotonic() - t0))
    print("lines %d" % len(got))
    for t in got:
        print("line " + t)
    if after is not None:
        time.sleep(float(after))
        # Not through send(): its reads keep tcpao's own lines only.
        snd.wire.send(snd.frames("flows", keyid, 1))
        for t in kmsg.lines(1.0, re.compile(".")):
            print("after " + t)
    return 0


def param(name, value):
    with open("/sys/module/tcpao/parameters/" + name, "w") as f:
        f.write(str(value))


def params(ns, iface, smac, dmac, src, dst, dport, keyid, sport):
    kmsg = Kmsg()
    setns(ns)
    snd = Sender(iface, smac, dmac, src, dst, dport)
    try:
        param("log_failures", 0)
        time.sleep(5.5)		# a fresh window of the global limit
        off = snd.send(kmsg, snd.frames("flows", 99, 50), 50)
        off += kmsg.lines(1.0)
        param("log_failures", 1)
        param("log_interval", 2)
        conn = snd.frames("conn", int(keyid), 20, sport)
        first = snd.send(kmsg, conn, 20) + kmsg.lines(3.0)
        second = snd.send(kmsg, conn, 20) + kmsg.lines(0.5)
    finally:
        param("log_failures", 1)
        param("log_interval", 60)
    print("off %d" % len(off))
    print("interval %d %d" % (len(first), len(second)))
    for t in off + first + second:
        print("line " + t)
    return 0


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "connect":
        return connect(*args)
    if cmd == "flood":
        if args[9] == "conn":
            return flood(*args)
        return flood(*args[:10], None, *args[10:])
    if cmd == "params":
        return params(*args)
    raise SystemExit(__doc__)


if __name__ == "__main__":
    sys.exit(main())
