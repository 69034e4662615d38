#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A transfer from the accepting side: the server writes as soon as it has
accepted, so that the accepted socket's first burst is as large as TCP
makes it (GSO super-packets, before tcpao has told the socket about TCP-AO).

  push.py server ADDR PORT BYTES    accept one connection, send BYTES,
                                    close; print "BYTES SHA256"
  push.py client ADDR PORT          connect, read to EOF; print "BYTES SHA256"
"""
import hashlib
import socket
import sys
import time


def family(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def data(total):
    block = hashlib.sha256(b"tcpao push").digest() * 2048	# 64 KiB
    sent = 0
    i = 0
    while sent < total:
        n = min(len(block), total - sent)
        yield bytes([i & 0xFF]) + block[1:n]
        sent += n
        i += 1


def server(addr, port, total):
    s = socket.socket(family(addr), socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    s.listen(1)
    print("listening", flush=True)
    c, _ = s.accept()
    h = hashlib.sha256()
    for b in data(total):
        c.sendall(b)
        h.update(b)
    c.shutdown(socket.SHUT_WR)
    c.recv(1)
    c.close()
    print(total, h.hexdigest(), flush=True)


def client(addr, port):
    s = socket.socket(family(addr), socket.SOCK_STREAM)
    for _ in range(50):
        try:
            s.connect((addr, port))
            break
        except ConnectionRefusedError:
            time.sleep(0.1)
    h = hashlib.sha256()
    n = 0
    while True:
        b = s.recv(1 << 20)
        if not b:
            break
        h.update(b)
        n += len(b)
    s.close()
    print(n, h.hexdigest(), flush=True)


def main():
    a = sys.argv[1:]
    if len(a) == 4 and a[0] == "server":
        server(a[1], int(a[2]), int(a[3]))
    elif len(a) == 3 and a[0] == "client":
        client(a[1], int(a[2]))
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
