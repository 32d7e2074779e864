#!/usr/bin/env bash
# Webhooks: how soon a push's delivery reaches a receiver after git said the push succeeded, and
# what hooks cost a push.
#
#   bench/hooks.sh [PUSHES] [COST_PUSHES]
#
# Starts its own bootable JAR (mvn package first) on 127.0.0.1:$PORT (default 10382, management
# $MGMT 12292) with an admin token and gitwar.hooks.allowed-hosts=127.0.0.1, and a receiver on
# 127.0.0.1:$RECEIVER_PORT (default 10383: Python's threading HTTP server answering 200 at once and
# logging when each delivery arrived), then
#   1. latency: one repository hook; PUSHES (default 100) small pushes one after another (one new
#      commit each); for each, the delivery's arrival (matched by the payload's "after") measured
#      from the moment `git push` exited (negative: the delivery arrived before git was done) and
#      from the moment it started; prints the median and p99 of each (ms);
#   2. cost: COST_PUSHES (default 50) small pushes each with 0, 1 and 10 hooks on the repository;
#      prints the median wall time of `git push` (ms) for each, how many distinct deliveries arrived
#      and how many arrived twice (there should be none: a delivery is repeated only after a crash).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
BENCH_DIR=${BENCH_DIR:-/tmp/bench}
PUSHES=${1:-100}
COST_PUSHES=${2:-50}
PORT=${PORT:-10382} MGMT=${MGMT:-12292} RECEIVER_PORT=${RECEIVER_PORT:-10383}
WORK=${WORK:-$BENCH_DIR/hooks}
TOKEN=bench-token
# shellcheck source=bench/lib.sh
. "$HERE/lib.sh"
rm -rf "$WORK"; mkdir -p "$WORK"
git_env
RECEIVER_PID=""
cleanup() { stop_server; [ -n "$RECEIVER_PID" ] && kill "$RECEIVER_PID" 2>/dev/null || true; }
trap cleanup EXIT

cat > "$WORK/receiver.py" <<'PY'
import json, sys, time
from http.server import ThreadingHTTPServer, BaseHTTPRequestHandler
log = open(sys.argv[2], "a", buffering=1)
class H(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        at = time.time()
        log.write("%.6f %s %s\n" % (at, self.path, json.loads(body)["after"]))
        self.send_response(200); self.send_header("Content-Length", "0"); self.end_headers()
    def log_message(self, *a): pass
ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
PY
python3 "$WORK/receiver.py" "$RECEIVER_PORT" "$WORK/received.txt" & RECEIVER_PID=$!
touch "$WORK/received.txt"

start_server -Dgitwar.admin.token=$TOKEN -Dgitwar.hooks.allowed-hosts=127.0.0.1
API=$(base_url)/-/api/v1
AUTH="Authorization: Bearer $TOKEN"
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
p99() { sort -n | awk '{a[NR]=$1} END {i=int(NR*0.99+0.999); if (i<1) i=1; if (i>NR) i=NR; print a[i]}'; }

# $1 repository; pushes one new commit on refs/heads/bench; prints "<exit epoch s> <ms> <commit> <start epoch s>"
git init -q --bare "$WORK/client.git"
small_push() {
  local tip t0 t1 parent
  parent=$(git -C "$WORK/client.git" rev-parse -q --verify "refs/heads/$1" || true)
  tip=$(git -C "$WORK/client.git" commit-tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904 ${parent:+-p "$parent"} -m "bench $(date +%s%N)")
  git -C "$WORK/client.git" update-ref "refs/heads/$1" "$tip"
  t0=$(date +%s.%N)
  git -C "$WORK/client.git" push -q "$(base_url)/$1.git" "$tip:refs/heads/bench"
  t1=$(date +%s.%N)
  echo "$t1 $(echo "($t1 - $t0) * 1000" | bc -l) $tip $t0"
}
hooks_on() { # $1 repository, $2 how many hooks
  curl -s -f -H "$AUTH" -H "Content-Type: application/json" -d "{\"name\":\"$1\"}" "$API/repos" >/dev/null
  for i in $(seq "$2"); do
    curl -s -f -H "$AUTH" -H "Content-Type: application/json" \
      -d "{\"url\":\"http://127.0.0.1:$RECEIVER_PORT/$1/$i\",\"secret\":\"s\"}" "$API/repos/$1.git/hooks" >/dev/null
  done
}
distinct() { cut -d' ' -f2- "$WORK/received.txt" | sort -u | wc -l; } # (hook path, commit) pairs
await_received() { # $1 count of distinct deliveries
  local deadline=$((SECONDS + 120))
  until [ "$(distinct)" -ge "$1" ]; do
    [ $SECONDS -lt $deadline ] || { echo "deliveries missing: $(distinct) of $1" >&2; return 1; }
    sleep 0.05
  done
}

log "latency: $PUSHES pushes, one hook"
hooks_on latency 1
small_push latency >/dev/null # the first push creates refs/heads/bench
await_received 1
: > "$WORK/received.txt"
for i in $(seq "$PUSHES"); do small_push latency; done > "$WORK/acks.txt"
await_received "$PUSHES"
python3 - "$WORK/acks.txt" "$WORK/received.txt" "$WORK/from-start.txt" > "$WORK/latency.txt" <<'PY'
import sys
acks = {l.split()[2]: (float(l.split()[0]), float(l.split()[3])) for l in open(sys.argv[1])}
with open(sys.argv[3], "w") as from_start:
    for l in open(sys.argv[2]):
        at, path, after = l.split()
        exited, started = acks[after]
        print("%.1f" % ((float(at) - exited) * 1000))
        from_start.write("%.1f\n" % ((float(at) - started) * 1000))
PY
echo "delivery after git push exited, ms over $PUSHES pushes: median $(median < "$WORK/latency.txt"), p99 $(p99 < "$WORK/latency.txt"), min $(sort -n "$WORK/latency.txt" | head -1), max $(sort -n "$WORK/latency.txt" | tail -1)"
echo "delivery after git push started, ms: median $(median < "$WORK/from-start.txt"), p99 $(p99 < "$WORK/from-start.txt"); git push itself: median $(cut -d' ' -f2 "$WORK/acks.txt" | median)"

for n in 0 1 10; do
  log "cost: $COST_PUSHES pushes with $n hooks"
  hooks_on "cost$n" "$n"
  small_push "cost$n" >/dev/null
  : > "$WORK/received.txt"
  for i in $(seq "$COST_PUSHES"); do small_push "cost$n"; done > "$WORK/cost$n.txt"
  expected=$((COST_PUSHES * n))
  [ "$n" -eq 0 ] || await_received "$expected" || true
  echo "push with $n hooks: median $(cut -d' ' -f2 "$WORK/cost$n.txt" | median) ms over $COST_PUSHES pushes; deliveries received $(distinct) of $expected, $(( $(wc -l < "$WORK/received.txt") - $(distinct) )) twice"
done
