#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Open one side of a TCP connection with TCP_REPAIR, at chosen sequence
numbers, give tcpao its ISNs and SNEs with TCPAO_SO_REPAIR, then transfer
data both ways.  Run it in two network namespaces with mirrored arguments:

  repair.py LADDR LPORT RADDR RPORT SND_SEQ RCV_SEQ LISN RISN SNE BYTES

Sends BYTES, receives BYTES, prints "sent <sha256> received <sha256>" and
the TCPAO_SO_INFO of the socket.  Starting SND_SEQ near 2**32 makes the
sequence space wrap during the transfer, in both directions.
"""
import hashlib
import socket
import struct
import sys
import threading
import time

SOL_TCP = 6
TCP_REPAIR = 19
TCP_REPAIR_QUEUE = 20
TCP_QUEUE_SEQ = 21
TCP_REPAIR_OPTIONS = 22
TCP_RECV_QUEUE = 1
TCP_SEND_QUEUE = 2
TCPOPT_MSS = 2
TCPOPT_WINDOW = 3
TCPAO_SO_INFO = 5927
TCPAO_SO_REPAIR = 5928
SOL_IP = 0
SOL_IPV6 = 41
INFO_FMT = "=IBBBBB3xII4xQQQ64s"


def main():
    a = sys.argv[1:]
    if len(a) != 10:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    laddr, lport, raddr, rport = a[0], int(a[1]), a[2], int(a[3])
    snd_seq, rcv_seq = int(a[4], 0), int(a[5], 0)
    lisn, risn, sne, total = int(a[6], 0), int(a[7], 0), int(a[8], 0), int(a[9])
    v6 = ":" in laddr
    fam = socket.AF_INET6 if v6 else socket.AF_INET
    level = SOL_IPV6 if v6 else SOL_IP

    s = socket.socket(fam, socket.SOCK_STREAM)
    s.setsockopt(SOL_TCP, TCP_REPAIR, 1)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((laddr, lport))
    s.setsockopt(SOL_TCP, TCP_REPAIR_QUEUE, TCP_SEND_QUEUE)
    # Sequence numbers above 2^31 do not fit Python's int form: bytes.
    s.setsockopt(SOL_TCP, TCP_QUEUE_SEQ, struct.pack("=I", snd_seq))
    s.setsockopt(SOL_TCP, TCP_REPAIR_QUEUE, TCP_RECV_QUEUE)
    s.setsockopt(SOL_TCP, TCP_QUEUE_SEQ, struct.pack("=I", rcv_seq))
    s.connect((raddr, rport))
    # struct tcp_repair_opt { u32 opt_code; u32 opt_val; }
    s.setsockopt(SOL_TCP, TCP_REPAIR_OPTIONS,
                 struct.pack("=IIII", TCPOPT_MSS, 1460,
                             TCPOPT_WINDOW, 7 | (7 << 16)))
    # The SNE of both directions start equal here: SNE of the next byte
    # we send and of the next byte we expect.
    s.setsockopt(level, TCPAO_SO_REPAIR,
                 struct.pack("=IIII", lisn, risn, sne, sne))
    s.setsockopt(SOL_TCP, TCP_REPAIR, 0)

    block = hashlib.sha256(b"wrap").digest() * 2048
    out_h, in_h = hashlib.sha256(), hashlib.sha256()
    got = [0]

    def reader():
        while got[0] < total:
            b = s.recv(1 << 20)
            if not b:
                break
            in_h.update(b)
            got[0] += len(b)

    t = threading.Thread(target=reader)
    t.start()
    sent = 0
    while sent < total:
        n = min(len(block), total - sent)
        s.sendall(block[:n])
        out_h.update(block[:n])
        sent += n
    t.join(300)
    info = s.getsockopt(level, TCPAO_SO_INFO, struct.calcsize(INFO_FMT))
    f = struct.unpack(INFO_FMT, info)
    print("sent", out_h.hexdigest(), "received", in_h.hexdigest(), got[0])
    print("info flags=%#x state=%d keyid=%d rnext=%d snd_sne=%d rcv_sne=%d"
          " good=%d bad=%d signed=%d" % (f[0], f[1], f[2], f[3], f[6], f[7],
                                         f[8], f[9], f[10]))
    time.sleep(1)
    s.close()


if __name__ == "__main__":
    main()
