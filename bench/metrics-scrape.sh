#!/usr/bin/env bash
# The cost of one scrape of /git/-/metrics (issue 13's acceptance):
#  1. in the server, without HTTP: io.gitwar.metrics.ScrapeCost (test classes) renders every meter,
#     every series and histogram bucket filled, and prints the time and the bytes allocated on the
#     scraping thread per scrape (com.sun.management.ThreadMXBean), its CPU time, and the answer's size;
#  2. over HTTP: the bootable JAR (GITWAR_HEAP default 256m), scraped SCRAPES times in a row by curl after
#     as many for warm-up: median and 99th percentile of curl's time_total.
#
#   bench/metrics-scrape.sh [SCRAPES (default 2000)] [PORT (default 16300)]
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
PROJECT=$(cd "$HERE/.." && pwd)
SCRAPES=${1:-2000} PORT=${2:-16300}
BENCH_DIR=${BENCH_DIR:-/tmp/bench}
W=$BENCH_DIR/metrics-scrape; rm -rf "$W"; mkdir -p "$W"
cd "$PROJECT"
[ -f target/gitwar-bootable.jar ] && [ -d target/test-classes/io/gitwar/metrics ] || {
  echo "run 'mvn -DskipTests package' and 'mvn test-compile' first" >&2; exit 1; }

mvn -o -q dependency:build-classpath -Dmdep.outputFile="$W/classpath" -Dmdep.includeScope=test >/dev/null
echo "in the server, without HTTP:"
java -Xmx256m -cp "target/test-classes:target/classes:$(cat "$W/classpath")" io.gitwar.metrics.ScrapeCost "$SCRAPES"

echo "over HTTP (curl, one connection per scrape):"
out=$("$HERE/start-gitwar.sh" "$W/data" "$PORT" "$W/logs")
PID=$(head -1 <<<"$out")
trap 'kill "$PID" 2>/dev/null || true' EXIT
URL=http://127.0.0.1:$PORT/git/-/metrics
for _ in $(seq "$SCRAPES"); do curl -s -o /dev/null "$URL"; done
for _ in $(seq "$SCRAPES"); do curl -s -o /dev/null -w '%{time_total}\n' "$URL"; done | sort -n > "$W/times"
awk -v n="$SCRAPES" '{ t[NR] = $1 } END { printf "scrapes=%d median_ms=%.2f p99_ms=%.2f\n", n,
  t[int(n / 2)] * 1000, t[int(n * 0.99)] * 1000 }' "$W/times"
echo "answer_bytes=$(curl -s "$URL" | wc -c) series=$(curl -s "$URL" | grep -vc '^#')"
