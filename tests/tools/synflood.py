#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A flood of SYNs with bad MACs at a protected listener
(tests/scenarios/hardening/synflood.sh).

Every SYN comes from a different spoofed address of the protected prefix
and port, with its own ISN, the options Linux puts in a SYN (MSS, SACK
permitted, timestamps, window scale) and a TCP-AO option with the KeyID the
listener expects and a random MAC: each one costs the victim a traffic key
derivation and a MAC, and must create nothing.  Frames are built once from
scapy templates (aohostile.Crafter) and sent in bulk on a raw socket.

  synflood.py --iface IF --smac MAC --dmac MAC --dst4 ADDR --net4 A.B.C.
              --dst6 ADDR --net6 PREFIX:: --port P --keyid N --rnext N
              --count N [--v6-percent N] [--distinct N] [--seed N]
              [--min-seconds S] [--until FILE] [--ao yes|no]

--ao no: SYNs without TCP-AO, as a peer with allow-without-tcpao may send
them (tests/scenarios/hardening/unprotected.sh); --keyid and --rnext are then
ignored.

Sends COUNT SYNs, then goes on in rounds of the same frames until S
seconds have passed since the start (a fast machine would otherwise be
done before the scenario looks at the flood) and, with --until, until FILE
exists (the scenario's checks during the flood are done; 600 s at most).  Prints "sending" when it
starts and "SENT N SECONDS" at the end.
"""
import os
import random
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import aohostile as ah  # noqa: E402

A = ah.arg_map(sys.argv[1:])
random.seed(int(A.get("seed", "1")))
COUNT = int(A["count"])
MIN_SECONDS = float(A.get("min-seconds", "0"))
V6 = int(A.get("v6-percent", "0"))
DISTINCT = int(A.get("distinct", "2000"))
AO = A.get("ao", "yes") == "yes"
KEYID, RNEXT = int(A.get("keyid", "0")), int(A.get("rnext", "0"))
UNTIL = A.get("until")
UNTIL_MAX = 600
craft = ah.Crafter()


def syn_options():
    mss = bytes([2, 4, 0x05, 0xB4])
    ts = bytes([4, 2, 8, 10]) + struct.pack("!II", random.getrandbits(32), 0)
    ws = bytes([1, 3, 3, 7])
    if not AO:
        return mss + ts + ws				# 20 bytes
    return mss + ts + ws + ah.ao_option(KEYID, RNEXT)	# 36 bytes


def main():
    frames = []
    for _ in range(min(DISTINCT, COUNT)):
        if random.randrange(100) < V6:
            src = A["net6"] + "%x:%x" % (random.randrange(1, 0xFFFF),
                                         random.randrange(1, 0xFFFF))
            e = ah.Endpoint(src, A["dst6"], A["smac"], A["dmac"])
        else:
            src = A["net4"] + str(random.randrange(10, 251))
            e = ah.Endpoint(src, A["dst4"], A["smac"], A["dmac"])
        f, _, _ = craft.segment(e, random.randrange(1024, 65536),
                                int(A["port"]), random.getrandbits(32), 0,
                                "S", syn_options())
        frames.append(f)
    wire = ah.Wire(A["iface"])
    print("sending", flush=True)
    t0 = time.monotonic()
    wire.send(frames, COUNT)
    sent = COUNT
    # --until FILE: go on until the scenario says its checks during the
    # flood are done (at most UNTIL_MAX seconds), so that a slow host
    # cannot end the flood before them.
    while (time.monotonic() - t0 < MIN_SECONDS or
           (UNTIL and not os.path.exists(UNTIL) and
            time.monotonic() - t0 < UNTIL_MAX)):
        wire.send(frames, len(frames))
        sent += len(frames)
    print("SENT %d %.1f" % (sent, time.monotonic() - t0), flush=True)


if __name__ == "__main__":
    main()
