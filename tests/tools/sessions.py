#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""BGP-like long-lived TCP sessions for the hardening scenarios.

  sessions.py --dir DIR [--fifo PATH] SPEC...

SPEC is NAME,SERVER_NS,CLIENT_NS,ADDR,PORT[,OPTION...] with options
  recverr        set IP_RECVERR / IPV6_RECVERR on both ends, so that ICMP
                 hard errors reach the application, as a daemon that asks
                 for them would see them
  interval=S     keepalive interval (default 0.5)
  hold=S         hold time (default 30)
  bind           the client binds its socket to keychain "kc" for the
                 server's address with TCPAO_SO_BIND (a socket binding
                 instead of a peer policy)
  delay          open the listener now, connect only on "connect NAME"
                 (FIFO command)
  bulk           a bulk transfer instead: the client sends a checked
                 byte stream as fast as it can, the server verifies it
                 (the hold timer applies to the server end)
  rate=B         bulk: at most B bytes a second

One process runs both ends of every session: it opens each socket in its
network namespace (setns) and serves them all from one loop, which is
much cheaper under TCG than a Python process per end.  The ends exchange
BGP-framed messages (16-byte all-ones marker, length, type): a KEEPALIVE
(19 bytes) every interval and every fifth time an UPDATE of 23-200 bytes
carrying a counter; every message is checked.

A session fails on a framing error, a read or write error (an RST, an
ICMP error through IP_RECVERR), EOF, or when an end received nothing for
the hold time (the BGP hold timer: it catches silently dropped segments).
DIR/NAME.status is written when the session is up ("up CLIENT_ADDR
CLIENT_PORT SERVER_ADDR SERVER_PORT ao FLAGS STATE", the last three from
TCPAO_SO_INFO on the client socket: FLAGS in hex, "ao none" without
tcpao), DIR/NAME.fail as soon as it fails.
--fifo PATH takes "add SPEC" and "connect NAME" lines while running.  SIGTERM or SIGINT close
every session in order (FIN both ways) and print one JSON line per session
({"name", "ok", "client", "server", "error"}, with messages or, for bulk,
bytes); the exit status is 0 if all of them stayed up.
"""
import ctypes
import errno
import json
import os
import select
import signal
import socket
import stat
import struct
import sys
import time

MARKER = b"\xff" * 16
KEEPALIVE, UPDATE = 4, 2
CLONE_NEWNET = 0x40000000
SOL_IP, SOL_IPV6 = 0, 41
TCPAO_SO_BIND = 5925
TCPAO_SO_INFO = 5927
INFO = struct.Struct("=IBBBBB3sII4xQQQ64s")
# A pattern of prime length: a byte lost, doubled or moved shows.
PATTERN = bytes((i * 7 + (i >> 5)) & 0xFF for i in range(65521)) * 2
CHUNK = 16384

libc = ctypes.CDLL(None, use_errno=True)
stop = False
HOME_NS = os.open("/proc/self/ns/net", os.O_RDONLY)


def on_signal(_sig, _frm):
    global stop
    stop = True


def setns(name):
    """Enter netns @name ("-": the one we started in)."""
    fd = HOME_NS if name == "-" else os.open("/run/netns/" + name,
                                              os.O_RDONLY)
    try:
        if libc.setns(fd, CLONE_NEWNET):
            e = ctypes.get_errno()
            raise OSError(e, "setns %s: %s" % (name, os.strerror(e)))
    finally:
        if fd != HOME_NS:
            os.close(fd)


def message(kind, counter):
    if kind == KEEPALIVE:
        return MARKER + struct.pack("!HB", 19, KEEPALIVE)
    n = 23 + (counter * 37) % 178
    body = struct.pack("!I", counter) + bytes((counter + i) & 0xFF
                                              for i in range(n - 23))
    return MARKER + struct.pack("!HB", n, UPDATE) + body


def bind_keychain(s, fam, addr, keychain="kc"):
    """TCPAO_SO_BIND: struct tcpao_bind for a full-length prefix."""
    if fam == socket.AF_INET6:
        a = socket.inet_pton(socket.AF_INET6, addr)
        plen, level = 128, SOL_IPV6
    else:
        a = socket.inet_pton(socket.AF_INET, addr) + bytes(12)
        plen, level = 32, SOL_IP
    b = struct.pack("=HBBI16s64s", fam, plen, 0, 0, a,
                    keychain.encode())
    s.setsockopt(level, TCPAO_SO_BIND, b)


def ao_info(s, fam):
    level = SOL_IPV6 if fam == socket.AF_INET6 else SOL_IP
    try:
        b = s.getsockopt(level, TCPAO_SO_INFO, INFO.size)
    except OSError:
        return "ao none"
    f = INFO.unpack(b)
    return "ao %x %d" % (f[0], f[1])


class End:
    def __init__(self, sess, sock, role):
        self.sess, self.s, self.role = sess, sock, role
        self.sent = self.recv = self.up_out = self.up_in = 0
        self.bytes = 0		# bulk: sent (client) or verified (server)
        self.buf = b""
        self.last_rx = time.monotonic()
        self.next_tx = time.monotonic()
        self.eof = False

    def send_next(self):
        self.sent += 1
        if self.sent % 5 == 0:
            m = message(UPDATE, self.up_out)
            self.up_out += 1
        else:
            m = message(KEEPALIVE, 0)
        self.s.sendall(m)

    def bulk_send(self):
        off = self.bytes % 65521
        try:
            n = self.s.send(PATTERN[off:off + CHUNK])
        except BlockingIOError:
            return
        self.bytes += n

    def feed(self, b):
        self.last_rx = time.monotonic()
        if self.sess.bulk:
            off = self.bytes % 65521
            while b:
                n = min(len(b), CHUNK)
                if b[:n] != PATTERN[off:off + n]:
                    raise ValueError("%s: bulk stream corrupted at byte %d"
                                     % (self.role, self.bytes))
                self.bytes += n
                off = (off + n) % 65521
                b = b[n:]
            return
        self.buf += b
        while len(self.buf) >= 19:
            if self.buf[:16] != MARKER:
                raise ValueError("%s: bad marker" % self.role)
            n, t = struct.unpack("!HB", self.buf[16:19])
            if n < 19 or n > 4096 or t not in (KEEPALIVE, UPDATE):
                raise ValueError("%s: bad header (length %d, type %d)" %
                                 (self.role, n, t))
            if len(self.buf) < n:
                return
            m, self.buf = self.buf[:n], self.buf[n:]
            if t == UPDATE:
                if m != message(UPDATE, self.up_in):
                    raise ValueError("%s: update %d corrupted" %
                                     (self.role, self.up_in))
                self.up_in += 1
            self.recv += 1


class Session:
    def __init__(self, spec, sdir):
        w = spec.split(",")
        self.name, self.sns, self.cns, self.addr = w[0], w[1], w[2], w[3]
        self.port = int(w[4])
        self.recverr = "recverr" in w[5:]
        self.bind = "bind" in w[5:]
        self.delay = "delay" in w[5:]
        self.bulk = "bulk" in w[5:]
        self.interval, self.hold, self.rate = 0.5, 30.0, 0
        for o in w[5:]:
            if o.startswith("rate="):
                self.rate = int(o[5:])
            if o.startswith("interval="):
                self.interval = float(o[9:])
            elif o.startswith("hold="):
                self.hold = float(o[5:])
        self.dir = sdir
        self.fam = socket.AF_INET6 if ":" in self.addr else socket.AF_INET
        self.ends = []
        self.error = None
        self.lst = self.cli = None
        self.t0 = time.monotonic()
        self.open()

    def open(self):
        setns(self.sns)
        self.lst = socket.socket(self.fam, socket.SOCK_STREAM)
        self.lst.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.lst.bind((self.addr, self.port))
        self.lst.listen(4)
        self.lst.setblocking(False)
        setns("-")
        if not self.delay:
            self.connect()

    def connect(self):
        self.delay = False
        self.t0 = time.monotonic()
        setns(self.cns)
        self.cli = socket.socket(self.fam, socket.SOCK_STREAM)
        if self.bind:
            bind_keychain(self.cli, self.fam, self.addr)
        self.cli.setblocking(False)
        self.cli.connect_ex((self.addr, self.port))
        setns("-")

    def prep(self, s):
        if self.recverr:
            if self.fam == socket.AF_INET6:
                s.setsockopt(SOL_IPV6, 25, 1)	# IPV6_RECVERR
            else:
                s.setsockopt(SOL_IP, 11, 1)	# IP_RECVERR
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        s.setblocking(False)

    def established(self):
        return len(self.ends) == 2

    def fail(self, why):
        if len(self.ends) == 2:
            self.totals = [(e.sent, e.recv) for e in self.ends]
        if self.error is None:
            self.error = why
            with open(os.path.join(self.dir, self.name + ".fail"), "w") as f:
                f.write(why + "\n")
        for e in self.ends:
            e.s.close()
        self.ends = []

    def try_establish(self):
        if self.lst is not None:
            try:
                s, _ = self.lst.accept()
                self.prep(s)
                self.ends.append(End(self, s, "server"))
                self.lst.close()
                self.lst = None
            except BlockingIOError:
                pass
        if self.cli is not None and not self.delay:
            err = self.cli.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            if err and err != errno.EINPROGRESS:
                self.fail("connect: %s" % os.strerror(err))
                return
            try:
                self.cli.getpeername()
            except OSError:
                if time.monotonic() - self.t0 > 120:
                    self.fail("connect: no answer in 120 s")
                return
            self.prep(self.cli)
            self.ends.insert(0, End(self, self.cli, "client"))
            self.cli = None
        if self.established():
            c = self.ends[0].s
            la, ra = c.getsockname(), c.getpeername()
            p = os.path.join(self.dir, self.name + ".status")
            with open(p + ".tmp", "w") as f:
                f.write("up %s %d %s %d %s\n" % (la[0], la[1], ra[0], ra[1],
                                                  ao_info(c, self.fam)))
            os.rename(p + ".tmp", p)


def serve(sessions, fifo, sdir):
    while not stop:
        now = time.monotonic()
        rl, wl = [], []
        timeout = 0.5
        for ss in sessions:
            if ss.error:
                continue
            if not ss.established():
                ss.try_establish()
                timeout = 0.05
                continue
            if ss.bulk:
                cli, srv = ss.ends
                if not ss.rate or cli.bytes < (now - ss.t0) * ss.rate:
                    wl.append(cli.s)
                else:
                    timeout = min(timeout, 0.05)
                rl.append(srv.s)
                if now - srv.last_rx > ss.hold:
                    ss.fail("server: hold timer expired (%.0f s)" % ss.hold)
                continue
            for e in ss.ends:
                try:
                    if now >= e.next_tx:
                        e.send_next()
                        e.next_tx = now + ss.interval
                    timeout = min(timeout, max(e.next_tx - now, 0))
                    if now - e.last_rx > ss.hold:
                        raise TimeoutError("%s: hold timer expired "
                                           "(%.0f s)" % (e.role, ss.hold))
                except (OSError, TimeoutError) as x:
                    ss.fail(describe(x))
                    break
                rl.append(e.s)
        if fifo is not None:
            rl.append(fifo)
        try:
            r, w, _ = select.select(rl, wl, [], timeout)
        except (OSError, ValueError):
            continue
        for s in w:
            for ss in sessions:
                if ss.bulk and ss.ends and ss.ends[0].s is s:
                    try:
                        ss.ends[0].bulk_send()
                    except OSError as x:
                        ss.fail(describe(x))
        for s in r:
            if s is fifo:
                for line in os.read(fifo, 4096).decode().splitlines():
                    w = line.split()
                    if len(w) == 2 and w[0] == "add":
                        try:
                            sessions.append(Session(w[1], sdir))
                        except OSError as x:
                            print("# add %s: %s" % (w[1], x), flush=True)
                    elif len(w) == 2 and w[0] == "connect":
                        for ss in sessions:
                            if ss.name == w[1] and ss.delay:
                                ss.connect()
                continue
            for ss in sessions:
                for e in ss.ends:
                    if e.s is s:
                        try:
                            b = s.recv(65536)
                            if not b:
                                raise ConnectionError("%s: EOF" % e.role)
                            e.feed(b)
                        except (OSError, ValueError) as x:
                            ss.fail(describe(x))
                        break


def describe(x):
    if isinstance(x, OSError) and x.errno:
        return "%s (%s)" % (x.strerror, errno.errorcode.get(x.errno, x.errno))
    return str(x) or x.__class__.__name__


def close_all(sessions):
    """FIN from both ends, then each drains until the other's FIN."""
    for ss in sessions:
        if ss.error or not ss.established():
            if not ss.error:
                ss.fail("never established")
            continue
        ss.totals = [(e.sent, e.recv) for e in ss.ends]
        if ss.bulk:
            ss.ends[1].last_rx = time.monotonic()
        try:
            for e in ss.ends:
                e.s.shutdown(socket.SHUT_WR)
            end = time.monotonic() + 20
            while not all(e.eof for e in ss.ends):
                if time.monotonic() > end:
                    raise TimeoutError("no FIN within 20 s")
                r, _, _ = select.select([e.s for e in ss.ends if not e.eof],
                                        [], [], 1)
                for e in ss.ends:
                    if e.s in r:
                        b = e.s.recv(65536)
                        if b:
                            e.feed(b)
                        else:
                            e.eof = True
            ss.totals = [(e.sent, e.recv) for e in ss.ends]
            if ss.bulk:
                c, v = ss.ends
                if c.bytes != v.bytes:
                    raise ValueError("bulk: %d bytes sent, %d received" %
                                     (c.bytes, v.bytes))
                ss.totals = [(c.bytes, 0), (0, v.bytes)]
            for e in ss.ends:
                e.s.close()
        except (OSError, ValueError, TimeoutError) as x:
            ss.fail(describe(x))


def main():
    argv = sys.argv[1:]
    sdir, fifo_path, specs = ".", None, []
    i = 0
    while i < len(argv):
        if argv[i] == "--dir":
            sdir = argv[i + 1]
            i += 1
        elif argv[i] == "--fifo":
            fifo_path = argv[i + 1]
            i += 1
        else:
            specs.append(argv[i])
        i += 1
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    fifo = None
    if fifo_path:
        if os.path.exists(fifo_path) and \
                not stat.S_ISFIFO(os.stat(fifo_path).st_mode):
            sys.exit("sessions.py: %s is not a FIFO" % fifo_path)
        if not os.path.exists(fifo_path):
            os.mkfifo(fifo_path)
        fifo = os.open(fifo_path, os.O_RDWR | os.O_NONBLOCK)
    sessions = [Session(s, sdir) for s in specs]
    print("running", flush=True)
    serve(sessions, fifo, sdir)
    close_all(sessions)
    ok = True
    for ss in sessions:
        t = getattr(ss, "totals", [(0, 0), (0, 0)])
        print(json.dumps({"name": ss.name, "ok": ss.error is None,
                          "client": {"sent": t[0][0], "recv": t[0][1]},
                          "server": {"sent": t[1][0], "recv": t[1][1]},
                          "error": ss.error}), flush=True)
        ok = ok and ss.error is None
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
