#!/usr/bin/env python3
"""Live-preview benchmark: on the generated 10,000-page site of build_bench.py, the time from
saving one announcement to the reload event of `chanjiao serve`, and the rebuild time alone (as
serve reports it), as medians over several edits, against a full `chanjiao build` of the same site
in the same run. Also the peak memory of serve. At the end, every output the edited preview serves
is compared with what a fresh `serve` of the same files serves; any difference fails the run.

Usage: python3 benches/serve_bench.py [--pages 10000] [--edits 15] [--chanjiao PATH]
Build chanjiao first (`cargo build --release`).
"""
import argparse
import http.client
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(__file__))
import build_bench  # noqa: E402  (the same corpus generator)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, default=10000)
    ap.add_argument("--edits", type=int, default=15)
    ap.add_argument("--chanjiao", default=os.path.join(os.path.dirname(__file__), "..", "target", "release", "chanjiao"))
    ap.add_argument("--consortia", type=int,
                    help="how many consortia share the announcements [default: 20 up to 2,000 pages, else 50]; "
                         "1 puts every announcement in one consortium")
    ap.add_argument("--tmp", default="/dev/shm" if os.path.isdir("/dev/shm") else None)
    args = ap.parse_args()
    consortia = args.consortia or (20 if args.pages <= 2000 else 50)
    announcements = max(1, args.pages // consortia - 11)
    with tempfile.TemporaryDirectory(dir=args.tmp, prefix="chanjiao-serve-bench-") as tmp:
        site, _ = build_bench.generate(tmp, consortia, announcements)
        out = os.path.join(tmp, "public")
        builds = [build_bench.run([args.chanjiao, "build", "--root", site, "--output", out])[0] for _ in range(3)]
        pages = build_bench.count_pages(out)

        proc, port, lines = start_serve(args.chanjiao, site)
        sse = socket.create_connection(("127.0.0.1", port))
        sse.sendall(f"GET /__chanjiao/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
        sse_file = sse.makefile("r", encoding="utf-8")
        time.sleep(0.5)

        target = os.path.join(site, f"content/consortia/c{min(7, consortia - 1):03d}/announcements/a0003.md")

        def measure(edit):
            """Saves `args.edits` edits of the announcement; gives (save → reload event, rebuild,
            outputs re-rendered) of each."""
            out = []
            for i in range(args.edits):
                with open(target, encoding="utf-8") as f:
                    text = f.read()
                seen = len(lines)
                start = time.perf_counter()
                with open(target, "w", encoding="utf-8") as f:
                    f.write(edit(text, i))
                for line in sse_file:
                    if line.startswith("event: reload"):
                        break
                reload = time.perf_counter() - start
                deadline = time.time() + 10
                while time.time() < deadline:
                    got = [l for l in lines[seen:] if "re-rendered" in l]
                    if got:
                        m = re.search(r"(\d+) output\(s\) re-rendered.* in ([\d.]+) ms", got[-1])
                        out.append((reload, float(m.group(2)) / 1000, int(m.group(1))))
                        break
                    time.sleep(0.01)
                # A user pauses between saves: each rebuild starts from an idle process.
                time.sleep(0.3)
            return out

        # The body: the announcement's own page changes.
        body = measure(lambda text, i: text + f"\n第{i}次修改。\n")
        # The title: its page, every list and feed that shows it, and the consortium's home page.
        title = measure(lambda text, i: re.sub(r'^title = ".*"$', f'title = "修改后的标题{i}"', text,
                                                count=1, flags=re.M))
        with open(f"/proc/{proc.pid}/status") as f:
            peak = next(int(l.split()[1]) for l in f if l.startswith("VmHWM")) / 1024
        # Whatever the rebuilds kept, the preview must now serve what a fresh one of the same files
        # serves, byte for byte: every page, list, feed, chart, data file and the sitemap.
        fresh, fresh_port, _ = start_serve(args.chanjiao, site)
        outputs = sorted(os.path.relpath(os.path.join(d, f), out)
                         for d, _, fs in os.walk(out) for f in fs if f != ".chanjiao-output")
        differ = [p for p in outputs if (got := fetch(port, p)) != fetch(fresh_port, p) or got[0] != 200]
        for p in (proc, fresh):
            p.terminate()
            p.wait(10)

    full = statistics.median(builds)
    print(f"site: {pages} pages; full build median of 3: {full:.3f} s")
    for name, runs in (("body", body), ("title", title)):
        reload = statistics.median(r[0] for r in runs)
        rebuild = statistics.median(r[1] for r in runs)
        rendered = statistics.median(r[2] for r in runs)
        print(f"edit one announcement's {name}, median of {len(runs)}: save → reload event "
              f"{reload * 1000:.0f} ms (incl. the 15 ms of quiet that ends a batch), rebuild alone {rebuild * 1000:.1f} ms "
              f"(fastest {min(r[1] for r in runs) * 1000:.1f}, slowest {max(r[1] for r in runs) * 1000:.1f}), "
              f"{rendered:.0f} outputs re-rendered")
        print(f"  full build / rebuild: {full / rebuild:.1f}x; full build / save-to-reload: {full / reload:.1f}x")
    print(f"serve peak memory: {peak:.0f} MiB")
    print(f"after the edits, {len(outputs) - len(differ)} of {len(outputs)} outputs served equal a fresh "
          f"serve's, byte for byte" + (f"; these differ: {differ[:10]}" if differ else ""))
    if differ:
        sys.exit(1)


def start_serve(chanjiao, site):
    """Starts `serve` on a free port; gives the process, the port and its stderr lines so far."""
    # English messages, whatever the site and the locale: the lines are parsed.
    proc = subprocess.Popen([chanjiao, "serve", "--port", "0", "--root", site, "--lang", "en"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    lines = []
    port_box = {}
    ready = threading.Event()

    def read():
        for line in proc.stderr:
            lines.append(line.rstrip("\n"))
            m = re.match(r"Serving at http://127\.0\.0\.1:(\d+)/", line)
            if m:
                port_box["port"] = int(m.group(1))
                ready.set()
    threading.Thread(target=read, daemon=True).start()
    if not ready.wait(120):
        sys.exit("serve did not start")
    return proc, port_box["port"], lines


_connections = {}


def fetch(port, path):
    """The bytes served at the output `path` (`a/index.html` is asked for as `a/`), over one
    kept-alive connection per port."""
    url = "/" + urllib.parse.quote(path[: -len("index.html")] if path.endswith("index.html") else path)
    conn = _connections.get(port) or _connections.setdefault(port, http.client.HTTPConnection("127.0.0.1", port))
    conn.request("GET", url)
    resp = conn.getresponse()
    body = resp.read()
    return resp.status, body


if __name__ == "__main__":
    main()
