#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn the guest's bench.json into RESULTS.md, summary.json and bench.png.

  bench/report.py BENCH_JSON OUTDIR [--console CONSOLE_LOG]

Runs on the host after the VM (python3-matplotlib).  Every figure is the
median over the repetitions with its spread (min-max); a ratio is the
median of the per-repetition ratios (repetition i of two cases ran back to
back, so they share the host's load at that moment), with their spread.
"""
import json
import os
import re
import statistics
import sys

CASES = [
    ("plain", "plain TCP"),
    ("ethoff", "plain TCP, veth tso/gso/gro off"),
    ("nogso", "plain TCP, one MSS per skb"),
    ("md5", "kernel TCP-MD5"),
    ("hmac", "tcpao hmac-sha-1-96"),
    ("cmac", "tcpao aes-128-cmac-96"),
    ("native-hmac", "Linux TCP-AO hmac(sha1)"),
    ("native-cmac", "Linux TCP-AO cmac(aes128)"),
]
# tcpao's case and Linux's own TCP-AO with the same algorithm.
NATIVE_OF = {"hmac": "native-hmac", "cmac": "native-cmac"}


def med(v):
    v = [x for x in v if x is not None]
    return statistics.median(v) if v else None


def spread(v):
    v = [x for x in v if x is not None]
    return (min(v), max(v)) if v else (None, None)


def stat(v):
    lo, hi = spread(v)
    return {"median": med(v), "min": lo, "max": hi, "n": len(v)}


def ratio_stat(a, b):
    """Per-repetition a[i] / b[i]."""
    r = [x / y for x, y in zip(a, b) if x is not None and y]
    return stat(r)


def fmt(x, digits=0):
    if x is None:
        return "-"
    if digits == 0:
        return "{:,.0f}".format(x)
    return "{:,.{d}f}".format(x, d=digits)


def fs(s, digits=0, unit=""):
    """median (min-max)"""
    if not s or s["median"] is None:
        return "-"
    return "%s%s (%s-%s)" % (fmt(s["median"], digits), unit,
                             fmt(s["min"], digits), fmt(s["max"], digits))


def fr(s):
    if not s or s["median"] is None:
        return "-"
    return "%.2fx (%.2f-%.2f)" % (s["median"], s["min"], s["max"])


def legacy(d):
    """bench.json of an earlier guest.py kept tcpbench's crr results per
    repetition: policies as {count: [run, ...]}, conns with lat_idle (the
    pair before it held anything) and lat_held per held pair.  Bring them
    to the current layout (no p10 there, no twin pair)."""
    pol = d.get("policies")
    if isinstance(pol, dict):
        d["legacy"] = True
        n = min(len(v) for v in pol.values()) if pol else 0
        d["policies"] = [{"pol%s" % k: dict(v[i]["connect_us"])
                          for k, v in pol.items()} for i in range(n)]
    c = d.get("conns")
    if isinstance(c, dict) and c and "lat_held" not in c:
        d["legacy"] = True
        new = {"legacy": True, "lat_held": [], "lat_before": []}
        for held, idle in (("holdp", "idlep"), ("holda", "idlea")):
            if held not in c:
                continue
            new[held] = {"hold": c[held]["hold"], "slab": c[held]["slab"]}
            for i, (h, b) in enumerate(zip(c[held]["lat_held"],
                                           c[held]["lat_idle"])):
                if i == len(new["lat_held"]):
                    new["lat_held"].append({})
                new["lat_held"][i][held] = h["connect_us"]
                new["lat_held"][i][idle] = b["connect_us"]
        d["conns"] = new
    return d


def summarize(d):
    d = legacy(d)
    S = {"system": d.get("system"), "params": d.get("params"),
         "seconds": d.get("seconds"), "legacy": d.get("legacy", False)}
    names = [n for n, _ in CASES]

    for key in ("bulk1", "bulk4"):
        if key not in d:
            continue
        v = {n: [r["mbit_s"] for r in d[key][n]] for n in names
             if n in d[key]}
        S[key] = {n: stat(x) for n, x in v.items()}
        rat = {}
        for ao in ("hmac", "cmac"):
            for base in ("md5", "plain", "nogso"):
                if ao in v and base in v:
                    rat["%s/%s" % (ao, base)] = ratio_stat(v[ao], v[base])
        if "md5" in v and "nogso" in v:
            rat["md5/nogso"] = ratio_stat(v["md5"], v["nogso"])
        for ao, nat in NATIVE_OF.items():
            if ao in v and nat in v:
                rat["%s/%s" % (ao, nat)] = ratio_stat(v[ao], v[nat])
            if nat in v and "md5" in v:
                rat["%s/md5" % nat] = ratio_stat(v[nat], v["md5"])
        S[key + "_ratio"] = rat
    if "crr" in d:
        v = {n: [r["conn_s"] for r in d["crr"][n]] for n in names
             if n in d["crr"]}
        lat = {n: [r["connect_us"]["p50"] for r in d["crr"][n]]
               for n in names if n in d["crr"]}
        S["crr"] = {n: stat(x) for n, x in v.items()}
        S["crr_connect_us"] = {n: stat(x) for n, x in lat.items()}
        rat = {}
        for ao in ("hmac", "cmac"):
            for base in ("md5", "plain", NATIVE_OF[ao]):
                if ao in v and base in v:
                    rat["%s/%s" % (ao, base)] = ratio_stat(v[ao], v[base])
        S["crr_ratio"] = rat
    # tcpao's peer policies, and (npolicies) the keys on a listener of
    # Linux's TCP-AO: the same rounds of handshakes.
    for key in ("policies", "npolicies"):
        if not d.get(key):
            continue
        reps = d[key]
        names = sorted(reps[0], key=lambda n: int(n[3:]))
        S[key] = {n[3:]: {q: stat([r[n].get(q) for r in reps])
                          for q in ("p10", "p50", "p90", "min")}
                  for n in names}
        S[key + "_ratio"] = {
            n[3:]: {q: ratio_stat([r[n].get(q) for r in reps],
                                  [r[names[0]].get(q) for r in reps])
                    for q in ("p10", "p50", "min")}
            for n in names[1:]}
    if "conns" in d:
        c = d["conns"]
        S["conns"] = {}
        for held, idle in (("holdp", "idlep"), ("holda", "idlea"),
                           ("holdn", "idlen")):
            if held not in c:
                continue
            conns = c[held]["hold"]["conns"] or 1
            e = {"held": c[held]["hold"]["conns"],
                 "hold_seconds": c[held]["hold"]["seconds"],
                 "slab_per_conn": c[held]["slab"]["slab"] / conns,
                 "caches_per_conn": c[held]["slab"]["caches_total"] / conns,
                 "top": c[held]["slab"]["top"]}
            # Legacy: no twin, the held pair before it held anything.
            e["baseline"] = "before" if c.get("legacy") else "twin"
            lh, lb = c["lat_held"], c["lat_before"]
            for q in ("p10", "p50"):
                e["held_" + q] = stat([r[held].get(q) for r in lh])
                e["twin_" + q] = stat([r[idle].get(q) for r in lh])
                e["ratio_" + q] = ratio_stat(
                    [r[held].get(q) for r in lh],
                    [r[idle].get(q) for r in lh])
                # The same pair before it held anything.
                e["before_" + q] = stat([r[held].get(q) for r in lb])
                e["before_ratio_" + q] = ratio_stat(
                    [r[held].get(q) for r in lb],
                    [r[idle].get(q) for r in lb])
            S["conns"][held] = e
        if "holdp" in S["conns"] and "holda" in S["conns"]:
            p, a = S["conns"]["holdp"], S["conns"]["holda"]
            S["memory"] = {
                "plain_per_conn": p["slab_per_conn"],
                "tcpao_per_conn": a["slab_per_conn"],
                "extra_per_conn": a["slab_per_conn"] - p["slab_per_conn"],
                "extra_per_endpoint": (a["slab_per_conn"] -
                                       p["slab_per_conn"]) / 2,
                "plain_caches_per_conn": p["caches_per_conn"],
                "tcpao_caches_per_conn": a["caches_per_conn"],
            }
            if "holdn" in S["conns"]:
                nn = S["conns"]["holdn"]
                S["memory"].update(
                    native_per_conn=nn["slab_per_conn"],
                    native_extra_per_conn=nn["slab_per_conn"] -
                    p["slab_per_conn"])
                if S["memory"]["native_extra_per_conn"] > 0:
                    S["memory"]["tcpao/native_extra"] = (
                        S["memory"]["extra_per_conn"] /
                        S["memory"]["native_extra_per_conn"])
                S["memory"]["tcpao/native"] = (a["slab_per_conn"] /
                                               nn["slab_per_conn"])
            # Caches that grew only (or mostly) with tcpao (or Linux's
            # TCP-AO).
            pt = dict(p["top"])
            S["memory"]["tcpao_caches"] = [
                (k, (v - pt.get(k, 0)) / (a["held"] or 1))
                for k, v in a["top"] if v - pt.get(k, 0) > 0.1 * abs(v)]
            if "holdn" in S["conns"]:
                nn = S["conns"]["holdn"]
                S["memory"]["native_caches"] = [
                    (k, (v - pt.get(k, 0)) / (nn["held"] or 1))
                    for k, v in nn["top"]
                    if v - pt.get(k, 0) > 0.1 * abs(v)]
    if "segment" in d:
        S["segment"] = {}
        for alg, runs in d["segment"].items():
            e = {k: stat([r[k] for r in runs])
                 for k in ("sign_ns", "verify_ns", "mac_ns", "floor_ns")}
            e["sign/floor"] = ratio_stat([r["sign_ns"] for r in runs],
                                         [r["floor_ns"] for r in runs])
            e["verify/floor"] = ratio_stat([r["verify_ns"] for r in runs],
                                           [r["floor_ns"] for r in runs])
            e["mac/floor"] = ratio_stat([r["mac_ns"] for r in runs],
                                        [r["floor_ns"] for r in runs])
            e["alg"] = runs[0].get("alg")
            e["floor_driver"] = runs[0].get("floor_driver")
            e["mac_bytes"] = runs[0].get("mac_bytes")
            e["allocs_sign"] = sum(r.get("allocs_sign", 0) for r in runs)
            e["allocs_verify"] = sum(r.get("allocs_verify", 0) for r in runs)
            e["iterations"] = sum(r.get("iterations", 0) for r in runs)
            e["alts"] = {k[4:]: stat([r.get(k) for r in runs])
                         for k in runs[0] if k.startswith("alt:")}
            S["segment"][alg] = e
    if "alloc" in d:
        S["alloc"] = {}
        for n, r in d["alloc"].items():
            # The hist triggers' own allocations are not the transfer's.
            own = sum(v for k, v in r["top"]
                      if k.startswith(("tracing_map", "hist_", "trace")))
            S["alloc"][n] = {
                "segments": r["segments"],
                "allocs_per_segment": (r["allocs"] - own) / r["segments"],
                "tcpao_sites": r["tcpao_sites"],
                "top": [t for t in r["top"] if not t[0].startswith(
                    ("tracing_map", "hist_", "trace"))][:5]}
    if d.get("dump") and d["dump"].get("sizes"):
        sizes = d["dump"]["sizes"]
        base = sizes[0]
        S["dump"] = {
            "sizes": [{"size": e["size"], "ms": stat(e["ms"]),
                       "ms_min": e["ms_min"], "table": e["table"],
                       "exact": e["exact"], "reps": e["reps"],
                       "messages": e["messages"], "recvs": e["recvs"],
                       "bufsize": e["bufsize"], "create_s": e["create_s"],
                       "ratio": ratio_stat(e["ms"], base["ms"]),
                       "ratio_min": e["ms_min"] / base["ms_min"]
                       if base["ms_min"] > 0 else None}
                      for e in sizes],
            "rc": d["dump"]["rc"]}
    if "ab" in d:
        S["ab"] = summarize_ab(d["ab"])
    return S


def summarize_ab(ab):
    out = {}
    for key, runs in ab.items():
        # runs: {"base": [...], "new": [...]} of numbers
        b, n = runs.get("base", []), runs.get("new", [])
        out[key] = {"base": stat(b), "new": stat(n),
                    "new/base": ratio_stat(n, b)}
    return out


# ---- targets ---------------------------------------------------------------

# The targets.  Each is judged on the median; the spread and the
# repetitions that met it are reported beside it.
BULK_MIN = 1.0          # hmac / md5, bulk, 1 stream
SEG_MAX = 1.10          # sign / floor and verify / floor
POL_MAX = 1.1           # handshake p50, 100,000 policies / 1 policy
POL_COUNT = 100000
NATIVE_MIN = 0.95       # tcpao / Linux's TCP-AO: bulk, connection rate
MEM_MAX = 1.0           # tcpao's memory per connection / Linux's
DUMP_MAX = 6.0          # dump time, 4x the connections / 1x (linear: 4)

# Idle in a profile: the vCPU waiting, not work.
IDLE_SYMS = ("native_safe_halt", "default_idle", "amd_e400_idle",
             "intel_idle", "poll_idle")
# Self time in the hash code of each case (sha1-ssse3.ko's
# sha1_transform_avx2 has local labels _begin, _loop, _loop0-3 that perf
# names as symbols of their own).
HASH_RE = {
    "hmac": re.compile(r"sha1_|_loop\d*$|_begin$"),
    "md5": re.compile(r"md5_"),
    "cmac": re.compile(r"_?aesni_|crypto_cmac_|__crypto_xor$|"
                       r"crypto_cipher_encrypt_one$|kernel_fpu_|"
                       r"irq_fpu_usable$"),
}
HASH_RE["native-hmac"] = HASH_RE["hmac"]
HASH_RE["native-cmac"] = HASH_RE["cmac"]
HASH_NAME = {"hmac": "SHA-1", "md5": "MD5", "cmac": "AES-CMAC"}
# What computes the MAC of a segment, inclusive.
MAC_FUNC = {"hmac": "tcpao_mac", "cmac": "tcpao_mac",
            "md5": "tcp_v4_md5_hash_skb", "native-hmac": "tcp_ao_hash_skb",
            "native-cmac": "tcp_ao_hash_skb"}
# Self time of the TCP-AO implementation itself, beyond the hash code.
MODULE_RE = {"hmac": re.compile(r"tcpao_|nf_hook_slow$"),
             "cmac": re.compile(r"tcpao_|nf_hook_slow$"),
             "native-hmac": re.compile(r"tcp_ao_|tcp_sigpool_|"
                                       r"tcp_inbound_ao|crypto_ahash_"),
             "native-cmac": re.compile(r"tcp_ao_|tcp_sigpool_|"
                                       r"tcp_inbound_ao|crypto_ahash_")}


def parse_perf(text):
    """{symbol: percent} in the order perf printed it: the first column
    (self in a flat profile, inclusive in a children one)."""
    out = {}
    for line in text.splitlines():
        m = re.match(r"\s*([\d.]+)%\s+(?:[\d.]+%\s+)?\[.\]\s+(\S+)", line)
        if m and m.group(2) not in out:
            out[m.group(2)] = float(m.group(1))
    return out


def load_profiles(d, dirs):
    """Per case, the flat and children profiles: the perf-CASE-KIND.txt
    files bench/run copies next to bench.json, else the guest's excerpt
    of them in bench.json."""
    P = {}
    for n in ("nogso", "md5", "hmac", "cmac", "native-hmac", "native-cmac",
              "crr-md5", "crr-hmac", "crr-cmac", "crr-native-hmac",
              "crr-native-cmac"):
        e = {}
        for kind in ("flat", "children"):
            for dd in dirs:
                path = os.path.join(dd, "perf-%s-%s.txt" % (n, kind))
                if os.path.exists(path):
                    with open(path) as f:
                        e[kind] = parse_perf(f.read())
                    e[kind + "_file"] = os.path.basename(path)
                    break
        g = (d.get("profile") or {}).get(n) or {}
        if "flat" not in e and g.get("top"):
            e["flat"] = parse_perf("\n".join(g["top"]))
            e["flat_file"] = "bench.json (profile.%s.top)" % n
        if "children" not in e and g.get("inclusive"):
            e["children"] = dict(g["inclusive"])
        if e:
            P[n] = e
    return P


def profile_facts(P, n, top=4):
    """The top entries of a case's flat profile (idle left out), its idle
    share, its self time in the hash code and its MAC function's
    inclusive share."""
    e = P.get(n)
    if not e or "flat" not in e:
        return None
    flat = e["flat"]
    f = {"file": e["flat_file"],
         "top": [(k, v) for k, v in flat.items()
                 if k not in IDLE_SYMS][:top],
         "idle": sum(v for k, v in flat.items() if k in IDLE_SYMS),
         "hash_self": sum(v for k, v in flat.items()
                          if n in HASH_RE and HASH_RE[n].match(k)),
         "module_self": sum(v for k, v in flat.items()
                            if (MODULE_RE[n].match(k) if n in MODULE_RE
                                else k.startswith("tcpao_") or
                                k == "nf_hook_slow"))}
    mac = MAC_FUNC.get(n)
    if mac and mac in (e.get("children") or {}):
        f["mac_func"] = mac
        f["mac_incl"] = e["children"][mac]
    return f


def ratio_values(a, b):
    return [x / y for x, y in zip(a, b) if x is not None and y]


def count_met(v, ok):
    return "%d of %d" % (len([x for x in v if ok(x)]), len(v))


def target_bulk(S, d, P):
    t = {"id": 1, "target": "tcpao hmac-sha-1-96 bulk throughput (1 stream) "
         "at least kernel TCP-MD5's in the same run: hmac / md5 >= %.1fx"
         % BULK_MIN}
    b = d.get("bulk1") or {}
    if not b.get("hmac") or not b.get("md5"):
        return dict(t, status="not measured")
    v = ratio_values([r["mbit_s"] for r in b["hmac"]],
                     [r["mbit_s"] for r in b["md5"]])
    s = S["bulk1_ratio"]["hmac/md5"]
    t.update(measured=s, value=fr(s),
             reps_met=count_met(v, lambda x: x >= BULK_MIN))
    if s["median"] >= BULK_MIN:
        return dict(t, status="met")
    t.update(status="MISSED", gap="%.2fx of TCP-MD5: %.0f%% short" % (
        s["median"], 100 * (1 - s["median"] / BULK_MIN)))
    ao, md5 = profile_facts(P, "hmac"), profile_facts(P, "md5")
    t["profile"] = {"hmac": ao, "md5": md5}
    why = []
    if ao and md5 and "mac_incl" in ao and "mac_incl" in md5:
        why.append("the MAC takes %.1f%% of the samples (%s, inclusive) "
                   "against %.1f%% (%s) for TCP-MD5" % (
                       ao["mac_incl"], ao["mac_func"], md5["mac_incl"],
                       md5["mac_func"]))
    if ao and md5:
        why.append("self time in the hash code %.1f%% (SHA-1) against "
                   "%.1f%% (MD5)" % (ao["hash_self"], md5["hash_self"]))
        # Per unit of throughput (the profiles ran the bulk case of the
        # same stream count): with the CPU saturated, share / throughput
        # is proportional to CPU time per byte.
        streams = (d.get("params") or {}).get("profile_streams") or 1
        bk = S.get("bulk%d" % streams) or S.get("bulk1") or {}
        if "hmac" in bk and "md5" in bk and not (ao["idle"] > 5 or
                                                 md5["idle"] > 5):
            # CPU time per Mbit/s, in percent of the CPU: the hash code,
            # tcpao's own functions and the netfilter hook, the rest.
            th, tm = bk["hmac"]["median"], bk["md5"]["median"]
            busy_ao = 100 - ao["idle"]
            busy_md5 = 100 - md5["idle"]
            extra = busy_ao / th - busy_md5 / tm
            h = ao["hash_self"] / th - md5["hash_self"] / tm
            mod = ao["module_self"] / th
            rest_ao = busy_ao - ao["hash_self"]
            rest_md5 = busy_md5 - md5["hash_self"]
            why.append("per byte sent, the CPU is busy throughout, so "
                       "share / throughput compares costs: the hash code "
                       "costs %.1fx as much as MD5's, everything else "
                       "%.2fx" % ((ao["hash_self"] / th) /
                                  (md5["hash_self"] / tm),
                                  (rest_ao / th) / (rest_md5 / tm)))
            if extra > 0:
                # The rest: the symbols outside both that grew most per
                # byte.
                fa, fm = P["hmac"]["flat"], P["md5"]["flat"]
                skip = set(IDLE_SYMS)
                grew = sorted(
                    ((fa.get(k, 0) / th - fm.get(k, 0) / tm, k)
                     for k in set(fa) | set(fm)
                     if k not in skip and not k.startswith("tcpao_") and
                     k != "nf_hook_slow" and not HASH_RE["hmac"].match(k)
                     and not HASH_RE["md5"].match(k)), reverse=True)[:3]
                why.append("of the CPU time hmac spends per byte beyond "
                           "TCP-MD5's, %.0f%% is the hash code, %.0f%% "
                           "tcpao's own functions and nf_hook_slow (self "
                           "time), %.0f%% the rest of the stack (most: %s)"
                           % (100 * h / extra, 100 * mod / extra,
                              100 * (extra - h - mod) / extra,
                              ", ".join("%s %.0f%%" % (k, 100 * v / extra)
                                        for v, k in grew if v > 0)))
                why.append("with SHA-1 at MD5's cost per byte, hmac / md5 "
                           "would be about %.2fx" % (
                               (busy_md5 / tm) /
                               (busy_ao / th - h)))
    seg = (S.get("segment") or {}).get("hmac")
    if seg and "md5-generic" in seg["alts"]:
        fl = seg["floor_ns"]["median"]
        m5 = seg["alts"]["md5-generic"]["median"]
        why.append("a digest of the same %s bytes costs %s ns with %s and "
                   "%s ns with md5-generic (%.1fx), and tcpao's sign adds "
                   "%s over its digest" % (
                       seg["mac_bytes"], fmt(fl), seg["floor_driver"],
                       fmt(m5), fl / m5, fr(seg["sign/floor"])))
        fast = min(((k, a["median"]) for k, a in seg["alts"].items()
                    if k.startswith("hmac") and a["median"]),
                   key=lambda kv: kv[1], default=None)
        if (fast and fast[1] < fl and
                fast[0] != seg["floor_driver"]):
            why.append("under TCG %s is the fastest SHA-1 (%s ns), not the "
                       "driver in use" % (fast[0], fmt(fast[1])))
        if (seg["sign/floor"]["median"] <= SEG_MAX and
                fl / m5 > 1 / s["median"]):
            why.append("so most of the gap is the hash algorithm's cost "
                       "under TCG rather than the module's work around it")
    if not ao or not md5:
        why.append("profile not measured (bench/run --no-profile)")
    t["explanation"] = "; ".join(why) + "."
    return t


def target_segment(S, d, P):
    out = []
    for alg, e in (S.get("segment") or {}).items():
        t = {"id": 2, "target": "per-segment cost at most %.1fx the floor "
             "(a digest of the same bytes), %s: sign / floor and verify / "
             "floor" % (SEG_MAX, e["alg"])}
        runs = d["segment"][alg]
        v = {k: ratio_values([r[k[:-6] + "_ns"] for r in runs],
                             [r["floor_ns"] for r in runs])
             for k in ("sign/floor", "verify/floor")}
        t.update(measured={k: e[k] for k in v},
                 value="sign %s, verify %s" % (fr(e["sign/floor"]),
                                               fr(e["verify/floor"])),
                 reps_met=count_met(v["sign/floor"] + v["verify/floor"],
                                    lambda x: x <= SEG_MAX))
        over = [k for k in v if e[k]["median"] > SEG_MAX]
        if not over:
            out.append(dict(t, status="met"))
            continue
        t.update(status="MISSED", gap=", ".join(
            "%s %.2fx: %.0f%% over the bound" % (
                k.split("/")[0], e[k]["median"],
                100 * (e[k]["median"] / SEG_MAX - 1)) for k in over))
        t["profile"] = {alg: profile_facts(P, alg)}
        fl = e["floor_ns"]["median"]
        why = ["%s: %s ns over the digest (%s ns), of which tcpao_mac "
               "beyond the digest %s ns (the MAC input: pseudo-header, "
               "options, copies) and the hook around tcpao_mac %s ns" % (
                   k.split("/")[0], fmt(e[k[:-6] + "_ns"]["median"] - fl),
                   fmt(fl), fmt(e["mac_ns"]["median"] - fl),
                   fmt(e[k[:-6] + "_ns"]["median"] - e["mac_ns"]["median"]))
               for k in over]
        if not t["profile"][alg]:
            why.append("profile not measured (bench/run --no-profile)")
        t["explanation"] = "; ".join(why) + "."
        out.append(t)
    if not out:
        out.append({"id": 2, "target": "per-segment cost at most %.1fx the "
                    "floor" % SEG_MAX, "status": "not measured"})
    return out


def target_policies(S, d, P):
    t = {"id": 3, "target": "handshake latency (connect() p50) with %s "
         "peer policies at most %.1fx that with 1" % (
             "{:,}".format(POL_COUNT), POL_MAX)}
    pol = S.get("policies") or {}
    counts = sorted(int(k) for k in pol)
    if len(counts) < 2:
        return dict(t, status="not measured")
    n = POL_COUNT if POL_COUNT in counts else counts[-1]
    if n != POL_COUNT:
        t["target"] += " (measured with %s)" % "{:,}".format(n)
    reps = d["policies"]
    base = "pol%d" % counts[0]
    v = ratio_values([r["pol%d" % n].get("p50") for r in reps],
                     [r[base].get("p50") for r in reps])
    r = S["policies_ratio"][str(n)]
    s = r["p50"]
    t.update(measured=s, value=fr(s),
             reps_met=count_met(v, lambda x: x <= POL_MAX))
    if s["median"] <= POL_MAX:
        return dict(t, status="met")
    t.update(status="MISSED", gap="%.2fx the 1-policy latency: %.0f%% "
             "over the bound" % (s["median"],
                                 100 * (s["median"] / POL_MAX - 1)))
    why = ["no profile of handshakes is taken (the profiles cover bulk "
           "transfers)"]
    if r.get("p10") and r["p10"]["median"] is not None:
        why.append("the p10 ratio (less exposed to the shared host) is %s"
                   % fr(r["p10"]))
    if r.get("min") and r["min"]["median"] is not None:
        why.append("the fastest handshake's ratio is %s" % fr(r["min"]))
    for k in counts[1:]:
        if k != n:
            why.append("with %s policies: %s" % (
                "{:,}".format(k), fr(S["policies_ratio"][str(k)]["p50"])))
    t["explanation"] = "; ".join(why) + "."
    return t


def target_alloc(S, d, P):
    t = {"id": 4, "target": "no allocation per segment (kmalloc and "
         "kmem_cache_alloc counted while the hooks ran: 0)"}
    seg = d.get("segment") or {}
    if not seg:
        return dict(t, status="not measured")
    nreps = min(len(r) for r in seg.values())
    v = [sum(seg[a][i].get("allocs_sign", 0) +
             seg[a][i].get("allocs_verify", 0) for a in seg)
         for i in range(nreps)]
    calls = sum(2 * e["iterations"] for e in S["segment"].values())
    s = stat(v)
    t.update(measured=s, value="%s over %s hook calls" % (
        fs(s), "{:,}".format(calls)), reps_met=count_met(v, lambda x: not x))
    why = []
    for n, a in (S.get("alloc") or {}).items():
        if a["tcpao_sites"]:
            why.append("over a bulk transfer (%s, %s segments) tcpao "
                       "allocated at %s" % (n, "{:,}".format(a["segments"]),
                                            ", ".join("%s %d" % kv for kv in
                                                      a["tcpao_sites"]
                                                      .items())))
            break
    if not sum(v):
        t["status"] = "met"
        if why:
            t["note"] = why[0] + ": per connection, not per segment."
        return t
    t.update(status="MISSED", gap="%d allocations over %s hook calls" % (
        sum(v), "{:,}".format(calls)))
    t["explanation"] = "; ".join(why or ["no call sites recorded"]) + "."
    return t


def target_dump(S, d, P):
    t = {"id": 5, "target": "connection dump time linear in the table: "
         "t(4n) / t(n) at most %.0f (linear: 4; walking the list from its "
         "start at every continuation, quadratic: 16)" % DUMP_MAX}
    e = (S.get("dump") or {}).get("sizes") or []
    big = [x for x in e[1:] if x["size"] == 4 * e[0]["size"]] if e else []
    if not big:
        return dict(t, status="not measured")
    b, n = big[0], e[0]
    t["target"] = t["target"].replace("t(4n) / t(n)", "t(%s) / t(%s)" % (
        "{:,}".format(b["size"]), "{:,}".format(n["size"])))
    runs = d["dump"]["sizes"]
    v = ratio_values(runs[e.index(b)]["ms"], runs[0]["ms"])
    s = b["ratio"]
    t.update(measured=s, value=fr(s),
             reps_met=count_met(v, lambda x: x <= DUMP_MAX))
    if s["median"] <= DUMP_MAX:
        return dict(t, status="met")
    t.update(status="MISSED", gap="%.1fx for 4x the connections: %.0f%% "
             "over the bound" % (s["median"],
                                 100 * (s["median"] / DUMP_MAX - 1)))
    t["explanation"] = (
        "%s; %d continuations of up to %d bytes at %s connections.  That "
        "is how a dump grows that walks the connection list from its "
        "start at every continuation (n^2 / (2 x entries per "
        "continuation) list steps in all): twice the connections, up to "
        "four times the time." % (
            ", ".join("t(%s)/t(%s) %s" % ("{:,}".format(x["size"]),
                                          "{:,}".format(n["size"]),
                                          fr(x["ratio"])) for x in e[1:]),
            b["recvs"], b["bufsize"], "{:,}".format(b["size"])))
    return t


def cost_split(S, P, a, b, key):
    """Where case a spends CPU per byte beyond case b, from their bulk
    profiles: with the one vCPU busy throughout, a profile share divided
    by the throughput is proportional to CPU time per byte.  None when a
    profile is missing or mostly idle."""
    fa, fb = profile_facts(P, a), profile_facts(P, b)
    bk = S.get(key) or {}
    if (not fa or not fb or a not in bk or b not in bk or
            fa["idle"] > 5 or fb["idle"] > 5):
        return None
    ta, tb = bk[a]["median"], bk[b]["median"]
    busy_a, busy_b = 100 - fa["idle"], 100 - fb["idle"]
    split = {"total": busy_a / ta / (busy_b / tb),
             "hash": (fa["hash_self"] / ta) / (fb["hash_self"] / tb)
             if fb["hash_self"] else None,
             "impl_a": fa["module_self"] / ta,
             "impl_b": fb["module_self"] / tb,
             "rest": ((busy_a - fa["hash_self"] - fa["module_self"]) / ta) /
             ((busy_b - fb["hash_self"] - fb["module_self"]) / tb)}
    if "mac_incl" in fa and "mac_incl" in fb:
        split["mac"] = (fa["mac_incl"] / ta) / (fb["mac_incl"] / tb)
        split["mac_funcs"] = (fa["mac_func"], fb["mac_func"])
    # The symbols that grew most per byte.
    xa, xb = P[a]["flat"], P[b]["flat"]
    split["grew"] = sorted(
        ((xa.get(k, 0) / ta - xb.get(k, 0) / tb) / (busy_b / tb) * 100, k)
        for k in set(xa) | set(xb) if k not in IDLE_SYMS)[::-1][:4]
    split["facts"] = (fa, fb)
    return split


def against_native(items, field):
    """items: (label, tcpao's runs, Linux's runs, their ratio's summary).
    The per-repetition ratios of field, the (label, summary) measured and
    those below NATIVE_MIN."""
    v, st, over = [], [], []
    for label, runs_a, runs_b, r in items:
        if not runs_a or not runs_b or not r:
            continue
        v += ratio_values([x[field] for x in runs_a],
                          [x[field] for x in runs_b])
        st.append((label, r))
        if r["median"] < NATIVE_MIN:
            over.append((label, r))
    return v, st, over


def target_native_bulk(S, d, P, alg, tid):
    nat = NATIVE_OF[alg]
    label = {"hmac": "hmac-sha-1-96", "cmac": "aes-128-cmac-96"}[alg]
    t = {"id": tid, "target": "tcpao %s bulk throughput at least %.2fx "
         "Linux's own TCP-AO with the same algorithm (%s), 1 and 4 "
         "streams" % (label, NATIVE_MIN, nat)}
    v, st, over = against_native(
        [(key, (d.get(key) or {}).get(alg), (d.get(key) or {}).get(nat),
          (S.get(key + "_ratio") or {}).get("%s/%s" % (alg, nat)))
         for key in ("bulk1", "bulk4")], "mbit_s")
    if not st:
        return dict(t, status="not measured")
    t.update(measured={k: r for k, r in st},
             value=", ".join("%s stream%s %s" % (
                 k[-1], "" if k == "bulk1" else "s", fr(r)) for k, r in st),
             reps_met=count_met(v, lambda x: x >= NATIVE_MIN))
    if not over:
        return dict(t, status="met")
    t.update(status="MISSED", gap=", ".join(
        "%s stream%s %.2fx: %.0f%% short" % (
            k[-1], "" if k == "bulk1" else "s", r["median"],
            100 * (1 - r["median"] / NATIVE_MIN)) for k, r in over))
    t["explanation"] = explain_vs(S, P, d, alg, nat)
    t["profile"] = {alg: profile_facts(P, alg), nat: profile_facts(P, nat)}
    return t


def explain_vs(S, P, d, a, b):
    streams = (d.get("params") or {}).get("profile_streams") or 1
    sp = cost_split(S, P, a, b, "bulk%d" % streams)
    if not sp:
        return "profile not measured or mostly idle (bench/run --profile)."
    why = ["per byte sent, %s costs %.2fx the CPU time of %s" % (
        a, sp["total"], b)]
    if "mac" in sp:
        why.append("the MAC of a segment (%s against %s, inclusive) "
                   "costs %.2fx" % (sp["mac_funcs"] + (sp["mac"],)))
    if sp["hash"]:
        why.append("the hash code itself %.2fx" % sp["hash"])
    why.append("the TCP-AO code's own functions (self time) take %.1f%% "
               "against %.1f%% of the samples" % (
                   sp["facts"][0]["module_self"],
                   sp["facts"][1]["module_self"]))
    why.append("everything else %.2fx" % sp["rest"])
    why.append("the functions that grew most, in %% of %s's CPU time per "
               "byte: %s" % (b, ", ".join("%s %+.1f%%" % (k, v)
                                          for v, k in sp["grew"])))
    return "; ".join(why) + "."


def target_native_crr(S, d, P, tid):
    t = {"id": tid, "target": "tcpao connection rate at least %.2fx Linux's "
         "own TCP-AO with the same algorithm (connect, 1 byte each way, "
         "close)" % NATIVE_MIN}
    c = d.get("crr") or {}
    v, st, over = against_native(
        [(alg, c.get(alg), c.get(nat),
          (S.get("crr_ratio") or {}).get("%s/%s" % (alg, nat)))
         for alg, nat in NATIVE_OF.items()], "conn_s")
    if not st:
        return dict(t, status="not measured")
    t.update(measured={k: r for k, r in st},
             value=", ".join("%s %s" % (k, fr(r)) for k, r in st),
             reps_met=count_met(v, lambda x: x >= NATIVE_MIN))
    if not over:
        return dict(t, status="met")
    t.update(status="MISSED", gap=", ".join(
        "%s %.2fx: %.0f%% short" % (k, r["median"],
                                    100 * (1 - r["median"] / NATIVE_MIN))
        for k, r in over))
    why = ["connect() p50: " + ", ".join(
        "%s %s us, %s %s us" % (k, fs(S["crr_connect_us"].get(k)),
                                NATIVE_OF[k],
                                fs(S["crr_connect_us"].get(NATIVE_OF[k])))
        for k, _ in over)]
    P = load_profiles(d, [os.path.dirname(f) for f in (d.get("_dirs") or [])])
    for k, _ in over:
        why += crr_split(S, P, k)
    why.append("tcpao's work items are the client's: its SYN leaves from "
               "connect(), a task, where the output hook cannot tell it "
               "holds the socket lock, so a work item adjusts the socket "
               "(src/output.c; an accepted socket is adjusted in TCP's "
               "softirq path)")
    t["explanation"] = "; ".join(why) + "."
    return t


# A connection's TCP-AO work in a connection-rate profile, inclusive: the
# hooks (tcpao) or the functions TCP calls (Linux); and what runs beside.
CRR_GROUPS = {
    "TCP-AO": (("tcpao_out_one", "tcpao_nf_in"),
               ("tcp_ao_transmit_skb", "tcp_inbound_ao_hash",
                "tcp_ao_connect_init", "tcp_ao_finish_connect",
                "tcp_ao_syncookie", "tcp_ao_established",
                "tcp_ao_copy_all_matching", "tcp_ao_prepare_reset",
                "tcp_ao_destroy_sock", "tcp_ao_time_wait",
                "tcp_ao_add_cmd")),
    "work items": (("process_one_work",), ("process_one_work",)),
    "scheduling": (("__schedule",), ("__schedule",)),
    "RCU callbacks": (("rcu_core",), ("rcu_core",)),
}


def crr_split(S, P, alg):
    """Per connection, tcpao's CPU time against Linux's, by group (the
    inclusive shares of a crr profile divided by the connection rate)."""
    a, b = P.get("crr-" + alg), P.get("crr-" + NATIVE_OF[alg])
    ca, cb = (S.get("crr") or {}).get(alg), (S.get("crr") or {}).get(
        NATIVE_OF[alg])
    if not a or not b or not ca or not cb or "children" not in a or \
            "children" not in b:
        return ["no connection-rate profile (bench/run --profile)"]
    ra, rb = ca["median"], cb["median"]
    out = []
    for g, (fa, fb) in CRR_GROUPS.items():
        # Overlapping symbols of a group are nested calls: the largest.
        xa = max([a["children"].get(f, 0) for f in fa] or [0]) if \
            g != "TCP-AO" else sum(a["children"].get(f, 0) for f in fa)
        xb = max([b["children"].get(f, 0) for f in fb] or [0]) if \
            g != "TCP-AO" else sum(b["children"].get(f, 0) for f in fb)
        if xa or xb:
            out.append("%s %s per connection: %.1f%% of the CPU at %.0f/s "
                       "against %.1f%% at %.0f/s (%s)" % (
                           alg, g, xa, ra, xb, rb,
                           "%.2fx" % ((xa / ra) / (xb / rb)) if xb
                           else "Linux none"))
    return out


def target_native_memory(S, d, P, tid):
    t = {"id": tid, "target": "tcpao's memory per connection at most "
         "%.1fx Linux's TCP-AO's (slab per connection, both ends, hmac, "
         "one key)" % MEM_MAX}
    m = S.get("memory") or {}
    if "tcpao/native" not in m:
        return dict(t, status="not measured")
    r = m["tcpao/native"]
    t.update(measured=r, value="%.2fx (%s against %s bytes; beyond plain "
             "TCP's %s: %s against %s)" % (
                 r, fmt(m["tcpao_per_conn"]), fmt(m["native_per_conn"]),
                 fmt(m["plain_per_conn"]), fmt(m["extra_per_conn"]),
                 fmt(m["native_extra_per_conn"])), reps_met="1 of 1"
             if r <= MEM_MAX else "0 of 1")
    if r <= MEM_MAX:
        return dict(t, status="met")
    t.update(status="MISSED", gap="%.2fx" % r)
    why = ["per endpoint, tcpao's own %s bytes against Linux's %s" % (
        fmt(m["extra_per_endpoint"]), fmt(m["native_extra_per_conn"] / 2))]
    if m.get("tcpao_caches") or m.get("native_caches"):
        why.append("caches that grew with tcpao: %s; with Linux's TCP-AO: "
                   "%s" % (", ".join("%s %s" % (k, fmt(v)) for k, v in
                                     m.get("tcpao_caches") or []) or "-",
                           ", ".join("%s %s" % (k, fmt(v)) for k, v in
                                     m.get("native_caches") or []) or "-"))
    # What the two keep per endpoint (src/conn.h, src/crypto.h; Linux's
    # struct tcp_ao_key): the difference is a choice of tcpao's.
    why.append("tcpao keeps its connection entry (328 bytes, a cache of "
               "its own) and, per MKT, the traffic keys with HMAC's inner "
               "and outer states prepared (two exported SHA-1 states per "
               "direction: 466 bytes, kmalloc-512); Linux keeps a copy of "
               "the key with its two 20-byte traffic keys, and sets the "
               "traffic key on its hmac transform for every segment")
    P = load_profiles(d, [os.path.dirname(f) for f in (d.get("_dirs") or [])])
    ch = (P.get("native-hmac") or {}).get("children") or {}
    if "crypto_ahash_setkey" in ch:
        why.append("which took %.1f%% of the CPU in Linux's 1-stream hmac "
                   "bulk profile (crypto_ahash_setkey, inclusive; "
                   "tcp_sigpool_start %.1f%% more): tcpao spends memory "
                   "where Linux spends time per segment" % (
                       ch["crypto_ahash_setkey"],
                       ch.get("tcp_sigpool_start", 0)))
    t["explanation"] = "; ".join(why) + "."
    return t


def native_summary(S, d, dirs):
    """S["native"]: per algorithm, tcpao / Linux's TCP-AO."""
    P = load_profiles(d, dirs)
    out = {}
    for alg, nat in NATIVE_OF.items():
        e = {}
        for key in ("bulk1", "bulk4", "crr"):
            r = (S.get(key + "_ratio") or {}).get("%s/%s" % (alg, nat))
            if r:
                e[key] = r
        sp = cost_split(S, P, alg, nat, "bulk%d" % (
            (d.get("params") or {}).get("profile_streams") or 1))
        if sp:
            e["cpu_per_byte"] = sp["total"]
            e["mac_per_byte"] = sp.get("mac")
        if e:
            out[alg] = e
    if out:
        S["native"] = out


def targets(S, d, dirs):
    P = load_profiles(d, dirs)
    T = ([target_bulk(S, d, P)] + target_segment(S, d, P) +
         [target_policies(S, d, P), target_alloc(S, d, P),
          target_dump(S, d, P)])
    if any((d.get(k) or {}).get(n) for k in ("bulk1", "crr")
           for n in NATIVE_OF.values()):
        T += [target_native_bulk(S, d, P, "hmac", 6),
              target_native_bulk(S, d, P, "cmac", 7),
              target_native_crr(S, d, P, 8),
              target_native_memory(S, d, P, 9)]
    return T


def targets_markdown(T, params=None):
    L = ["## Targets\n",
         "Each target is judged on the median; the spread and the "
         "repetitions that met it are beside it.\n",
         "| # | target | measured: median (min-max) | repetitions meeting "
         "it | result |",
         "|---|---|---|---:|---|"]
    for t in T:
        res = t["status"]
        if res == "MISSED":
            res = "**MISSED**: " + t["gap"]
        L.append("| %d | %s | %s | %s | %s |" % (
            t["id"], t["target"], t.get("value", "not measured"),
            t.get("reps_met", "-"), res))
    L.append("")
    for t in T:
        if t["status"] != "MISSED":
            if t.get("note"):
                L.append("Target %d: %s\n" % (t["id"], t["note"]))
            continue
        prof = [(n, f) for n, f in (t.get("profile") or {}).items() if f]
        if prof:
            streams = (params or {}).get("profile_streams") or 1
            L.append("Target %d missed.  Profile of a %d-stream bulk run "
                     "(self time, idle left out), %s." % (
                         t["id"], streams, "; ".join(
                             "%s: %s (idle %.1f%%)" % (
                                 f["file"], ", ".join(
                                     "%s %.1f%%" % kv for kv in f["top"]),
                                 f["idle"]) for n, f in prof)))
            L.append("Why: %s\n" % t["explanation"])
        else:
            L.append("Target %d missed.  Why: %s\n" % (
                t["id"], t["explanation"]))
    return L


def markdown(S):
    L = []
    sysi = S.get("system") or {}
    p = S.get("params") or {}
    L.append("# tcpao benchmark results\n")
    L.append("Machine: QEMU %s TCG guest (`-cpu max`, %s vCPU, %d MiB), "
             "kernel %s, clocksource %s; host %s.  **TCG emulates every "
             "instruction: absolute figures are tens of times below "
             "hardware and SIMD code is slowed far more than plain integer "
             "code; only the ratios measured side by side mean "
             "anything.**\n" % (
                 sysi.get("qemu", "7.2"), sysi.get("cpus"),
                 (sysi.get("mem_kb") or 0) // 1024, sysi.get("kernel"),
                 sysi.get("clocksource"), sysi.get("host", "?")))
    L.append("Crypto drivers in use: %s.  Repetitions: %s (interleaved); "
             "each cell is median (min-max).  Run took %.0f s in the "
             "guest.\n" % (
                 ", ".join("%s: %s" % kv for kv in
                           (sysi.get("tcpao_drivers") or {}).items()),
                 p.get("reps"), S.get("seconds") or 0))
    if S.get("targets"):
        L += targets_markdown(S["targets"], S.get("params"))

    names = dict(CASES)
    if S.get("native"):
        n = S["native"]
        L.append("## tcpao against Linux's own TCP-AO (same kernel, same "
                 "algorithm)\n")
        L.append("Ratios tcpao / Linux per repetition (above 1: tcpao is "
                 "faster, or for cost, dearer).  The MAC's cost per byte "
                 "comes from the 1-stream bulk profiles: the inclusive "
                 "share of the function that computes a segment's MAC "
                 "(tcpao_mac; Linux: tcp_ao_hash_skb, sending and "
                 "receiving), divided by the throughput.\n")
        L.append("| algorithm | bulk, 1 stream | bulk, 4 streams | "
                 "connections/s | MAC cost per byte | CPU per byte, all |")
        L.append("|---|---:|---:|---:|---:|---:|")
        for alg, e in n.items():
            L.append("| %s | %s | %s | %s | %s | %s |" % (
                alg, fr(e.get("bulk1")), fr(e.get("bulk4")),
                fr(e.get("crr")), "%.2fx" % e["mac_per_byte"]
                if e.get("mac_per_byte") else "-",
                "%.2fx" % e["cpu_per_byte"] if e.get("cpu_per_byte")
                else "-"))
        L.append("")
    if "bulk1" in S:
        L.append("## Bulk throughput (Mbit/s, %s s per run)\n" %
                 p.get("bulk_seconds"))
        L.append("| case | 1 stream | 4 streams |")
        L.append("|---|---:|---:|")
        for n, label in CASES:
            if n in S["bulk1"]:
                L.append("| %s | %s | %s |" % (
                    label, fs(S["bulk1"][n]), fs(S.get("bulk4", {}).get(n))))
        L.append("")
        L.append("| ratio (per repetition) | 1 stream | 4 streams |")
        L.append("|---|---:|---:|")
        for k in S["bulk1_ratio"]:
            L.append("| %s | %s | %s |" % (
                k.replace("/", " / "), fr(S["bulk1_ratio"][k]),
                fr(S.get("bulk4_ratio", {}).get(k))))
        L.append("")
    if "crr" in S:
        L.append("## Connection rate (connect, 1 byte each way, close)\n")
        L.append("| case | connections/s | connect() p50 (us) |")
        L.append("|---|---:|---:|")
        for n, label in CASES:
            if n in S["crr"]:
                L.append("| %s | %s | %s |" % (
                    label, fs(S["crr"][n]), fs(S["crr_connect_us"][n])))
        L.append("")
        L.append("| ratio (per repetition) | connections/s |")
        L.append("|---|---:|")
        for k, v in S["crr_ratio"].items():
            L.append("| %s | %s |" % (k.replace("/", " / "), fr(v)))
        L.append("")
    if "policies" in S or "conns" in S:
        L.append("## Handshake latency (connect(), us)\n")
        if S.get("legacy"):
            L.append("An earlier guest.py: %s handshakes per pair and run, "
                     "one pair after the other; per run, the median "
                     "(p50); ratios per run.\n" % p.get("lat_count"))
        else:
            L.append("One client process goes round the pairs compared, "
                     "one handshake at a time (%s per pair and run); per "
                     "run, the median (p50) and the 10th percentile (p10, "
                     "what is left when the shared host does not "
                     "interrupt); ratios per run.\n" % p.get("lat_count"))
        L.append("| configuration | p50 | p10 | p50 ratio | p10 ratio |")
        L.append("|---|---:|---:|---:|---:|")
        for k, v in sorted((S.get("policies") or {}).items(),
                           key=lambda kv: int(kv[0])):
            r = S["policies_ratio"].get(k, {})
            L.append("| tcpao hmac, %s peer polic%s | %s | %s | %s | %s |"
                     % ("{:,}".format(int(k)), "y" if k == "1" else "ies",
                        fs(v["p50"]), fs(v["p10"]),
                        fr(r.get("p50")) if r else "1",
                        fr(r.get("p10")) if r else "1"))
        for k, v in sorted((S.get("npolicies") or {}).items(),
                           key=lambda kv: int(kv[0])):
            r = S["npolicies_ratio"].get(k, {})
            L.append("| Linux TCP-AO hmac, %s key%s on the listener | %s | "
                     "%s | %s | %s |" % (
                         "{:,}".format(int(k)), "" if k == "1" else "s",
                         fs(v["p50"]), fs(v["p10"]),
                         fr(r.get("p50")) if r else "1",
                         fr(r.get("p10")) if r else "1"))
        for n, label in (("holdp", "plain TCP"), ("holda", "tcpao hmac"),
                         ("holdn", "Linux TCP-AO hmac")):
            c = (S.get("conns") or {}).get(n)
            if not c:
                continue
            L.append("| %s, %s | %s | %s | 1 | 1 |" % (
                label, "twin pair with no connection"
                if c["baseline"] == "twin" else
                "same pair before it held any", fs(c["twin_p50"]),
                fs(c["twin_p10"])))
            L.append("| %s, %s connections open | %s | %s | %s | %s |" % (
                label, "{:,}".format(c["held"]), fs(c["held_p50"]),
                fs(c["held_p10"]), fr(c["ratio_p50"]), fr(c["ratio_p10"])))
            if c["baseline"] != "twin":
                continue
            L.append("| %s, same pair before it held any (sanity) | %s | "
                     "%s | %s | %s |" % (
                         label, fs(c["before_p50"]), fs(c["before_p10"]),
                         fr(c["before_ratio_p50"]),
                         fr(c["before_ratio_p10"])))
        L.append("")
    if "memory" in S:
        m = S["memory"]
        L.append("## Memory per connection (slab, %s connections held, "
                 "both ends in this guest)\n" % "{:,}".format(
                     S["conns"]["holda"]["held"]))
        L.append("| | bytes per connection (2 endpoints) |")
        L.append("|---|---:|")
        L.append("| plain TCP (sockets, files, epoll) | %s |" %
                 fmt(m["plain_per_conn"]))
        L.append("| tcpao hmac | %s |" % fmt(m["tcpao_per_conn"]))
        L.append("| **tcpao's own** | **%s** (%s per endpoint) |" % (
            fmt(m["extra_per_conn"]), fmt(m["extra_per_endpoint"])))
        if "native_per_conn" in m:
            L.append("| Linux TCP-AO hmac | %s |" % fmt(m["native_per_conn"]))
            L.append("| **Linux TCP-AO's own** | **%s** (%s per endpoint) |"
                     % (fmt(m["native_extra_per_conn"]),
                        fmt(m["native_extra_per_conn"] / 2)))
            L.append("| tcpao / Linux TCP-AO | %.2fx (own: %s) |" % (
                m["tcpao/native"], "%.2fx" % m["tcpao/native_extra"]
                if "tcpao/native_extra" in m else "-"))
        L.append("")
        if m.get("tcpao_caches"):
            L.append("Caches that grew with tcpao only (bytes per "
                     "connection): " + ", ".join(
                         "%s %s" % (k, fmt(v)) for k, v in
                         m["tcpao_caches"]) + ".\n")
        if m.get("native_caches"):
            L.append("Caches that grew with Linux's TCP-AO only (bytes per "
                     "connection): " + ", ".join(
                         "%s %s" % (k, fmt(v)) for k, v in
                         m["native_caches"]) + ".\n")
    if "segment" in S:
        L.append("## Per-segment cost in the module (ns, 1448-byte "
                 "segment)\n")
        L.append("| algorithm | sign (hook) | verify (hook) | tcpao_mac | "
                 "floor: digest of the same bytes | sign / floor | "
                 "verify / floor |")
        L.append("|---|---:|---:|---:|---:|---:|---:|")
        for alg, e in S["segment"].items():
            L.append("| %s | %s | %s | %s | %s (%s, %s bytes) | %s | %s |" % (
                e["alg"], fs(e["sign_ns"]), fs(e["verify_ns"]),
                fs(e["mac_ns"]), fs(e["floor_ns"]), e["floor_driver"],
                e["mac_bytes"], fr(e["sign/floor"]), fr(e["verify/floor"])))
        L.append("")
        for alg, e in S["segment"].items():
            if e["alts"]:
                L.append("Other drivers, digest of the same bytes (%s): " %
                         e["alg"] + ", ".join(
                             "%s %s ns" % (k, fmt(v["median"]))
                             for k, v in e["alts"].items()) + ".")
        L.append("")
        L.append("Allocations counted (kmalloc and kmem_cache_alloc "
                 "tracepoints, on the bench's CPU) while the hooks ran: " +
                 ", ".join("%s sign %d, verify %d over %d segments each" % (
                     e["alg"], e["allocs_sign"], e["allocs_verify"],
                     e["iterations"]) for e in S["segment"].values()) +
                 ".\n")
    if "alloc" in S:
        L.append("## Allocations over a bulk transfer (%s bytes)\n" %
                 "{:,}".format(p.get("alloc_bytes") or 0))
        L.append("| case | allocations per segment (all call sites) | "
                 "by tcpao (call sites) |")
        L.append("|---|---:|---|")
        for n, label in CASES:
            if n in S["alloc"]:
                a = S["alloc"][n]
                L.append("| %s | %.2f | %s |" % (
                    label, a["allocs_per_segment"],
                    ", ".join("%s %d" % kv for kv in
                              a["tcpao_sites"].items()) or "none"))
        L.append("")
    if "dump" in S:
        e = S["dump"]["sizes"]
        L.append("## Connection dump (CONN_GET, raw netlink)\n")
        L.append("tests/tools/conndump: the table grown to each size by "
                 "SYNs from a raw socket, each dump timed from the request "
                 "to NLMSG_DONE with reads of up to %d bytes; %d "
                 "repetitions per size, one after the other; ratios per "
                 "repetition, and of the fastest ones.\n" % (
                     e[0]["bufsize"], e[0]["reps"]))
        L.append("| connections | dump (ms) | fastest | continuations | "
                 "listed exactly | ratio (per repetition) | ratio of the "
                 "fastest |")
        L.append("|---:|---:|---:|---:|---:|---:|---:|")
        for x in e:
            L.append("| %s | %s | %s | %d | %d of %d | %s | %s |" % (
                "{:,}".format(x["size"]), fs(x["ms"]), fmt(x["ms_min"]),
                x["recvs"], x["exact"], x["reps"], fr(x["ratio"]),
                "%.2fx" % x["ratio_min"] if x["ratio_min"] else "-"))
        L.append("")
    if "ab" in S:
        L.append("## Before / after the src/ changes (same run, "
                 "alternating modules)\n")
        L.append("| measure | before | after | after / before |")
        L.append("|---|---:|---:|---:|")
        for k, v in S["ab"].items():
            L.append("| %s | %s | %s | %s |" % (
                k, fs(v["base"]), fs(v["new"]), fr(v["new/base"])))
        L.append("")
    return "\n".join(L) + "\n"


def chart(S, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(2, 3, figsize=(16, 9))
    fig.suptitle("tcpao benchmark (QEMU TCG guest: ratios matter, not "
                 "absolute values); median, bars = min-max", fontsize=11)

    def bars(a, labels, stats, title, ylabel, colors=None):
        x = range(len(labels))
        m = [s["median"] if s and s["median"] is not None else 0
             for s in stats]
        lo = [max(0, mm - (s["min"] or mm)) if s else 0
              for mm, s in zip(m, stats)]
        hi = [max(0, (s["max"] or mm) - mm) if s else 0
              for mm, s in zip(m, stats)]
        a.bar(x, m, yerr=[lo, hi], capsize=3, color=colors)
        a.set_xticks(list(x))
        a.set_xticklabels(labels, rotation=30, ha="right", fontsize=8)
        a.set_title(title, fontsize=10)
        a.set_ylabel(ylabel, fontsize=9)

    short = {"plain": "plain", "ethoff": "plain\nethtool off",
             "nogso": "plain\n1 MSS/skb", "md5": "TCP-MD5",
             "hmac": "AO hmac", "cmac": "AO cmac",
             "native-hmac": "Linux AO\nhmac", "native-cmac": "Linux AO\ncmac"}
    col = {"plain": "#999999", "ethoff": "#bbbbbb", "nogso": "#777777",
           "md5": "#d62728", "hmac": "#1f77b4", "cmac": "#2ca02c",
           "native-hmac": "#aec7e8", "native-cmac": "#98df8a"}
    for i, key in enumerate(("bulk1", "bulk4")):
        if key in S:
            ns = [n for n, _ in CASES if n in S[key]]
            bars(ax[0][i], [short[n] for n in ns], [S[key][n] for n in ns],
                 "bulk, %s stream%s" % (key[-1], "" if key == "bulk1"
                                        else "s"), "Mbit/s",
                 [col[n] for n in ns])
    if "crr" in S:
        ns = [n for n, _ in CASES if n in S["crr"]]
        bars(ax[0][2], [short[n] for n in ns], [S["crr"][n] for n in ns],
             "connect + 1 byte each way + close", "connections/s",
             [col[n] for n in ns])
    labels, stats = [], []
    for k, v in sorted((S.get("policies") or {}).items(),
                       key=lambda kv: int(kv[0])):
        labels.append("%s polic%s" % (k, "y" if k == "1" else "ies"))
        stats.append(v["p50"])
    for k, v in sorted((S.get("npolicies") or {}).items(),
                       key=lambda kv: int(kv[0])):
        labels.append("Linux AO, %s key%s" % (k, "" if k == "1" else "s"))
        stats.append(v["p50"])
    for n, label in (("holdp", "plain"), ("holda", "AO"),
                     ("holdn", "Linux AO")):
        c = (S.get("conns") or {}).get(n)
        if c:
            labels += ["%s, none open" % label, "%s, %dk open" % (
                label, c["held"] // 1000)]
            stats += [c["twin_p50"], c["held_p50"]]
    if labels:
        bars(ax[1][0], labels, stats, "handshake latency (connect() p50)",
             "us")
    if "segment" in S:
        labels, stats, colors = [], [], []
        for alg, e in S["segment"].items():
            for k, c in (("sign_ns", "#1f77b4"), ("verify_ns", "#ff7f0e"),
                         ("mac_ns", "#9467bd"), ("floor_ns", "#7f7f7f")):
                labels.append("%s %s" % (alg, k[:-3]))
                stats.append(e[k])
                colors.append(c)
        bars(ax[1][1], labels, stats, "per 1448-byte segment in the module",
             "ns", colors)
    if "memory" in S:
        m = S["memory"]
        a = ax[1][2]
        vals = [m["plain_per_conn"], m["tcpao_per_conn"]]
        names = ["plain TCP", "tcpao hmac"]
        if "native_per_conn" in m:
            vals.append(m["native_per_conn"])
            names.append("Linux AO hmac")
        a.bar(range(len(vals)), vals,
              color=["#999999", "#1f77b4", "#aec7e8"][:len(vals)])
        a.set_xticks(list(range(len(vals))))
        a.set_xticklabels(names, fontsize=8)
        a.set_title("slab per connection (both ends)", fontsize=10)
        a.set_ylabel("bytes", fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    with open(sys.argv[1]) as f:
        d = json.load(f)
    outdir = sys.argv[2]
    os.makedirs(outdir, exist_ok=True)
    extra = {}
    i = 3
    while i + 1 < len(sys.argv):
        extra[sys.argv[i].lstrip("-")] = sys.argv[i + 1]
        i += 2
    if "system" in d:
        for k, v in extra.items():
            d["system"][k] = v
    S = summarize(d)
    dirs = [outdir, os.path.dirname(os.path.abspath(sys.argv[1]))]
    d["_dirs"] = [os.path.join(x, "bench.json") for x in dirs]
    S["targets"] = targets(S, d, dirs)
    native_summary(S, d, dirs)
    with open(os.path.join(outdir, "summary.json"), "w") as f:
        json.dump(S, f, indent=1)
    md = markdown(S)
    with open(os.path.join(outdir, "RESULTS.md"), "w") as f:
        f.write(md)
    try:
        chart(S, os.path.join(outdir, "bench.png"))
    except ImportError as e:
        print("report.py: no chart: %s" % e, file=sys.stderr)
    sys.stdout.write(md)
    return 0


if __name__ == "__main__":
    sys.exit(main())
