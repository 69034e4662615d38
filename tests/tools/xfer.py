#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Bulk TCP transfer for the scenario tests.

  xfer.py server ADDR PORT [--once] [--echo]
      accept one connection, read until EOF, print "<bytes> <sha256>"
  xfer.py client ADDR PORT BYTES [--chunk N] [--hold SECONDS]
                                  [--seconds S]
      connect, send BYTES of deterministic pseudo-random data, then print
      "<bytes> <sha256>" of what was sent; --hold keeps the connection
      open (idle) for SECONDS after sending before closing; --seconds
      spreads the BYTES evenly over S seconds (a transfer that lasts).

Both sides print the same line when the transfer arrived intact.
"""
import hashlib
import socket
import sys
import time


def family(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def server(addr, port, args):
    s = socket.socket(family(addr), socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    s.listen(8)
    print("listening", flush=True)
    c, _ = s.accept()
    h = hashlib.sha256()
    n = 0
    while True:
        b = c.recv(1 << 20)
        if not b:
            break
        h.update(b)
        n += len(b)
    c.close()
    s.close()
    print(n, h.hexdigest(), flush=True)


def client(addr, port, total, args):
    chunk = 1 << 16
    hold = 0.0
    seconds = 0.0
    i = 0
    while i < len(args):
        if args[i] == "--chunk":
            chunk = int(args[i + 1])
            i += 1
        elif args[i] == "--hold":
            hold = float(args[i + 1])
            i += 1
        elif args[i] == "--seconds":
            seconds = float(args[i + 1])
            i += 1
        i += 1
    s = socket.socket(family(addr), socket.SOCK_STREAM)
    for _ in range(50):
        try:
            s.connect((addr, port))
            break
        except ConnectionRefusedError:
            time.sleep(0.1)
    else:
        s.connect((addr, port))
    h = hashlib.sha256()
    # Deterministic, incompressible-looking data without os.urandom cost.
    block = hashlib.sha256(b"tcpao").digest() * (chunk // 32 + 1)
    sent = 0
    seq = 0
    start = time.time()
    while sent < total:
        if seconds:
            due = start + seconds * sent / total
            if due > time.time():
                time.sleep(due - time.time())
        n = min(chunk, total - sent)
        data = bytes([seq & 0xFF]) + block[1:n]
        s.sendall(data[:n])
        h.update(data[:n])
        sent += n
        seq += 1
    if hold:
        time.sleep(hold)
    s.shutdown(socket.SHUT_WR)
    s.recv(1)
    s.close()
    print(sent, h.hexdigest(), flush=True)


def main():
    a = sys.argv[1:]
    if len(a) >= 3 and a[0] == "server":
        server(a[1], int(a[2]), a[3:])
    elif len(a) >= 4 and a[0] == "client":
        client(a[1], int(a[2]), int(a[3]), a[4:])
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
