#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A long-lived, BGP-like TCP session for scenario tests.

  session.py server ADDR PORT
      accept one connection and echo every line; the line "RST" makes it
      abort the connection (SO_LINGER 0: the kernel sends an RST), EOF makes
      it close normally.
  session.py client ADDR PORT STATUS [--recverr] [--lport N]
      connect (from local port N if given), then every 0.2 s send a line and
      read its echo; write "alive N" to STATUS after each round trip,
      "error NAME" when the connection fails (and exit 1).  Pauses (sends
      nothing, so that sequence numbers stand still) while STATUS.pause
      exists.  Stops and closes
      normally when STATUS.stop exists, or sends "RST" first when
      STATUS.rst exists.  --recverr sets IP_RECVERR / IPV6_RECVERR, so that
      ICMP errors the kernel accepts are reported to the socket.
"""
import errno
import os
import socket
import struct
import sys
import time


def server(addr, port):
    fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    s.listen(4)
    print("listening", flush=True)
    c, peer = s.accept()
    f = c.makefile("rwb", buffering=0)
    while True:
        line = f.readline()
        if not line:
            c.close()
            break
        if line.strip() == b"RST":
            c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                         struct.pack("ii", 1, 0))
            c.close()
            break
        c.sendall(line)
    print("closed", flush=True)


def client(addr, port, status, recverr, lport):
    fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_STREAM)
    if recverr:
        if fam == socket.AF_INET6:
            s.setsockopt(socket.IPPROTO_IPV6, 25, 1)     # IPV6_RECVERR
        else:
            s.setsockopt(socket.IPPROTO_IP, 11, 1)       # IP_RECVERR
    if lport:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("::" if fam == socket.AF_INET6 else "0.0.0.0", lport))
    s.settimeout(10)
    i = 0

    def put(msg):
        with open(status + ".tmp", "w") as st:
            st.write(msg + "\n")
        os.rename(status + ".tmp", status)

    try:
        s.connect((addr, port))
        f = s.makefile("rwb", buffering=0)
        while True:
            while os.path.exists(status + ".pause"):
                time.sleep(0.1)
            if os.path.exists(status + ".rst"):
                s.sendall(b"RST\n")
                time.sleep(1)
                s.sendall(b"after\n")
                f.readline()
                s.sendall(b"after\n")
                time.sleep(1)
                s.recv(1)
            if os.path.exists(status + ".stop"):
                s.shutdown(socket.SHUT_WR)
                f.readline()
                s.close()
                put("closed %d" % i)
                return 0
            msg = b"ping %d\n" % i
            s.sendall(msg)
            if f.readline() != msg:
                raise OSError(errno.EPROTO, "bad echo")
            i += 1
            put("alive %d" % i)
            time.sleep(0.2)
    except OSError as e:
        put("error %s" % errno.errorcode.get(e.errno, str(e)))
        return 1


def main():
    a = sys.argv[1:]
    if len(a) == 3 and a[0] == "server":
        server(a[1], int(a[2]))
    elif len(a) >= 4 and a[0] == "client":
        lport = 0
        if "--lport" in a:
            lport = int(a[a.index("--lport") + 1])
        sys.exit(client(a[1], int(a[2]), a[3], "--recverr" in a, lport))
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
