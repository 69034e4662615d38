#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Short TCP connections, opened and closed as fast as they go, between
network namespaces (tests/scenarios/hardening/peer_race.sh).

  connstorm.py --seconds S --parallel K [--timeout T]
               listen:NS:ADDR:PORT... connect:NS:ADDR:PORT...

Every listen: spec opens a listener in network namespace NS (setns) that
accepts and closes.  Every connect: spec keeps K non-blocking connection
attempts to ADDR:PORT in flight from NS: an attempt that connects is
closed at once with an RST (SO_LINGER 0, so nothing lingers in
TIME_WAIT), one that has not connected after T seconds (default 2) is
abandoned.  After S seconds it prints, per connect: spec,
"CONNECT NS ADDR PORT connected N failed M", and exits 0.
"""
import ctypes
import os
import selectors
import socket
import struct
import sys
import time

CLONE_NEWNET = 0x40000000
libc = ctypes.CDLL(None, use_errno=True)
HOME_NS = os.open("/proc/self/ns/net", os.O_RDONLY)
LINGER0 = struct.pack("ii", 1, 0)


def in_ns(name, fn):
    """Run fn() in network namespace @name and come back."""
    fd = os.open("/run/netns/" + name, os.O_RDONLY)
    try:
        if libc.setns(fd, CLONE_NEWNET):
            raise OSError(ctypes.get_errno(), "setns " + name)
        return fn()
    finally:
        os.close(fd)
        libc.setns(HOME_NS, CLONE_NEWNET)


def family(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


class Storm:
    def __init__(self, ns, addr, port, parallel, timeout):
        self.ns, self.addr, self.port = ns, addr, port
        self.parallel, self.timeout = parallel, timeout
        self.connected = self.failed = 0
        self.pending = {}

    def start_one(self, sel):
        def mk():
            s = socket.socket(family(self.addr), socket.SOCK_STREAM)
            s.setblocking(False)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, LINGER0)
            s.connect_ex((self.addr, self.port))
            return s
        s = in_ns(self.ns, mk)
        self.pending[s] = time.monotonic() + self.timeout
        sel.register(s, selectors.EVENT_WRITE, self)

    def done(self, sel, s, ok):
        sel.unregister(s)
        del self.pending[s]
        s.close()
        if ok:
            self.connected += 1
        else:
            self.failed += 1


def main():
    args = sys.argv[1:]
    seconds, parallel, timeout = 10.0, 8, 2.0
    specs = []
    while args:
        a = args.pop(0)
        if a == "--seconds":
            seconds = float(args.pop(0))
        elif a == "--parallel":
            parallel = int(args.pop(0))
        elif a == "--timeout":
            timeout = float(args.pop(0))
        else:
            kind, ns, rest = a.split(":", 2)
            addr, port = rest.rsplit(":", 1)
            specs.append((kind, ns, addr, port))
    sel = selectors.DefaultSelector()
    storms = []
    for kind, ns, addr, port in specs:
        addr = addr.strip("[]")
        if kind == "listen":
            def mk(addr=addr, port=port):
                s = socket.socket(family(addr), socket.SOCK_STREAM)
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                s.bind((addr, int(port)))
                s.listen(1024)
                s.setblocking(False)
                return s
            sel.register(in_ns(ns, mk), selectors.EVENT_READ, None)
        else:
            storms.append(Storm(ns, addr, int(port), parallel, timeout))
    print("storming", flush=True)
    end = time.monotonic() + seconds
    for st in storms:
        for _ in range(st.parallel):
            st.start_one(sel)
    while time.monotonic() < end:
        for key, _ in sel.select(0.1):
            s, st = key.fileobj, key.data
            if st is None:
                try:
                    c, _ = s.accept()
                    c.close()
                except OSError:
                    pass
                continue
            err = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            st.done(sel, s, err == 0)
            st.start_one(sel)
        now = time.monotonic()
        for st in storms:
            for s, t in list(st.pending.items()):
                if now > t:
                    st.done(sel, s, False)
                    st.start_one(sel)
    for st in storms:
        print("CONNECT %s %s %d connected %d failed %d" %
              (st.ns, st.addr, st.port, st.connected, st.failed), flush=True)


if __name__ == "__main__":
    main()
