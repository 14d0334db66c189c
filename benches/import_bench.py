#!/usr/bin/env python3
"""Import benchmark: a training ledger of N rows (default 10,000) in a consortium of 50 members is
exported to .xlsx and written as a UTF-8 CSV, then imported into an empty consortium with
`chanjiao import training`, several times each; the median wall time of each is reported, with a
`chanjiao check` of the same site in the same run as the yardstick.

Usage: python3 benches/import_bench.py [--rows 10000] [--runs 5] [--chanjiao PATH]
Build chanjiao first (`cargo build --release`).
"""
import argparse
import os
import shutil
import statistics
import subprocess
import tempfile
import time

SITE = 'title = "导入基准"\nbase_url = "https://example.org/"\nreport_year = 2024\n'
PROFILE = ('name = "基准联合体"\nshort_name = "基准"\nfounded = 2023-01-01\n'
           '[leads]\npark = {{ member = "m0" }}\nschool = {{ member = "m1" }}\nenterprise = {{ member = "m2" }}\n')
AUDIENCES = ["enterprise_staff", "social", "students", "teachers"]


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def generate(root, rows):
    write(f"{root}/content/site.toml", SITE)
    for c in ["full", "empty"]:
        write(f"{root}/content/consortia/{c}/consortium.toml", PROFILE.format())
        members = "".join(
            f'[[member]]\nid = "m{i}"\nname = "成员单位{i}"\nkind = "{"government" if i == 0 else "higher_vocational" if i == 1 else "enterprise"}"\njoined = 2023-01-01\n\n'
            for i in range(50))
        write(f"{root}/content/consortia/{c}/members.toml", members)
    sessions = "".join(
        f'[[session]]\ndate = 2024-{i % 12 + 1:02}-{i % 28 + 1:02}\ntitle = "第{i}期技能培训"\n'
        f'provider = "m{i % 50}"\naudience = "{AUDIENCES[i % 4]}"\nparticipants = {i % 200 + 10}\n'
        f'person_days = {(i % 200 + 10) * 1.5}\n\n'
        for i in range(rows))
    write(f"{root}/content/consortia/full/training.toml", sessions)


def timed(cmd):
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=10000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--chanjiao", default="target/release/chanjiao")
    args = ap.parse_args()
    exe = os.path.abspath(args.chanjiao)
    with tempfile.TemporaryDirectory(prefix="chanjiao-import-") as root:
        generate(root, args.rows)
        book = f"{root}/台账.xlsx"
        subprocess.run([exe, "export", "--root", root, "--consortium", "full", book], check=True,
                       stderr=subprocess.DEVNULL)
        csv = f"{root}/台账.csv"
        with open(csv, "w", encoding="utf-8") as f:
            f.write("培训日期,培训名称,实施单位,培训对象,人次,人日\n")
            for i in range(args.rows):
                f.write(f"2024/{i % 12 + 1}/{i % 28 + 1},第{i}期技能培训,成员单位{i % 50},企业员工,"
                        f"{i % 200 + 10},{(i % 200 + 10) * 1.5}\n")
        target = f"{root}/content/consortia/empty/training.toml"
        results = {}
        for name, source in [("xlsx", book), ("csv", csv)]:
            times = []
            for _ in range(args.runs):
                if os.path.exists(target):
                    os.remove(target)
                times.append(timed([exe, "import", "training", source, "--root", root,
                                    "--consortium", "empty"]))
            results[name] = statistics.median(times)
        check = statistics.median(timed([exe, "check", "--root", root]) for _ in range(args.runs))
    for name, t in results.items():
        print(f"import of {args.rows} rows from {name}: {t:.3f} s median of {args.runs} "
              f"({t / check:.2f}x a check of the same site, {check:.3f} s)")


if __name__ == "__main__":
    main()
