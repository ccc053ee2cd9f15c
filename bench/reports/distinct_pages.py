#!/usr/bin/env python3
"""What a day of many distinct pages costs the tracker: memory and the first report's wait.

Every distinct page (as every landing page or event name) gets pair rows with every other
dimension and a journey-only aggregator of its own (docs/reports.md, "SQLite: roll-ups"), so a
client that invents pages grows the roll-up builder's memory. This starts each given tracker
binary in turn on a fresh data folder, posts N pageviews of N distinct pages (batches of 500,
one visitor per batch), and reports the tracker's resident memory after the posts, after the
first `pages` report (which waits for the builder to roll every event up), and that report's
wait. Alternating the binaries round by round compares two builds side by side.

    python3 bench/reports/distinct_pages.py [--events 40000] [--rounds 3] BINARY...
"""
import argparse
import json
import os
import re
import subprocess
import tempfile
import time
import urllib.request

TOKEN = "distinct-pages-bench-token"
UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36"


def resident_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        return int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1)) / 1024


def start(binary, folder):
    log = open(os.path.join(folder, "log"), "w+")
    proc = subprocess.Popen([binary, "--port", "0", "--data", os.path.join(folder, "data"),
                             "--rate-limit", "0", "--admin-token", TOKEN],
                            stdout=log, stderr=log)
    for _ in range(200):
        log.seek(0)
        m = re.search(r"msg=listening .*port=(\d+)", log.read())
        if m:
            return proc, int(m.group(1))
        time.sleep(0.05)
    proc.kill()
    raise SystemExit(f"{binary} did not start; its log is {log.name}")


def run(binary, events):
    with tempfile.TemporaryDirectory(prefix="ithaca-distinct-") as folder:
        proc, port = start(binary, folder)
        try:
            now = int(time.time() * 1000)
            for first in range(0, events, 500):
                batch = [{"type": "pageview", "id": f"e{i}", "ts": now - 1000 * (events - i) // events,
                          "url": f"https://shop.example/p/{i}"} for i in range(first, min(events, first + 500))]
                body = json.dumps({"site": "demo", "visitor_id": f"visitor-{first // 500:06d}", "events": batch})
                request = urllib.request.Request(f"http://127.0.0.1:{port}/v1/collect", data=body.encode(),
                                                 headers={"Content-Type": "application/json", "User-Agent": UA})
                urllib.request.urlopen(request).read()
            posted = resident_mib(proc.pid)
            start_report = time.monotonic()
            request = urllib.request.Request(f"http://127.0.0.1:{port}/v1/stats/demo/pages?limit=5",
                                             headers={"Authorization": "Bearer " + TOKEN})
            rows = json.loads(urllib.request.urlopen(request, timeout=120).read())["total_rows"]
            waited = time.monotonic() - start_report
            if rows != events:
                raise SystemExit(f"{binary}: the pages report has {rows} rows, not {events}")
            return posted, resident_mib(proc.pid), waited
        finally:
            proc.terminate()
            proc.wait()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=40000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("binaries", nargs="+")
    args = parser.parse_args()
    for round_ in range(1, args.rounds + 1):
        for binary in args.binaries:
            posted, reported, waited = run(binary, args.events)
            print(f"round {round_} {binary}: {args.events} distinct pages: rss {posted:.0f} MiB after the posts, "
                  f"{reported:.0f} MiB after the first report, which took {waited:.2f} s; "
                  f"load {os.getloadavg()[0]:.1f}", flush=True)


if __name__ == "__main__":
    main()
