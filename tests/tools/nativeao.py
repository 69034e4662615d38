#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A TCP transfer over Linux's own TCP-AO or TCP-MD5 (kernels with
CONFIG_TCP_AO, 6.7 and later), for checking that tcpao leaves such sockets
alone.  Keys are set with setsockopt(TCP_AO_ADD_KEY) / (TCP_MD5SIG) on the
listening socket before listen() and on the client before connect().

  nativeao.py server ADDR PORT [--accept N] [KEY...]
      accept one connection (N, one after the other), read each until
      EOF, print for each
      "<bytes> <sha256> good=N bad=N key_not_found=N ao_required=N"
      (the accepted socket's TCP_AO_INFO counters; 0 without TCP-AO)
  nativeao.py client ADDR PORT BYTES [--bind ADDR] [--timeout S] [KEY...]
      connect, send BYTES of pseudo-random data, print the same line for
      what was sent; exit 1 if the connection fails
  nativeao.py probe
      exit 0 if the kernel knows TCP_AO_ADD_KEY, 1 if not

KEY is
  ao:PEER/PLEN:SNDID:RCVID:ALG:SECRET   ALG hmac(sha1) or cmac(aes128)
  md5:PEER/PLEN:SECRET

Written for the test only: the independent native peer of the interop
scenarios is tests/tools/aopeer.c.
"""
import ctypes
import errno
import hashlib
import ipaddress
import os
import socket
import struct
import sys

TCP_MD5SIG_EXT = 32
TCP_AO_ADD_KEY = 38
TCP_AO_INFO = 40
TCP_MD5SIG_FLAG_PREFIX = 1
LIBC = ctypes.CDLL(None, use_errno=True)


def family(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def sockaddr_storage(addr):
    """struct __kernel_sockaddr_storage for ADDR, port 0 (128 bytes)."""
    ip = ipaddress.ip_address(addr)
    if ip.version == 4:
        b = struct.pack("=H", socket.AF_INET) + b"\0\0" + ip.packed
    else:
        b = struct.pack("=H", socket.AF_INET6) + b"\0\0" + b"\0" * 4 + ip.packed
    return b.ljust(128, b"\0")


def set_key(s, spec):
    kind, rest = spec.split(":", 1)
    # The address may be IPv6 (colons): it ends at the "/".
    addr, rest = rest.split("/", 1)
    if kind == "ao":
        plen, sndid, rcvid, alg, secret = rest.split(":", 4)
        key = secret.encode()
        # struct tcp_ao_add: addr, alg_name[64], ifindex, the
        # set_current/set_rnext bits, reserved2, prefix, sndid, rcvid,
        # maclen, keyflags, keylen, key[80]; aligned to 8.
        opt = (sockaddr_storage(addr) + alg.encode().ljust(64, b"\0") +
               struct.pack("=iIHBBBBBB", 0, 0, 0, int(plen), int(sndid),
                           int(rcvid), 12, 0, len(key)) +
               key.ljust(80, b"\0"))
        s.setsockopt(socket.IPPROTO_TCP, TCP_AO_ADD_KEY, opt)
    elif kind == "md5":
        plen, secret = rest.split(":", 1)
        key = secret.encode()
        # struct tcp_md5sig: addr, flags, prefixlen, keylen, ifindex,
        # key[80].
        opt = (sockaddr_storage(addr) +
               struct.pack("=BBHi", TCP_MD5SIG_FLAG_PREFIX, int(plen),
                           len(key), 0) + key.ljust(80, b"\0"))
        s.setsockopt(socket.IPPROTO_TCP, TCP_MD5SIG_EXT, opt)
    else:
        raise SystemExit("unknown key " + spec)


def ao_info(s):
    """getsockopt(TCP_AO_INFO) of socket S: the kernel reads the buffer
    too (its reserved fields must be 0), and Python's getsockopt() hands
    it uninitialised memory, so libc's is called on a zeroed one."""
    buf = ctypes.create_string_buffer(48)
    n = ctypes.c_uint32(48)
    if LIBC.getsockopt(s.fileno(), socket.IPPROTO_TCP, TCP_AO_INFO, buf,
                       ctypes.byref(n)) != 0:
        e = ctypes.get_errno()
        raise OSError(e, os.strerror(e))
    return buf.raw[:n.value]


def counters(s):
    """TCP_AO_INFO's packet counters of socket S, or zeros."""
    try:
        b = ao_info(s)
    except OSError:
        return "good=0 bad=0 key_not_found=0 ao_required=0"
    good, bad, knf, req, _icmp = struct.unpack("=IHBB5Q", b[:48])[4:]
    return "good=%d bad=%d key_not_found=%d ao_required=%d" % (good, bad, knf, req)


def server(addr, port, args):
    count = 1
    keys = []
    i = 0
    while i < len(args):
        if args[i] == "--accept":
            count = int(args[i + 1])
            i += 1
        else:
            keys.append(args[i])
        i += 1
    s = socket.socket(family(addr), socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    for k in keys:
        set_key(s, k)
    s.bind((addr, port))
    s.listen(8)
    print("listening", flush=True)
    for _ in range(count):
        c, _ = s.accept()
        h = hashlib.sha256()
        n = 0
        while True:
            b = c.recv(1 << 20)
            if not b:
                break
            h.update(b)
            n += len(b)
        print(n, h.hexdigest(), counters(c), flush=True)
        c.close()
    s.close()


def client(addr, port, total, args):
    bind = None
    timeout = 20.0
    keys = []
    i = 0
    while i < len(args):
        if args[i] == "--bind":
            bind = args[i + 1]
            i += 1
        elif args[i] == "--timeout":
            timeout = float(args[i + 1])
            i += 1
        else:
            keys.append(args[i])
        i += 1
    s = socket.socket(family(addr), socket.SOCK_STREAM)
    for k in keys:
        set_key(s, k)
    if bind:
        s.bind((bind, 0))
    s.settimeout(timeout)
    try:
        s.connect((addr, port))
    except OSError as e:
        print("connect:", e, flush=True)
        sys.exit(1)
    h = hashlib.sha256()
    seed = hashlib.sha256(b"nativeao").digest()
    block = b"".join(hashlib.sha256(seed + bytes([j])).digest() for j in range(256))
    sent = 0
    while sent < total:
        b = block[:min(len(block), total - sent)]
        s.sendall(b)
        h.update(b)
        sent += len(b)
    s.shutdown(socket.SHUT_WR)
    while s.recv(1 << 16):
        pass
    print(sent, h.hexdigest(), counters(s), flush=True)
    s.close()


def probe():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        ao_info(s)
    except OSError as e:
        # ENOENT: TCP-AO is there, the socket just has no keys
        # (ENOPROTOOPT without CONFIG_TCP_AO).
        sys.exit(0 if e.errno == errno.ENOENT else 1)
    sys.exit(0)


def main(argv):
    if len(argv) >= 1 and argv[0] == "probe":
        probe()
    elif len(argv) >= 3 and argv[0] == "server":
        server(argv[1], int(argv[2]), argv[3:])
    elif len(argv) >= 4 and argv[0] == "client":
        client(argv[1], int(argv[2]), int(argv[3]), argv[4:])
    else:
        sys.stderr.write(__doc__)
        sys.exit(2)


if __name__ == "__main__":
    main(sys.argv[1:])
