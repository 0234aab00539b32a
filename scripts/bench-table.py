#!/usr/bin/env python3
"""Summarise `cargo bench --bench engine` as a Markdown table.

Reads criterion's `target/criterion/<group>/<jar>[/<size>]/new/estimates.json` (median point
estimates, in nanoseconds) and prints:

- lookup: for each jar size, the median time of one `Cookie` header per jar, the ratio
  peer/ours (how many times slower the peer is), and our 100k/1k flatness ratio;
- ingest: the median time per `Set-Cookie` header (stream time / stream length) per jar, with
  the same ratios;
- when the bench ran with `--features reqwest`: the same for `ours-trait`, our jar driven
  through reqwest's `CookieStore` trait as a reqwest client drives it, beside the peers.

Usage: python3 scripts/bench-table.py [CRITERION_DIR]   (default: target/criterion, found
from the current directory or the repository root). Python 3.11+, standard library only.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

JARS = ("ours", "cookie_store", "reqwest")
PEERS = JARS[1:]
SIZES = ("1k", "10k", "100k")
DEFAULT_STREAM = 1000


def find_criterion_dir(argv: list[str]) -> Path:
    if len(argv) > 1:
        return Path(argv[1])
    candidates = [Path.cwd() / "target" / "criterion"]
    repo = Path(__file__).resolve().parent.parent
    candidates.append(repo / "target" / "criterion")
    target_dir = os.environ.get("CARGO_TARGET_DIR")
    if target_dir:
        candidates.insert(0, Path(target_dir) / "criterion")
    for c in candidates:
        if c.is_dir():
            return c
    sys.exit(f"no criterion output found (looked in {', '.join(map(str, candidates))}); "
             "run `cargo bench --bench engine` first")


def load(bench_dir: Path) -> dict | None:
    """The `new/` estimates and benchmark description of one benchmark, or None."""
    est = bench_dir / "new" / "estimates.json"
    if not est.is_file():
        return None
    with est.open() as f:
        estimates = json.load(f)
    info = {}
    meta = bench_dir / "new" / "benchmark.json"
    if meta.is_file():
        with meta.open() as f:
            info = json.load(f)
    return {"median": estimates["median"]["point_estimate"], "info": info}


def fmt_time(ns: float | None) -> str:
    if ns is None:
        return "—"
    if ns < 1e3:
        return f"{ns:.0f} ns"
    if ns < 1e6:
        return f"{ns / 1e3:.2f} µs"
    if ns < 1e9:
        return f"{ns / 1e6:.2f} ms"
    return f"{ns / 1e9:.2f} s"


def fmt_ratio(num: float | None, den: float | None) -> str:
    if num is None or den is None or den == 0:
        return "—"
    r = num / den
    return f"{r:,.0f}×" if r >= 100 else f"{r:.1f}×"


def stream_length(entry: dict) -> int:
    throughput = entry["info"].get("throughput") or {}
    for key in ("Elements", "Bytes", "BytesDecimal"):
        if key in throughput:
            return int(throughput[key])
    return DEFAULT_STREAM


def main(argv: list[str]) -> int:
    root = find_criterion_dir(argv)
    out: list[str] = []

    lookup = {(jar, size): load(root / "lookup" / jar / size) for jar in JARS for size in SIZES}
    if any(lookup.values()):
        out.append("### Lookup: one `Cookie` header (median)\n")
        head = ["jar size", *JARS, *(f"{p} / ours" for p in PEERS)]
        out.append("| " + " | ".join(head) + " |")
        out.append("|" + "|".join(["---"] + ["---:"] * (len(head) - 1)) + "|")
        for size in SIZES:
            t = {jar: (e["median"] if (e := lookup[(jar, size)]) else None) for jar in JARS}
            row = [size, *(fmt_time(t[j]) for j in JARS), *(fmt_ratio(t[p], t["ours"]) for p in PEERS)]
            out.append("| " + " | ".join(row) + " |")
        first, last = lookup[("ours", SIZES[0])], lookup[("ours", SIZES[-1])]
        if first and last:
            out.append(f"\nFlatness, ours {SIZES[-1]} / {SIZES[0]}: "
                       f"{last['median'] / first['median']:.2f}")
        out.append("")

    ingest = {jar: load(root / "ingest" / jar) for jar in JARS}
    if any(ingest.values()):
        n = next(stream_length(e) for e in ingest.values() if e)
        out.append(f"### Ingest: a stream of {n:,} `Set-Cookie` headers into a fresh jar "
                   "(median, per header)\n")
        head = ["", *JARS, *(f"{p} / ours" for p in PEERS)]
        out.append("| " + " | ".join(head) + " |")
        out.append("|" + "|".join(["---"] + ["---:"] * (len(head) - 1)) + "|")
        per = {j: (e["median"] / stream_length(e) if (e := ingest[j]) else None) for j in JARS}
        row = ["per header", *(fmt_time(per[j]) for j in JARS),
               *(fmt_ratio(per[p], per["ours"]) for p in PEERS)]
        out.append("| " + " | ".join(row) + " |")
        whole = {j: (e["median"] if (e := ingest[j]) else None) for j in JARS}
        row = [f"per stream ({n:,})", *(fmt_time(whole[j]) for j in JARS),
               *(fmt_ratio(whole[p], whole["ours"]) for p in PEERS)]
        out.append("| " + " | ".join(row) + " |")

    trait_lookup = {size: load(root / "lookup" / "ours-trait" / size) for size in SIZES}
    trait_ingest = load(root / "ingest" / "ours-trait")
    if any(trait_lookup.values()) or trait_ingest:
        out.append("\n### Through reqwest's `CookieStore` trait: `ours-trait` (median)\n")
        head = ["", "ours-trait", *PEERS, *(f"{p} / ours-trait" for p in PEERS)]
        out.append("| " + " | ".join(head) + " |")
        out.append("|" + "|".join(["---"] + ["---:"] * (len(head) - 1)) + "|")
        for size in SIZES:
            e = trait_lookup[size]
            if not e:
                continue
            t = {p: (x["median"] if (x := lookup[(p, size)]) else None) for p in PEERS}
            row = [f"lookup, {size}", fmt_time(e["median"]), *(fmt_time(t[p]) for p in PEERS),
                   *(fmt_ratio(t[p], e["median"]) for p in PEERS)]
            out.append("| " + " | ".join(row) + " |")
        if trait_ingest:
            mine = trait_ingest["median"] / stream_length(trait_ingest)
            per = {p: (x["median"] / stream_length(x) if (x := ingest[p]) else None)
                   for p in PEERS}
            row = ["ingest, per header", fmt_time(mine), *(fmt_time(per[p]) for p in PEERS),
                   *(fmt_ratio(per[p], mine) for p in PEERS)]
            out.append("| " + " | ".join(row) + " |")

    if not out:
        sys.exit(f"no lookup/ or ingest/ results under {root}")
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
