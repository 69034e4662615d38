#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The tcpao benchmark, inside the test VM.

bench/run boots the stock kernel with tests/vm/run and runs this script (it
prints TAP, as every VM test does).  It needs root, tcpao.ko ($TCPAO_KO),
aoctl ($AOCTL) and the tcpbench binary (--tcpbench), and writes everything it
measured to $RESULTS/bench.json; bench/report.py turns that into the table
and the chart on the host.

Every case has its own pair of network namespaces joined by a veth pair
("client" and "server"), set up once, so that cases do not see each other's
connections, TIME_WAIT sockets or netfilter hooks.  Repetitions are
interleaved (rep 1 of every case, then rep 2, ...) so that a slow period of
the shared host hits every case alike; each figure is reported as the
median and the spread over the repetitions.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import time

SRC = os.environ.get("TCPAO_SRC", os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
KO = os.environ.get("TCPAO_KO", os.path.join(SRC, "tcpao.ko"))
AOCTL = os.environ.get("AOCTL", os.path.join(SRC, "tools/aoctl/aoctl"))
RESULTS = os.environ.get("RESULTS", "/tmp")
TRACING = "/sys/kernel/debug/tracing"
BENCHFS = "/sys/kernel/debug/tcpao/bench"
PORT = 5001
SECRET = "tcpao-bench-secret"
# Linux's own TCP-AO (kernels with CONFIG_TCP_AO), by the case's kind: the
# algorithm as TCP_AO_ADD_KEY names it.
NATIVE_ALG = {"native-hmac": "hmac(sha1)", "native-cmac": "cmac(aes128)"}
TCP_AO_ADD_KEY = 38

tap_n = 0
tap_failed = 0


def ok(desc, good=True, diag=None):
    global tap_n, tap_failed
    tap_n += 1
    if not good:
        tap_failed += 1
    print(("ok" if good else "not ok") + " %d - %s" % (tap_n, desc))
    if diag:
        for line in str(diag).splitlines():
            print("# " + line)
    sys.stdout.flush()


def diag(msg):
    for line in str(msg).splitlines():
        print("# " + line)
    sys.stdout.flush()


def sh(cmd, check=True, timeout=600, **kw):
    """Run cmd (a list, or a string for the shell); return stdout."""
    r = subprocess.run(cmd, shell=isinstance(cmd, str), capture_output=True,
                       text=True, timeout=timeout, **kw)
    if check and r.returncode:
        raise RuntimeError("%s: exit %d: %s" % (cmd, r.returncode,
                                               r.stderr.strip()[-500:]))
    return r.stdout


def in_ns(ns, *cmd):
    return ["ip", "netns", "exec", ns] + list(cmd)


def aoctl(ns, *args):
    return sh([AOCTL, "-n", ns] + list(args))


def aoctl_batch(ns, lines):
    """Run aoctl commands in ns from one batch file (one exec for
    thousands of them)."""
    path = "/tmp/aoctl-%s.batch" % ns
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    try:
        sh([AOCTL, "-n", ns, "-b", path], timeout=900)
    finally:
        os.unlink(path)


def median(v):
    v = sorted(v)
    n = len(v)
    if not n:
        return None
    return v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2


# ---- the cases ---------------------------------------------------------------

class Pair:
    """Two namespaces, a veth pair, a server, and the protection of a case."""

    def __init__(self, name, idx, kind, policies=1, gso="on"):
        self.name = name
        # plain, md5, hmac-sha-1-96, aes-128-cmac-96 (tcpao),
        # native-hmac, native-cmac (Linux's TCP-AO)
        self.kind = kind
        self.cns = "bc-" + name
        self.sns = "bs-" + name
        self.caddr = "10.%d.0.1" % idx
        self.saddr = "10.%d.0.2" % idx
        self.policies = policies
        self.gso = gso
        self.server = None

    def md5(self, server=False):
        """tcpbench's options for the socket's own protection: kernel
        TCP-MD5, or Linux's TCP-AO with the same KeyIDs as tcpao's
        keychains (client 10/20, server 20/10) and, on the listener, one
        key more for every peer policy beyond the first."""
        if self.kind in NATIVE_ALG:
            return ["--ao", NATIVE_ALG[self.kind], "--ao-key", SECRET,
                    "--ao-ids", "20/10" if server else "10/20"] + (
                        ["--ao-peer", self.caddr, "--ao-extra",
                         str(self.policies - 1)] if server else [])
        if self.kind != "md5":
            return []
        return ["--md5", SECRET] + (["--md5-peer", self.caddr] if server
                                    else [])

    def target(self):
        """The pair as a target of tcpbench lat."""
        t = "%s@%s" % (self.cns, self.saddr)
        if self.kind in NATIVE_ALG:
            t += "=" + NATIVE_ALG[self.kind]
        return t

    def setup(self, tcpbench, threads):
        # One shell per pair: every exec costs a lot under TCG.
        cmds = ["set -e"]
        for ns in (self.cns, self.sns):
            cmds += ["ip netns add %s" % ns,
                     "ip -n %s link set lo up" % ns]
        cmds.append("ip link add v0 netns %s type veth peer name v1 netns %s"
                    % (self.cns, self.sns))
        cmds.append("ip -n %s addr add %s/24 dev v0" % (self.cns, self.caddr))
        cmds.append("ip -n %s addr add %s/24 dev v1" % (self.sns, self.saddr))
        for ns, dev in ((self.cns, "v0"), (self.sns, "v1")):
            cmds.append("ip -n %s link set %s up" % (ns, dev))
            sysctls = [
                # Room for 10,000 held connections plus the CRR churn.
                "net.ipv4.ip_local_port_range='1024 65535'",
                "net.ipv4.tcp_tw_reuse=1", "net.core.somaxconn=8192",
                "net.ipv4.tcp_max_syn_backlog=8192"]
            if self.kind in NATIVE_ALG:
                # Linux charges a listener's keys to its option memory.
                sysctls.append("net.core.optmem_max=1073741824")
            inner = "sysctl -qw " + " ".join(sysctls)
            if self.gso != "on":
                inner += "; ethtool -K %s tso off gso off gro off" % dev
            if self.gso == "segs1":
                # What sk_gso_disable() does to a TCP-MD5 or TCP-AO socket:
                # one MSS per skb (sk_gso_max_segs = 1).  Device offloads
                # off alone do not do it: TCP would still build 64 KB
                # super-packets, segmented in software under it.
                inner += "; ip link set %s gso_max_segs 1" % dev
            cmds.append("ip netns exec %s sh -ec \"%s\"" % (ns, inner))
        sh(["sh", "-c", "\n".join(cmds)])
        self.setup_ao()
        self.tcpbench, self.threads = tcpbench, threads
        self.start_server()

    def start_server(self):
        self.server = subprocess.Popen(
            in_ns(self.sns, self.tcpbench, "server", self.saddr, str(PORT),
                  "-T", str(self.threads)) + self.md5(server=True),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.server.stdout.readline()
        if "listening" not in line:
            raise RuntimeError("server of %s: %s %s" % (
                self.name, line, self.server.stderr.read()))

    def setup_ao(self):
        """Keychains and policies (again after tcpao was reloaded)."""
        if self.kind.startswith(("hmac", "aes")):
            for ns, peer, sid, rid in ((self.cns, self.saddr, 10, 20),
                                       (self.sns, self.caddr, 20, 10)):
                batch = [
                    "limits set conns 200000 peers 200000",
                    "keychain add kc key 0 secret %s send-id %d recv-id %d "
                    "cryptographic-algorithm %s" % (SECRET, sid, rid,
                                                    self.kind),
                    "peer add %s keychain kc" % peer]
                batch += self.extra_policies("add", 1, self.policies)
                aoctl_batch(ns, batch)

    @staticmethod
    def extra_policies(verb, a, b):
        """Batch lines that add or delete the /32 policies beyond the
        first, for the numbers a to b-1 (addresses nobody uses, in
        172.16.0.0/12)."""
        out = []
        for i in range(a - 1, b - 1):
            out.append("peer %s 172.%d.%d.%d%s" % (
                verb, 16 + (i >> 16), (i >> 8) & 255, i & 255,
                " keychain kc" if verb == "add" else ""))
        return out

    def set_policies(self, n):
        """Grow or shrink both ends' policy count to n (Linux's TCP-AO:
        the listener's keys, set by a new server)."""
        if n == self.policies:
            return
        if self.kind in NATIVE_ALG:
            self.stop()
            self.policies = n
            self.start_server()
            return
        if n > self.policies:
            batch = self.extra_policies("add", self.policies, n)
        else:
            batch = self.extra_policies("del", n, self.policies)
        for ns in (self.cns, self.sns):
            aoctl_batch(ns, batch)
        self.policies = n

    def client(self, tcpbench, *args, timeout=600):
        out = sh(in_ns(self.cns, tcpbench, args[0], self.saddr, str(PORT),
                       *args[1:]) + self.md5(), timeout=timeout)
        return json.loads(out.strip().splitlines()[-1])

    def stop(self):
        if self.server:
            self.server.kill()
            self.server.wait()
            self.server = None


# ---- system facts --------------------------------------------------------------

def read(path, default=""):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return default


def system_info():
    cpuinfo = read("/proc/cpuinfo")
    flags = re.search(r"^flags\s*:\s*(.*)$", cpuinfo, re.M)
    model = re.search(r"^model name\s*:\s*(.*)$", cpuinfo, re.M)
    dmesg = sh(["dmesg"], check=False)
    drivers = dict(re.findall(r"tcpao: (\S+) uses (\S+)", dmesg))
    return {
        "kernel": os.uname().release,
        "cpus": os.cpu_count(),
        "cpu_model": model.group(1) if model else None,
        "cpu_flags": [f for f in (flags.group(1).split() if flags else [])
                      if f in ("sse4_2", "ssse3", "avx", "avx2", "aes",
                               "pclmulqdq", "sha_ni", "vaes")],
        "clocksource": read("/sys/devices/system/clocksource/clocksource0/"
                            "current_clocksource").strip(),
        "mem_kb": int(re.search(r"MemTotal:\s*(\d+)",
                                read("/proc/meminfo")).group(1)),
        "tcpao_drivers": drivers,
    }


def load_modules():
    """SIMD crypto first, then tcpao, as udev would have it on a host."""
    loaded = []
    for m in ("sha1_ssse3", "aesni_intel", "cmac", "md5", "sha1_generic",
              "aes_generic"):
        r = subprocess.run(["modprobe", m], capture_output=True, text=True)
        loaded.append((m, r.returncode == 0))
    load_tcpao(KO)
    return loaded


def load_tcpao(ko):
    """tcpao.ko with SHA-1 on its portable C driver (its SIMD code is slow
    under TCG, AES-NI is not), and the in-kernel bench, tcpao_bench.ko, when it was built next to it
    (a baseline tree older than it has the bench in tcpao.ko)."""
    subprocess.run(["rmmod", "tcpao_bench"], capture_output=True)
    subprocess.run(["rmmod", "tcpao"], capture_output=True)
    sh(["insmod", ko, "generic_crypto=hmac-sha-1-96"])
    bench = os.path.join(os.path.dirname(ko), "tcpao_bench.ko")
    if os.path.exists(bench):
        sh(["insmod", bench])


# ---- slab accounting ----------------------------------------------------------

def slab_snapshot():
    caches = {}
    for line in read("/proc/slabinfo").splitlines()[2:]:
        f = line.split()
        # name active_objs num_objs objsize ...
        caches[f[0]] = int(f[1]) * int(f[3])
    mi = read("/proc/meminfo")
    slab = int(re.search(r"^Slab:\s*(\d+)", mi, re.M).group(1)) * 1024
    return {"caches": caches, "slab": slab}


def slab_delta(a, b):
    d = {k: b["caches"].get(k, 0) - a["caches"].get(k, 0)
         for k in set(a["caches"]) | set(b["caches"])}
    return {"slab": b["slab"] - a["slab"],
            "caches_total": sum(d.values()),
            "top": sorted(((k, v) for k, v in d.items() if v),
                          key=lambda kv: -abs(kv[1]))[:12]}


def settle():
    """Let RCU callbacks and deferred frees run before a snapshot."""
    time.sleep(2)
    with open("/proc/sys/vm/drop_caches", "w") as f:
        f.write("2\n")
    time.sleep(1)


# ---- kmalloc accounting over a transfer ---------------------------------------

ALLOC_EVENTS = ("kmalloc", "kmem_cache_alloc", "kmalloc_node",
                "kmem_cache_alloc_node")


def hist_set(on):
    for ev in ALLOC_EVENTS:
        trig = "%s/events/kmem/%s/trigger" % (TRACING, ev)
        if not os.path.exists(trig):
            continue
        with open(trig, "w") as f:
            f.write(("" if on else "!") +
                    "hist:keys=call_site.sym:vals=hitcount:sort=hitcount\n")


def hist_read():
    sites = {}
    for ev in ALLOC_EVENTS:
        path = "%s/events/kmem/%s/hist" % (TRACING, ev)
        if not os.path.exists(path):
            continue
        for m in re.finditer(r"call_site:\s*\[[0-9a-f]+\]\s*(\S+)\s.*?"
                             r"hitcount:\s*(\d+)", read(path)):
            sym = m.group(1)
            sites[sym] = sites.get(sym, 0) + int(m.group(2))
    return sites


def alloc_count(pair, tcpbench, nbytes):
    hist_set(True)
    try:
        r = pair.client(tcpbench, "bulk", "-B", str(nbytes))
    finally:
        sites = hist_read()
        hist_set(False)
    total = sum(sites.values())
    segs = nbytes / 1448.0
    ours = {k: v for k, v in sites.items() if k.startswith("tcpao")}
    return {"bytes": nbytes, "segments": int(segs), "allocs": total,
            "allocs_per_segment": total / segs, "tcpao_sites": ours,
            "top": sorted(sites.items(), key=lambda kv: -kv[1])[:10],
            "mbit_s": r["mbit_s"]}


# ---- the in-module per-segment bench ------------------------------------------

def setup_kbench(ns):
    """Keychains whose key has send-id == recv-id: the bench's two entries
    (both ends of one flow) share them."""
    for kc, alg in (("bench-hmac", "hmac-sha-1-96"),
                    ("bench-cmac", "aes-128-cmac-96")):
        aoctl(ns, "keychain", "add", kc, "key", "0", "secret", SECRET,
              "send-id", "5", "recv-id", "5", "cryptographic-algorithm", alg)


def kbench(ns, keychain, iters, length=1448):
    # nsenter, not ip netns exec: that one mounts a sysfs of its own, which
    # hides debugfs.
    enter = ["nsenter", "--net=/run/netns/" + ns]
    sh(enter + ["sh", "-c", "echo keychain=%s iterations=%d len=%d > %s" %
                (keychain, iters, length, BENCHFS)])
    out = sh(enter + ["cat", BENCHFS]).strip()
    res = {}
    for tok in out.split():
        k, _, v = tok.partition("=")
        res[k] = int(v) if v.isdigit() else v
    if "error" in res:
        raise RuntimeError("kernel bench: " + out)
    return res


# ---- the connection dump at scale ---------------------------------------------

def dump_scale(conndump, sizes, reps):
    """tests/tools/conndump in a namespace of its own: one SYN per entry
    through a dummy device to a protected /24 (tcpao's output hook makes
    the entry), the table grown to each size in turn and dumped reps times
    at each (see tests/scenarios/operations/conn_dump_scale.sh).  Returns its lines."""
    ns = "bds"
    sh(["sh", "-c", "\n".join([
        "set -e",
        "ip netns add %s" % ns,
        "ip -n %s link set lo up" % ns,
        "ip -n %s link add d0 type dummy" % ns,
        "ip -n %s link set d0 up" % ns,
        "ip -n %s addr add 10.200.0.1/24 dev d0" % ns,
        "ip -n %s route add 10.201.0.0/24 dev d0" % ns])])
    try:
        aoctl_batch(ns, [
            "keychain add kc key 0 secret %s send-id 1 recv-id 2" % SECRET,
            "peer add 10.201.0.0/24 keychain kc"])
        r = subprocess.run(
            in_ns(ns, conndump, "scale", "10.200.0.1", "10.201.0.0",
                  "--sizes", sizes, "--reps", str(reps)),
            capture_output=True, text=True, timeout=1500)
        lines = [json.loads(l) for l in r.stdout.splitlines()
                 if l.startswith("{")]
        return {"rc": r.returncode, "stderr": r.stderr[-2000:],
                "sizes": [l for l in lines if "size" in l],
                "ratios": next((l for l in lines if "sizes" in l), {})}
    finally:
        # Its 65,536 entries go with the namespace.
        sh(["ip", "netns", "del", ns], check=False)


# ---- main ------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tcpbench", required=True)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--bulk-seconds", type=float, default=3)
    ap.add_argument("--bulk-warmup", type=float, default=0.5)
    ap.add_argument("--crr-seconds", type=float, default=2)
    ap.add_argument("--lat-count", type=int, default=150)
    ap.add_argument("--hold", type=int, default=10000)
    ap.add_argument("--policies", default="1,1000,100000")
    ap.add_argument("--seg-iters", type=int, default=5000)
    ap.add_argument("--alloc-bytes", type=int, default=30000000)
    ap.add_argument("--profile", action="store_true")
    ap.add_argument("--profile-hz", type=int, default=499)
    ap.add_argument("--profile-seconds", type=float, default=4)
    ap.add_argument("--profile-streams", type=int, default=1)
    ap.add_argument("--baseline-ko", help="tcpao.ko to compare with, "
                    "loaded alternately with $TCPAO_KO (part ab)")
    ap.add_argument("--conndump", default=os.path.join(
        SRC, "build/tools/conndump"))
    ap.add_argument("--dump-sizes", default="16384,32768,65536")
    ap.add_argument("--dump-reps", type=int, default=3)
    ap.add_argument("--parts", default="bulk,crr,policies,conns,segment,"
                    "alloc,dump")
    ap.add_argument("--no-native", action="store_true",
                    help="leave out Linux's own TCP-AO where it exists")
    ap.add_argument("--native-keys-max", type=int, default=10000,
                    help="at most this many keys on a native listener "
                    "(Linux checks a new key against every other one: "
                    "adding n keys takes n^2 / 2 comparisons)")
    a = ap.parse_args()
    parts = set(a.parts.split(","))
    out = {"params": vars(a), "started": time.time()}
    t_start = time.time()

    out["modules"] = load_modules()
    out["system"] = system_info()
    threads = max(1, os.cpu_count() or 1)
    ok("tcpao loaded after the SIMD crypto modules", True,
       json.dumps(out["system"]))
    native = has_native_ao() and not a.no_native
    out["native"] = native
    diag("Linux's own TCP-AO: %s" % ("yes, cases native-hmac and "
                                     "native-cmac" if native else "no"))

    cases = [Pair("plain", 1, "plain"),
             Pair("ethoff", 6, "plain", gso="ethtool"),
             Pair("nogso", 2, "plain", gso="segs1"),
             Pair("md5", 3, "md5"),
             Pair("hmac", 4, "hmac-sha-1-96"),
             Pair("cmac", 5, "aes-128-cmac-96")]
    if native:
        cases += [Pair("native-hmac", 7, "native-hmac"),
                  Pair("native-cmac", 8, "native-cmac")]
    pol_counts = [int(x) for x in a.policies.split(",")]
    # One pair per policy count; the counts rotate over the pairs between
    # repetitions (see run_all).
    pol = [Pair("pol-" + "abcdefgh"[i], 10 + i, "hmac-sha-1-96", policies=n)
           for i, n in enumerate(pol_counts)]
    # Linux's TCP-AO: as many keys on the listener (its lookup walks them).
    if native:
        pol += [Pair("npol-" + "abcdefgh"[i], 30 + i, "native-hmac",
                     policies=min(n, a.native_keys_max))
                for i, n in enumerate(pol_counts)]
    twins = [Pair("holdp", 20, "plain"), Pair("idlep", 22, "plain"),
             Pair("holda", 21, "hmac-sha-1-96"),
             Pair("idlea", 23, "hmac-sha-1-96")]
    if native:
        twins += [Pair("holdn", 24, "native-hmac"),
                  Pair("idlen", 25, "native-hmac")]
    pairs = cases + (pol if "policies" in parts else []) + \
        (twins if "conns" in parts else [])
    out["phase_seconds"] = {}
    t0 = time.time()
    for p in pairs:
        p.setup(a.tcpbench, threads)
    out["phase_seconds"]["setup"] = time.time() - t0
    ok("set up %d namespace pairs" % len(pairs), True,
       "%.1f s" % (time.time() - t0))

    try:
        run_all(a, parts, out, cases, pol, twins)
    finally:
        for p in pairs:
            p.stop()
        # The harness unloads tcpao.ko, which tcpao_bench.ko holds.
        subprocess.run(["rmmod", "tcpao_bench"], capture_output=True)
        out["seconds"] = time.time() - t_start
        with open(os.path.join(RESULTS, "bench.json"), "w") as f:
            json.dump(out, f, indent=1)
    print("1..%d" % tap_n)
    return 1 if tap_failed else 0


def has_native_ao():
    """Linux's own TCP-AO: TCP_AO_ADD_KEY of a valid key takes it, where a
    kernel without it answers ENOPROTOOPT.  (TCP_AO_INFO cannot tell:
    Python's getsockopt hands the kernel an uninitialised buffer, which
    Linux rejects with EINVAL before it looks for keys.)"""
    import socket
    import struct
    addr = struct.pack("=H2x4s120x", socket.AF_INET,
                       socket.inet_aton("127.0.0.1"))
    key = SECRET.encode()
    # struct tcp_ao_add: addr, alg_name[64], ifindex, set_current:1,
    # set_rnext:1, reserved2, prefix, sndid, rcvid, maclen, keyflags,
    # keylen, key[80]; 288 bytes.
    opt = addr + struct.pack("=64siIHBBBBBB80s", b"hmac(sha1)", 0, 0, 0, 32,
                             1, 1, 0, 0, len(key), key)
    with socket.socket() as s:
        try:
            s.setsockopt(socket.IPPROTO_TCP, TCP_AO_ADD_KEY, opt)
        except OSError:
            return False
    return True


def lat(tb, pairs, count):
    """Interleaved handshake latency to each pair's server: per pair, the
    distribution of connect() times (us)."""
    out = sh([tb, "lat", "-", str(PORT), "-n", str(count), "--ao-key",
              SECRET, "--ao-ids", "10/20"] + [p.target() for p in pairs],
             timeout=900)
    r = json.loads(out.strip().splitlines()[-1])["targets"]
    return {p.name: dict(r[p.target()]["connect_us"],
                         errors=r[p.target()]["errors"])
            for p in pairs}


def run_all(a, parts, out, cases, pol, twins):
    tb = a.tcpbench
    held_plain, idle_plain, held_ao, idle_ao = twins[:4]
    held_nat = twins[4:]

    # Handshake latency against the number of policies, first, on fresh
    # namespaces: one client process goes round the pairs, a handshake at
    # a time.  Pairs differ in more than their policies (addresses, hash
    # buckets, their servers' scheduling): in one trial run the pair with
    # 1,000 policies was 40% slower than both others in every repetition;
    # in the next one, with the pairs' order changed, all three were
    # equal.  So the counts rotate over the pairs between repetitions and
    # every count is measured on every pair.
    # Linux's TCP-AO is measured in the same rounds, its key counts
    # rotating over its own pairs (out["npolicies"], keys on the listener).
    if "policies" in parts:
        t0 = time.time()
        groups = [(key, [p for p in pol if (p.kind in NATIVE_ALG) == nat])
                  for key, nat in (("policies", False), ("npolicies", True))]
        groups = [(key, g, [p.policies for p in g]) for key, g in groups if g]
        for key, g, counts in groups:
            out[key] = []
            out[key + "_pairs"] = []
        for rep in range(a.reps):
            for key, g, counts in groups:
                for i, p in enumerate(g):
                    p.set_policies(counts[(i + rep) % len(g)])
            r = lat(tb, pol, a.lat_count)
            for key, g, counts in groups:
                out[key].append({"pol%d" % p.policies: r[p.name] for p in g})
                out[key + "_pairs"].append({p.name: p.policies for p in g})
        out["phase_seconds"]["policies"] = time.time() - t0
        for key, g, counts in groups:
            ok("handshake p50/p10 by %s: " % (
                "keys on a native listener" if key == "npolicies"
                else "policies") + ", ".join(
                "%s: %.0f/%.0f us" % (
                    n, median([r["pol%d" % n]["p50"] for r in out[key]]),
                    median([r["pol%d" % n]["p10"] for r in out[key]]))
                for n in counts),
               all(r["pol%d" % n]["errors"] == 0 for r in out[key]
                   for n in counts))

    # Bulk throughput and connection rate, interleaved by repetition.
    if "bulk" in parts or "crr" in parts:
        if "bulk" in parts:
            out["bulk1"] = {c.name: [] for c in cases}
            out["bulk4"] = {c.name: [] for c in cases}
        crr_cases = [c for c in cases if c.name in (
            "plain", "md5", "hmac", "cmac", "native-hmac", "native-cmac")]
        out["crr"] = {c.name: [] for c in crr_cases}
        t0 = time.time()
        for rep in range(a.reps):
            for c in cases:
                if "bulk" in parts:
                    for streams, key in ((1, "bulk1"), (4, "bulk4")):
                        r = c.client(tb, "bulk", "-P", str(streams), "-t",
                                     str(a.bulk_seconds), "-w",
                                     str(a.bulk_warmup))
                        out[key][c.name].append(r)
                if "crr" in parts and c in crr_cases:
                    r = c.client(tb, "crr", "-t", str(a.crr_seconds),
                                 "-w", "0.5")
                    out["crr"][c.name].append(r)
        for key in ("bulk1", "bulk4"):
            if "bulk" in parts:
                ok("%s: %s" % (key, ", ".join(
                    "%s %.0f" % (n, median([r["mbit_s"] for r in v]))
                    for n, v in out[key].items())) + " Mbit/s")
        if "crr" in parts:
            ok("crr: " + ", ".join(
                "%s %.0f" % (n, median([r["conn_s"] for r in v]))
                for n, v in out["crr"].items()) + " conn/s")
        out["phase_seconds"]["bulk_crr"] = time.time() - t0
        diag("bulk/crr took %.0f s" % (time.time() - t0))

    # 10,000 open connections: memory, and the handshake latency with them
    # next to a twin pair that holds none (interleaved, as above).
    if "conns" in parts:
        t0 = time.time()
        twins = [held_plain, idle_plain, held_ao, idle_ao] + held_nat
        res = {"lat_before": [lat(tb, twins, a.lat_count)
                              for _ in range(2)]}
        holds = []
        for p in [held_plain, held_ao] + held_nat[:1]:
            settle()
            s0 = slab_snapshot()
            hold = subprocess.Popen(
                in_ns(p.cns, tb, "hold", p.saddr, str(PORT), "-n",
                      str(a.hold)) + p.md5(),
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
            h = json.loads(hold.stdout.readline())
            holds.append(hold)
            settle()
            res[p.name] = {"hold": h, "slab": slab_delta(s0,
                                                         slab_snapshot())}
            ok("%s: %d connections held in %.0f s, slab +%.0f KiB" % (
                p.name, h["conns"], h["seconds"],
                res[p.name]["slab"]["slab"] / 1024.0),
               h["conns"] == a.hold)
        res["lat_held"] = [lat(tb, twins, a.lat_count)
                           for _ in range(a.reps)]
        res["stats"] = sh([AOCTL, "-n", held_ao.sns, "-j", "stats"])
        for hold in holds:
            hold.stdin.close()
            hold.wait(timeout=300)
        out["conns"] = res
        out["phase_seconds"]["conns"] = time.time() - t0
        ok("handshake p50 with %d open / none: " % a.hold + ", ".join(
            "%s %.0f/%.0f us" % (
                held.kind,
                median([r[held.name]["p50"] for r in res["lat_held"]]),
                median([r[idle.name]["p50"] for r in res["lat_held"]]))
            for held, idle in [(held_plain, idle_plain),
                               (held_ao, idle_ao)] + (
                                   [tuple(held_nat)] if held_nat else [])))

    # Per-segment cost in the module.
    if "segment" in parts:
        t0 = time.time()
        ns = "bkb"
        sh(["ip", "netns", "add", ns])
        setup_kbench(ns)
        seg = {"hmac": [], "cmac": []}
        for rep in range(a.reps):
            for name in ("hmac", "cmac"):
                seg[name].append(kbench(ns, "bench-" + name, a.seg_iters))
        out["segment"] = seg
        out["phase_seconds"]["segment"] = time.time() - t0
        ok("per-segment: " + "; ".join(
            "%s sign %d verify %d floor %d ns" % (
                n, median([r["sign_ns"] for r in v]),
                median([r["verify_ns"] for r in v]),
                median([r["floor_ns"] for r in v]))
            for n, v in seg.items()))

    # Allocations over a transfer: none may be per segment.
    if "alloc" in parts:
        t0 = time.time()
        res = {}
        for c in cases:
            if c.name in ("nogso", "md5", "hmac", "cmac", "native-hmac",
                          "native-cmac"):
                res[c.name] = alloc_count(c, tb, a.alloc_bytes)
        out["alloc"] = res
        out["phase_seconds"]["alloc"] = time.time() - t0
        ours = sum(sum(r["tcpao_sites"].values()) for r in res.values())
        ok("allocations per segment: " + ", ".join(
            "%s %.3f" % (n, r["allocs_per_segment"]) for n, r in res.items())
           + "; by tcpao: %d" % ours, True)

    # The connection dump at 16k, 32k and 64k connections: its time should
    # grow as the table does.
    if "dump" in parts:
        t0 = time.time()
        res = dump_scale(a.conndump, a.dump_sizes, a.dump_reps)
        out["dump"] = res
        out["phase_seconds"]["dump"] = time.time() - t0
        exact = all(e["exact"] == e["reps"] and e["table"] == e["size"]
                    for e in res["sizes"])
        ok("connection dump: " + ", ".join(
            "%d in %.0f ms" % (e["size"], e["ms_min"]) for e in res["sizes"])
           + "; " + ", ".join("t(%s)/t(%s) %.2f" % (
               k[6:], res["sizes"][0]["size"], v)
               for k, v in res["ratios"].items() if k.startswith("ratio_"))
           + " (fastest of %d each)" % a.dump_reps,
           res["rc"] == 0 and exact and len(res["sizes"]) ==
           len(a.dump_sizes.split(",")),
           res["stderr"] or None)

    if a.profile:
        profile(a, out, cases)

    # Before/after: the same measurements with two builds of the module,
    # alternating (this one last: it reloads tcpao, which drops every
    # namespace's configuration).
    if a.baseline_ko:
        ab = {}
        ns = "bab"
        sh(["ip", "netns", "add", ns])
        aopairs = [c for c in cases if c.kind.startswith(("hmac", "aes"))]
        for rep in range(a.reps):
            for which, ko in (("base", a.baseline_ko), ("new", KO)):
                load_tcpao(ko)
                for c in aopairs:
                    c.setup_ao()
                setup_kbench(ns)
                for name in ("hmac", "cmac"):
                    r = kbench(ns, "bench-" + name, a.seg_iters)
                    for k in ("sign_ns", "verify_ns", "mac_ns"):
                        ab.setdefault("%s %s" % (name, k), {}).setdefault(
                            which, []).append(r[k])
                    ab.setdefault("%s sign/floor" % name, {}).setdefault(
                        which, []).append(r["sign_ns"] / r["floor_ns"])
                    ab.setdefault("%s verify/floor" % name, {}).setdefault(
                        which, []).append(r["verify_ns"] / r["floor_ns"])
                for c in aopairs:
                    r = c.client(tb, "bulk", "-t", str(a.bulk_seconds),
                                 "-w", str(a.bulk_warmup))
                    ab.setdefault("%s bulk1 Mbit/s" % c.name, {}).setdefault(
                        which, []).append(r["mbit_s"])
                r = lat(tb, aopairs, a.lat_count)
                for c in aopairs:
                    for q in ("p50", "p10"):
                        ab.setdefault("%s connect %s us" % (c.name, q),
                                      {}).setdefault(which, []).append(
                                          r[c.name][q])
        out["ab"] = ab
        ok("before/after: " + ", ".join(
            "%s %.4g -> %.4g" % (k, median(v["base"]), median(v["new"]))
            for k, v in ab.items()))


# Inclusive shares worth quoting: the hooks, the hashes, the copies.
PROFILE_SYMS = ("tcpao_nf_out", "tcpao_out_one", "tcpao_nf_in", "tcpao_mac",
                "tcp_v4_md5_hash_skb", "tcp_inbound_md5_hash",
                "tcp_md5_hash_skb_data", "md5_transform", "sha1_transform",
                "sha1_transform_avx", "sha1_transform_avx2",
                "crypto_cmac_digest_update", "aesni_enc",
                "kernel_fpu_begin_mask", "copy_user_enhanced_fast_string",
                "tcp_sendmsg", "tcp_recvmsg", "tcp_v4_rcv",
                "__tcp_transmit_skb", "native_safe_halt",
                "native_queued_spin_lock_slowpath",
                # Linux's TCP-AO: the MAC of a segment, either way, and
                # the sending and receiving hooks around it.
                "tcp_ao_hash_skb", "tcp_ao_transmit_skb",
                "tcp_inbound_ao_hash", "tcp_sigpool_start",
                "crypto_ahash_digest", "crypto_ahash_update",
                "tcp_ao_connect_init", "tcp_ao_finish_connect",
                "tcp_ao_established", "tcp_ao_copy_all_matching",
                "tcp_ao_add_cmd", "process_one_work", "__schedule",
                "rcu_core")


def profile_run(a, name, cmd):
    """perf record over cmd; the flat and children reports written as
    perf-NAME-{flat,children}.txt; returns the excerpt bench.json keeps."""
    data = "/tmp/perf-%s.data" % name
    # perf starts the workload once its counters run.
    # 499 Hz, not perf's 4 kHz: enough samples for shares of a few
    # percent, and perf report (emulated too) reads them in seconds.
    sh(["perf", "record", "-F", str(a.profile_hz), "-a", "-g", "-o",
        data, "--"] + cmd, timeout=900)
    flat = sh(["perf", "report", "-i", data, "--no-children", "--sort",
               "sym", "--stdio", "-g", "none", "--percent-limit", "0.05"],
              check=False, timeout=900)
    children = sh(["perf", "report", "-i", data, "--children", "--sort",
                   "sym", "--stdio", "-g", "none", "--percent-limit",
                   "0.3"], check=False, timeout=900)
    for kind, text in (("flat", flat), ("children", children)):
        with open(os.path.join(RESULTS, "perf-%s-%s.txt" % (
                name, kind)), "w") as f:
            f.write(text)
    incl = {}
    for line in children.splitlines():
        m = re.match(r"\s*([\d.]+)%\s+([\d.]+)%\s+\[.\]\s+(\S+)", line)
        if m and m.group(3) in PROFILE_SYMS:
            incl[m.group(3)] = float(m.group(1))
    os.unlink(data)
    return {"inclusive": incl,
            "top": [l.strip() for l in flat.splitlines()
                    if l.strip() and not l.startswith("#")][:20]}


def profile(a, out, cases):
    """perf (cpu-clock: TCG has no PMU) over a 1-stream bulk run of each
    protected case, and over a connection-rate run of each TCP-AO case
    (perf-crr-CASE-*.txt)."""
    tb = a.tcpbench
    prof = {}
    for c in cases:
        if c.name not in ("nogso", "md5", "hmac", "cmac", "native-hmac",
                          "native-cmac"):
            continue
        prof[c.name] = profile_run(a, c.name, in_ns(
            c.cns, tb, "bulk", c.saddr, str(PORT), "-P",
            str(a.profile_streams), "-t", str(a.profile_seconds), "-w",
            "0.5") + c.md5())
    for c in cases:
        if c.name not in ("hmac", "cmac", "native-hmac", "native-cmac"):
            continue
        prof["crr-" + c.name] = profile_run(a, "crr-" + c.name, in_ns(
            c.cns, tb, "crr", c.saddr, str(PORT), "-t",
            str(a.profile_seconds), "-w", "0.5") + c.md5())
    out["profile"] = prof
    ok("profiles: " + "; ".join(
        "%s: %s" % (n, ", ".join("%s %.1f%%" % kv for kv in
                                 sorted(p["inclusive"].items(),
                                        key=lambda kv: -kv[1])[:6]))
        for n, p in prof.items()))


if __name__ == "__main__":
    sys.exit(main())
