#!/usr/bin/env python3
"""Search benchmark: the cost of the search index in a build, and what a reader downloads for one
query.

Generates the corpus of build_bench.py (N announcements in 50 consortia by default) twice, the
second with `[search] enabled = false` in site.toml, and builds both with the same binary,
interleaved, several times; reports the median wall time and peak memory of each and their ratio.
Then, on the index the first build wrote, runs each query as static/search.js does (the same
tokens, shards, ranking and fragments) and reports the bytes a reader downloads for it:
meta.json, the shards of its tokens and the fragments of the first 20 results.

Usage: python3 benches/search_bench.py [--announcements 10000] [--runs 5] [--chanjiao PATH]
Build chanjiao first (`cargo build --release`).
"""
import argparse
import importlib.util
import json
import os
import shutil
import statistics
import sys
import tempfile
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("build_bench", os.path.join(HERE, "build_bench.py"))
build_bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(build_bench)

QUERIES = ["订单培养", "现场工程师", "第123篇", "基准联合体7", "共建专业", "成员单位3-2"]
SHOWN = 20


def is_han(c):
    o = ord(c)
    return 0x3400 <= o <= 0x4DBF or 0x4E00 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0x20000 <= o <= 0x2FA1F


def tokens(text):
    """src/site/search.rs's tokens (Python's isalnum is close enough for these queries)."""
    out, han, word = [], [], ""
    def flush():
        nonlocal han, word
        if len(han) == 1:
            out.append(han[0])
        out.extend(han[i] + han[i + 1] for i in range(len(han) - 1))
        han = []
        if word:
            out.append(word)
        word = ""
    for c in unicodedata.normalize("NFKC", text).lower():
        if is_han(c):
            if word:
                out.append(word)
                word = ""
            han.append(c)
        elif c.isalnum():
            if han:
                flush()
            word += c
        else:
            flush()
    flush()
    return out


def shard_of(token, shards):
    h = 0x811C9DC5
    for b in token.encode("utf-8"):
        h = ((h ^ b) * 0x01000193) & 0xFFFFFFFF
    return h % max(shards, 1)


def download(index, query):
    """Bytes a reader fetches for `query`, and how many pages match."""
    size = lambda p: os.path.getsize(os.path.join(index, p))
    meta = json.load(open(os.path.join(index, "meta.json"), encoding="utf-8"))
    words = list(dict.fromkeys(tokens(query)))
    files = {"meta.json"}
    lists = []
    for t in words:
        shard = f"s/{shard_of(t, meta['shards'])}.json"
        files.add(shard)
        postings, doc = {}, 0
        for v in json.load(open(os.path.join(index, shard), encoding="utf-8")).get(t, []):
            doc += v // 2
            postings[doc] = v % 2 == 1
        lists.append(postings)
    scored = []
    for doc in lists[0] if lists else []:
        if all(doc in l for l in lists):
            scored.append((-sum(3 if l[doc] else 1 for l in lists), doc))
    scored.sort(key=lambda s: (s[0], meta["kinds"][s[1]], s[1]))
    for _, doc in scored[:SHOWN]:
        folder, start = [p for p in meta["parts"] if p[1] <= doc][-1]
        files.add(f"f/{folder}/{(doc - start) // meta['fragment']}.json")
    return sum(size(f) for f in files), len(scored)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--announcements", type=int, default=10000)
    ap.add_argument("--consortia", type=int, default=50)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--chanjiao", default=os.path.join(HERE, "..", "target", "release", "chanjiao"))
    ap.add_argument("--tmp", default="/dev/shm" if os.path.isdir("/dev/shm") else None)
    args = ap.parse_args()
    if not os.path.exists(args.chanjiao):
        sys.exit(f"no chanjiao binary at {args.chanjiao}: run `cargo build --release` first")
    per = max(1, args.announcements // args.consortia)
    with tempfile.TemporaryDirectory(dir=args.tmp, prefix="chanjiao-search-") as tmp:
        on, _ = build_bench.generate(os.path.join(tmp, "on"), args.consortia, per)
        off, _ = build_bench.generate(os.path.join(tmp, "off"), args.consortia, per)
        with open(os.path.join(off, "content", "site.toml"), "a", encoding="utf-8") as f:
            f.write("\n[search]\nenabled = false\n")
        outs = {"with search": os.path.join(tmp, "on-public"), "without": os.path.join(tmp, "off-public")}
        roots = {"with search": on, "without": off}
        results = {k: [] for k in outs}
        for _ in range(args.runs):
            for k in outs:
                results[k].append(build_bench.run([args.chanjiao, "build", "--root", roots[k], "--output", outs[k]]))
        print(f"{per * args.consortia} announcements in {args.consortia} consortia, "
              f"{build_bench.count_pages(outs['with search'])} pages")
        med = {k: statistics.median(r[0] for r in rs) for k, rs in results.items()}
        rss = {k: max(r[1] for r in rs) for k, rs in results.items()}
        for k in outs:
            print(f"  {k:<12} median {med[k]:.3f} s, peak {rss[k]:.1f} MiB")
        print(f"  the build with search takes {med['with search'] / med['without']:.2f}x the build without, "
              f"with {rss['with search'] / rss['without']:.2f}x its peak memory")
        index = os.path.join(outs["with search"], "search")
        total = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(index) for f in fs)
        print(f"  index: {total / 1e6:.1f} MB in all")
        worst = 0
        for q in QUERIES:
            size, n = download(index, q)
            worst = max(worst, size)
            print(f"  query {q!r}: {n} pages match; a reader downloads {size / 1024:.0f} KB")
        print(f"  largest download for one query: {worst / 1024:.0f} KB")


if __name__ == "__main__":
    main()
