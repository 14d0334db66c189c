#!/usr/bin/env python3
"""Build benchmark: chanjiao against Hugo (and, optionally, another chanjiao build) on the same
generated corpus.

Generates N consortia x M announcements (plus a few members and programmes each) as a chanjiao
site, and the same announcement pages, list pages and home page as a Hugo site. Both are built
into tmpfs (/dev/shm) several times; the median wall time, pages per second and peak resident
memory of each tool are reported, with the ratio measured in the same run.

`--baseline PATH` adds a second chanjiao binary (say, one built from an earlier commit) run on the
same corpus, interleaved with the others, and reports the current build's ratio against it.

Usage: python3 benches/build_bench.py [--sizes 1000,10000] [--runs 5] [--chanjiao PATH] [--hugo PATH]
                                      [--baseline PATH] [--consortia N] [--elder]
Build chanjiao first (`cargo build --release`). Hugo is Debian's `hugo` package.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

KINDS = ["higher_vocational", "secondary_vocational", "enterprise", "enterprise", "government", "research"]
PARA = ("联合体成员学校与企业围绕区域主导产业，**共同制定**人才培养方案，共建课程与实训基地，"
        "开展订单培养和现场工程师培养，面向企业员工开展岗位技能提升培训。")


def body(i):
    return (f"## 一、基本情况\n\n{PARA}\n\n**注意：**本文为基准测试生成的第{i}篇公告。\n\n"
            f"## 二、主要成效\n\n- 新增共建专业 {i % 7 + 1} 个\n- 培训 {i * 13 % 900 + 100} 人日\n\n"
            f"| 指标 | 数值 |\n|---|--:|\n| 共建课程 | {i % 40} |\n| 就业率 | 96.{i % 10}% |\n\n{PARA}\n")


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def generate(root, consortia, announcements, elder=False):
    """Writes the chanjiao site to root/chanjiao and the Hugo site to root/hugo. Without `elder`,
    the chanjiao site turns off its large-type version (长辈模式), so that both sites have the same
    pages."""
    cj, hg = os.path.join(root, "chanjiao"), os.path.join(root, "hugo")
    site = 'title = "基准测试"\nbase_url = "https://example.org/"\nreport_year = 2024\n'
    if not elder:
        site += "\n[accessibility]\nelder = false\n"
    write(f"{cj}/content/site.toml", site)
    write(f"{hg}/config.toml", 'baseURL = "https://example.org/"\ntitle = "基准测试"\nlanguageCode = "zh-CN"\n'
          'disableKinds = ["taxonomy", "term", "RSS"]\n[markup.goldmark.renderer]\nunsafe = false\n')
    write(f"{hg}/layouts/_default/baseof.html", '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
          '<title>{{ .Title }} - {{ .Site.Title }}</title><link rel="stylesheet" href="/style.css"></head><body>'
          '<header><a href="/">{{ .Site.Title }}</a></header><main>{{ block "main" . }}{{ end }}</main></body></html>')
    write(f"{hg}/layouts/_default/single.html", '{{ define "main" }}<article><h1>{{ .Title }}</h1>'
          '<p><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2006年1月2日" }}</time></p>'
          '<p>{{ .Params.summary }}</p>{{ .Content }}</article>{{ end }}')
    write(f"{hg}/layouts/_default/list.html", '{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}'
          '<li><time>{{ .Date.Format "2006-01-02" }}</time> <a href="{{ .RelPermalink }}">{{ .Title }}</a></li>'
          '{{ end }}</ul>{{ end }}')
    write(f"{hg}/layouts/index.html", '{{ define "main" }}<h1>{{ .Site.Title }}</h1><ul>{{ range .Site.Sections }}'
          '<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}')
    write(f"{hg}/static/style.css", "body{font-family:sans-serif}\n")
    write(f"{hg}/content/consortia/_index.md", '+++\ntitle = "联合体"\n+++\n')
    for c in range(consortia):
        cid = f"c{c:03d}"
        base = f"{cj}/content/consortia/{cid}"
        members = "".join(
            f'[[member]]\nid = "m{k}"\nname = "成员单位{c}-{k}"\nkind = "{KINDS[k]}"\n'
            + (f"students = {5000 + k * 100}\n" if KINDS[k] in ("higher_vocational", "secondary_vocational") else "")
            + "\n" for k in range(len(KINDS)))
        write(f"{base}/members.toml", members)
        write(f"{base}/consortium.toml", f'name = "基准联合体{c}"\nshort_name = "基准{c}"\nfounded = 2021-06-01\n\n'
              '[leads]\npark = { member = "m4" }\nschool = { member = "m0" }\nenterprise = { member = "m2" }\n')
        write(f"{base}/indicators.toml", "[actual]\nco_built_majors = { 2022 = 5, 2023 = 8, 2024 = 11 }\n"
              "employment_rate = { 2022 = 95.2, 2023 = 96.0, 2024 = 96.4 }\n\n[committed]\nco_built_majors = { 2025 = 14 }\n")
        write(f"{base}/training.toml", '[[session]]\ndate = 2024-03-12\ntitle = "培训"\nprovider = "m0"\n'
              'audience = "enterprise_staff"\nparticipants = 60\nperson_days = 180\n')
        write(f"{base}/programmes/major.md", '+++\ntitle = "共建专业"\nkind = "major"\npartners = ["m0", "m2"]\n'
              f'start_year = 2023\nstatus = "building"\n+++\n{PARA}\n')
        write(f"{hg}/content/consortia/{cid}/_index.md", f'+++\ntitle = "基准联合体{c}"\n+++\n')
        write(f"{hg}/content/consortia/{cid}/announcements/_index.md", '+++\ntitle = "成果公告"\n+++\n')
        for a in range(announcements):
            date = f"2024-{a % 12 + 1:02d}-{a % 28 + 1:02d}"
            title = f"基准联合体{c}第{a}号成果公告"
            text = body(a)
            write(f"{base}/announcements/a{a:04d}.md",
                  f'+++\ntitle = "{title}"\ndate = {date}\ntags = ["成果公告"]\nsummary = "摘要{a}"\n+++\n{text}')
            write(f"{hg}/content/consortia/{cid}/announcements/a{a:04d}.md",
                  f'+++\ntitle = "{title}"\ndate = {date}\nsummary = "摘要{a}"\n+++\n{text}')
    return cj, hg


def run(cmd, cwd=None):
    """Runs cmd; returns (seconds, peak RSS in MiB) of that child alone."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    err = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{err}")
    return elapsed, usage.ru_maxrss / 1024


def count_pages(folder):
    return sum(1 for _, _, files in os.walk(folder) for f in files if f.endswith(".html"))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,10000", help="target page counts")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--chanjiao", default=os.path.join(os.path.dirname(__file__), "..", "target", "release", "chanjiao"))
    ap.add_argument("--hugo", default=shutil.which("hugo"))
    ap.add_argument("--baseline", help="another chanjiao binary to compare with on the same corpus")
    ap.add_argument("--elder", action="store_true",
                    help="keep the large-type version of every page (doubles chanjiao's pages; "
                         "also needed for a baseline older than the [accessibility] setting)")
    ap.add_argument("--consortia", type=int,
                    help="how many consortia share the announcements [default: 20 up to 2,000 pages, else 50]; "
                         "1 puts every announcement in one consortium")
    ap.add_argument("--tmp", default="/dev/shm" if os.path.isdir("/dev/shm") else None)
    args = ap.parse_args()
    if not os.path.exists(args.chanjiao):
        sys.exit(f"no chanjiao binary at {args.chanjiao}: run `cargo build --release` first")
    rows = []
    for target in [int(s) for s in args.sizes.split(",")]:
        # About M + 11 pages per consortium; 20 consortia for small sites, 50 for large ones.
        consortia = args.consortia or (20 if target <= 2000 else 50)
        announcements = max(1, target // consortia - 11)
        with tempfile.TemporaryDirectory(dir=args.tmp, prefix="chanjiao-bench-") as tmp:
            cj, hg = generate(tmp, consortia, announcements, elder=args.elder)
            cj_out, hg_out = os.path.join(tmp, "cj-public"), os.path.join(tmp, "hugo-public")
            bl_out = os.path.join(tmp, "baseline-public")
            cj_cmd = [args.chanjiao, "build", "--root", cj, "--output", cj_out]
            bl_cmd = [args.baseline, "build", "--root", cj, "--output", bl_out] if args.baseline else None
            hg_cmd = [args.hugo, "--quiet", "--source", hg, "--destination", hg_out] if args.hugo else None
            results = {"chanjiao": [], "baseline": [], "hugo": []}
            for _ in range(args.runs):  # interleaved, so all see the same machine state
                results["chanjiao"].append(run(cj_cmd))
                if bl_cmd:
                    results["baseline"].append(run(bl_cmd))
                if hg_cmd:
                    shutil.rmtree(hg_out, ignore_errors=True)
                    results["hugo"].append(run(hg_cmd))
            pages = {"chanjiao": count_pages(cj_out), "hugo": count_pages(hg_out) if hg_cmd else 0,
                     "baseline": count_pages(bl_out) if bl_cmd else 0}
            for tool, rs in results.items():
                if not rs:
                    continue
                secs = statistics.median(r[0] for r in rs)
                rss = max(r[1] for r in rs)
                rows.append((target, tool, pages[tool], secs, pages[tool] / secs, rss))
    print(f"{'target':>7} {'tool':<9} {'pages':>6} {'median s':>9} {'pages/s':>9} {'peak MiB':>9}")
    for target, tool, pages, secs, pps, rss in rows:
        print(f"{target:>7} {tool:<9} {pages:>6} {secs:>9.3f} {pps:>9.0f} {rss:>9.1f}")
    for target in sorted({r[0] for r in rows}):
        cj = next((r for r in rows if r[0] == target and r[1] == "chanjiao"), None)
        hg = next((r for r in rows if r[0] == target and r[1] == "hugo"), None)
        bl = next((r for r in rows if r[0] == target and r[1] == "baseline"), None)
        if cj and bl:
            print(f"{target:>7}: this build takes {cj[3] / bl[3]:.2f}x the baseline's wall time, "
                  f"{cj[4] / bl[4]:.2f}x its pages/s, with {cj[5] / bl[5]:.2f}x its peak memory")
        if cj and hg:
            print(f"{target:>7}: chanjiao builds {hg[3] / cj[3]:.2f}x as fast as Hugo by wall time, "
                  f"{cj[4] / hg[4]:.2f}x its pages/s, with {cj[5] / hg[5]:.2f}x its peak memory")


if __name__ == "__main__":
    main()
