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
]


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


def summarize(d):
    S = {"system": d.get("system"), "params": d.get("params"),
         "seconds": d.get("seconds")}
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
            for base in ("md5", "plain"):
                if ao in v and base in v:
                    rat["%s/%s" % (ao, base)] = ratio_stat(v[ao], v[base])
        S["crr_ratio"] = rat
    if "policies" in d:
        reps = d["policies"]
        names = sorted(reps[0], key=lambda n: int(n[3:]))
        S["policies"] = {n[3:]: {q: stat([r[n][q] for r in reps])
                                 for q in ("p10", "p50", "p90", "min")}
                         for n in names}
        S["policies_ratio"] = {
            n[3:]: {q: ratio_stat([r[n][q] for r in reps],
                                  [r[names[0]][q] for r in reps])
                    for q in ("p10", "p50")}
            for n in names[1:]}
    if "conns" in d:
        c = d["conns"]
        S["conns"] = {}
        for held, idle in (("holdp", "idlep"), ("holda", "idlea")):
            if held not in c:
                continue
            conns = c[held]["hold"]["conns"] or 1
            e = {"held": c[held]["hold"]["conns"],
                 "hold_seconds": c[held]["hold"]["seconds"],
                 "slab_per_conn": c[held]["slab"]["slab"] / conns,
                 "caches_per_conn": c[held]["slab"]["caches_total"] / conns,
                 "top": c[held]["slab"]["top"]}
            for q in ("p10", "p50"):
                e["held_" + q] = stat([r[held][q] for r in c["lat_held"]])
                e["twin_" + q] = stat([r[idle][q] for r in c["lat_held"]])
                e["ratio_" + q] = ratio_stat(
                    [r[held][q] for r in c["lat_held"]],
                    [r[idle][q] for r in c["lat_held"]])
                # The same pair before it held anything.
                e["before_" + q] = stat([r[held][q]
                                         for r in c["lat_before"]])
                e["before_ratio_" + q] = ratio_stat(
                    [r[held][q] for r in c["lat_before"]],
                    [r[idle][q] for r in c["lat_before"]])
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
            # Caches that grew only (or mostly) with tcpao.
            pt = dict(p["top"])
            S["memory"]["tcpao_caches"] = [
                (k, (v - pt.get(k, 0)) / (a["held"] or 1))
                for k, v in a["top"] if v - pt.get(k, 0) > 0.1 * abs(v)]
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

    names = dict(CASES)
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
        L.append("One client process goes round the pairs compared, one "
                 "handshake at a time (%s per pair and run); per run, the "
                 "median (p50) and the 10th percentile (p10, what is left "
                 "when the shared host does not interrupt); ratios per "
                 "run.\n" % p.get("lat_count"))
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
        for n, label in (("holdp", "plain TCP"), ("holda", "tcpao hmac")):
            c = (S.get("conns") or {}).get(n)
            if not c:
                continue
            L.append("| %s, twin pair with no connection | %s | %s | 1 | "
                     "1 |" % (label, fs(c["twin_p50"]), fs(c["twin_p10"])))
            L.append("| %s, %s connections open | %s | %s | %s | %s |" % (
                label, "{:,}".format(c["held"]), fs(c["held_p50"]),
                fs(c["held_p10"]), fr(c["ratio_p50"]), fr(c["ratio_p10"])))
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
        L.append("")
        if m.get("tcpao_caches"):
            L.append("Caches that grew with tcpao only (bytes per "
                     "connection): " + ", ".join(
                         "%s %s" % (k, fmt(v)) for k, v in
                         m["tcpao_caches"]) + ".\n")
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
             "hmac": "AO hmac", "cmac": "AO cmac"}
    col = {"plain": "#999999", "ethoff": "#bbbbbb", "nogso": "#777777",
           "md5": "#d62728", "hmac": "#1f77b4", "cmac": "#2ca02c"}
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
    for n, label in (("holdp", "plain"), ("holda", "AO")):
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
        a.bar([0, 1], [m["plain_per_conn"], m["tcpao_per_conn"]],
              color=["#999999", "#1f77b4"])
        a.set_xticks([0, 1])
        a.set_xticklabels(["plain TCP", "tcpao hmac"], fontsize=8)
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
