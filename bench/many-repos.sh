#!/usr/bin/env bash
# The "1,000 repositories each with one small push, then clone any one": time to first byte
# of a clone's first request (the upload-pack advertisement) for a repository nothing has opened
# since the server started, against the same request once the repository is open.
#
#   bench/many-repos.sh [REPOS (default 1000)] [SAMPLES (default 25)]
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
BENCH_DIR=${BENCH_DIR:-/tmp/bench}
N=${1:-1000} SAMPLES=${2:-25} PORT=16720
W=$BENCH_DIR/many-repos; rm -rf "$W"; mkdir -p "$W"
SRC=$W/src; git init -q -b main "$SRC"
echo "hello" > "$SRC/README"; git -C "$SRC" add README
git -C "$SRC" -c user.name=b -c user.email=b@b commit -q -m one

start() { OUT=$("$HERE/start-gitwar.sh" "$W/data" $PORT "$W/logs"); PID=$(echo "$OUT" | head -1); }
start
t0=$(date +%s)
seq 1 "$N" | xargs -P 4 -I{} git -C "$SRC" push -q "http://127.0.0.1:$PORT/git/r{}.git" main
echo "$N pushes in $(( $(date +%s) - t0 )) s" >&2
kill "$PID"; while kill -0 "$PID" 2>/dev/null; do sleep 0.1; done
start # nothing is open now

ttfb() { curl -s -o /dev/null -w '%{time_starttransfer}\n' "http://127.0.0.1:$PORT/git/$1.git/info/refs?service=git-upload-pack"; }
curl -s -o /dev/null "http://127.0.0.1:$PORT/git/r1.git/info/refs?service=git-upload-pack" # JIT warm-up
: > "$W/cold.txt"; : > "$W/warm.txt"
for i in $(shuf -i 2-"$N" -n "$SAMPLES"); do
  ttfb "r$i" >> "$W/cold.txt"   # first request to this repository since the start
  ttfb "r$i" >> "$W/warm.txt"   # the same, now that it is open
done
kill "$PID"
python3 - "$W/cold.txt" "$W/warm.txt" <<'PY'
import statistics, sys
cold = [float(x) * 1000 for x in open(sys.argv[1])]
warm = [float(x) * 1000 for x in open(sys.argv[2])]
c, w = statistics.median(cold), statistics.median(warm)
print(f"first byte, median of {len(cold)}: unopened repository {c:.1f} ms, open repository {w:.1f} ms, ratio {c / w:.2f}")
PY
du -sh "$W/data" >&2
