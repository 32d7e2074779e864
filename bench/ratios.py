#!/usr/bin/env python3
"""gitwar's medians divided by the anchors' medians, from one run-anchors.sh raw.csv."""
import csv
import statistics
import sys
from collections import defaultdict

server = sys.argv[2] if len(sys.argv) > 2 else "gitwar"  # the column to compare
rows = defaultdict(list)
with open(sys.argv[1]) as f:
    for r in csv.DictReader(f):
        if r["status"] == "ok":
            rows[(r["server"], r["test"])].append(r)

def median(server, test, field):
    vals = [float(r[field]) for r in rows.get((server, test), []) if r[field] not in ("", "NA")]
    return statistics.median(vals) if vals else None

tests = sorted({t for (_, t) in rows})
print(f"\n## {server} / anchor (medians of the same run; < 1 is faster)\n")
print("| test | wall vs http-backend | server CPU vs http-backend | peak RSS (MiB) | wall vs nginx |")
print("|---|---|---|---|---|")
for t in tests:
    def ratio(field, anchor):
        a, g = median(anchor, t, field), median(server, t, field)
        return f"{g / a:.2f}" if a and g is not None else "n/a"
    rss = median(server, t, "rss_kib")
    print(f"| {t} | {ratio('wall_s', 'git-http-backend')} | {ratio('cpu_s', 'git-http-backend')} "
          f"| {rss / 1024:.0f} | {ratio('wall_s', 'nginx-static') if t == 'clone-dumb' else ''} |"
          if rss else f"| {t} | {ratio('wall_s', 'git-http-backend')} | {ratio('cpu_s', 'git-http-backend')} | n/a | |")

# With a third argument: the column against another gitwar column (e.g. Payara against WildFly).
if len(sys.argv) > 3:
    other = sys.argv[3]
    print(f"\n## {server} / {other} (medians of the same run; < 1 is faster or smaller)\n")
    print("| test | wall | server CPU | peak RSS |")
    print("|---|---|---|---|")
    for t in tests:
        def vs(field):
            a, g = median(other, t, field), median(server, t, field)
            return f"{g / a:.2f}" if a and g is not None else "n/a"
        print(f"| {t} | {vs('wall_s')} | {vs('cpu_s')} | {vs('rss_kib')} |")
