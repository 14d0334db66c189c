#!/usr/bin/env python3
"""Scaling benchmark: does the cost of `check` and `build` grow in proportion to the input?

For each case, generates the bundled test fixture (tests/fixtures/base) with one part grown to
N items, runs `chanjiao check` and `chanjiao build` on it (median of --runs), and reports the
seconds per 1,000 items and how that compares with the smallest size: a ratio near 1 is linear,
one that doubles with the size is quadratic.

Cases:
  chart-blocks   N chart blocks in one announcement's body
  groups         N indicator groups in site.toml
  unknown-keys   N unknown keys in site.toml (every one a diagnostic; 50 are printed)
  nesting        a body of N list levels on one line (`- - - …`) with one raw HTML element
  sessions       N training sessions in training.toml
  members        N member units in members.toml

Usage: python3 benches/scaling_bench.py [--chanjiao target/release/chanjiao]
       [--case chart-blocks --sizes 1000,2000,4000] [--runs 3]
"""

import argparse
import os
import shutil
import statistics
import subprocess
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURE = os.path.join(ROOT, "tests", "fixtures", "base")

DEFAULT_SIZES = {
    "chart-blocks": [1000, 2000, 4000],
    "groups": [10000, 30000, 100000],
    "unknown-keys": [10000, 30000, 100000],
    "nesting": [10000, 20000, 40000],
    "sessions": [10000, 30000, 100000],
    "members": [10000, 30000, 100000],
}


def grow(site, case, n):
    """Writes the grown part of the fixture copy at `site`."""
    if case == "chart-blocks":
        body = "\n\n".join('```chart\nindicator = "co_built_majors"\n```' for _ in range(n))
        path = os.path.join(site, "content/consortia/alpha/announcements/many-charts.md")
        with open(path, "w", encoding="utf-8") as f:
            f.write('+++\ntitle = "许多图表"\ndate = 2024-05-01\n+++\n' + body + "\n")
    elif case in ("groups", "unknown-keys"):
        path = os.path.join(site, "content/site.toml")
        with open(path, encoding="utf-8") as f:
            text = f.read()
        if case == "groups":
            extra = "".join(f'\n[groups.g{i}]\nname = "分组{i}"\n' for i in range(n))
            text += extra
        else:
            text = "".join(f"extra_{i} = 1\n" for i in range(n)) + text
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
    elif case == "nesting":
        path = os.path.join(site, "content/consortia/alpha/announcements/deep.md")
        with open(path, "w", encoding="utf-8") as f:
            f.write('+++\ntitle = "层层嵌套"\ndate = 2024-05-01\n+++\n' + "- " * n + "<span>深处</span>\n")
    elif case == "sessions":
        path = os.path.join(site, "content/consortia/alpha/training.toml")
        with open(path, "a", encoding="utf-8") as f:
            for i in range(n):
                f.write(f'\n[[session]]\ndate = 2024-{1 + i % 12:02}-{1 + i % 28:02}\n'
                        f'title = "培训{i}"\nprovider = "college"\naudience = "enterprise_staff"\n'
                        f'participants = 10\nperson_days = 20\n')
    elif case == "members":
        path = os.path.join(site, "content/consortia/alpha/members.toml")
        with open(path, "a", encoding="utf-8") as f:
            for i in range(n):
                f.write(f'\n[[member]]\nid = "m{i}"\nname = "成员企业{i}有限公司"\n'
                        f'kind = "enterprise"\njoined = 2023-06-01\n')
    else:
        raise SystemExit(f"unknown case {case}")


def timed(cmd):
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--chanjiao", default=os.path.join(ROOT, "target/release/chanjiao"))
    ap.add_argument("--case", action="append", choices=sorted(DEFAULT_SIZES))
    ap.add_argument("--sizes", help="comma-separated sizes (with a single --case)")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    cases = args.case or sorted(DEFAULT_SIZES)
    tmp = "/dev/shm" if os.path.isdir("/dev/shm") else None
    print(f"{'case':14} {'N':>7} {'check s':>8} {'per 1k':>7} {'ratio':>6} {'build s':>8} {'per 1k':>7} {'ratio':>6}")
    for case in cases:
        sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else DEFAULT_SIZES[case]
        first = None
        for n in sizes:
            with tempfile.TemporaryDirectory(dir=tmp) as d:
                site = os.path.join(d, "site")
                shutil.copytree(FIXTURE, site)
                grow(site, case, n)
                out = os.path.join(d, "out")
                check = statistics.median(
                    timed([args.chanjiao, "check", "--root", site]) for _ in range(args.runs)
                )
                build = statistics.median(
                    timed([args.chanjiao, "build", "--root", site, "--output", out])
                    for _ in range(args.runs)
                )
            per = (check / n * 1000, build / n * 1000)
            first = first or per
            print(
                f"{case:14} {n:7} {check:8.2f} {per[0]:7.3f} {per[0] / first[0]:6.2f} "
                f"{build:8.2f} {per[1]:7.3f} {per[1] / first[1]:6.2f}"
            )


if __name__ == "__main__":
    main()
