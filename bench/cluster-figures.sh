#!/usr/bin/env bash
# The cluster's figures in one run (issue 16's note), on loopback, from target/ (needs `mvn package`):
#  1. 4 concurrent smart clones of 4 repositories (the corpus under 4 names, spread by the placement)
#     through HAProxy, then the same from one single gitwar node holding all four (after the cluster
#     stopped: the same CPU for both);
#  2. info/refs of a small repository, N requests in a row, at its owner and through another node
#     (p50/p99, each measured by curl);
#  3. a move of the corpus repository while a client pushes a small commit to it in a loop: the
#     move's own figures, the longest push meanwhile and the pushes told to try again.
#
#   bench/cluster-figures.sh [CORPUS] [N]   (default /tmp/bench/corpora/synthetic-medium.git, 200)
#
# Ports as bench/cluster.sh's (CLUSTER_HTTP_BASE, ...); the single node on PORT (default 18080).
cd "$(dirname "$0")"
source ./lib.sh
CORPUS=${1:-/tmp/bench/corpora/synthetic-medium.git}
N=${2:-200}
WORK=${WORK:-$(mktemp -d)}
PORT=${PORT:-18080}
MGMT=${MGMT:-18990}
export GITWAR_ADMIN_TOKEN=${GITWAR_ADMIN_TOKEN:-figures}
[ -d "$CORPUS" ] || { echo "no corpus at $CORPUS (bench/run.sh makes it)" >&2; exit 2; }
mkdir -p "$WORK"
git_env
api() { curl -s -H "Authorization: Bearer $GITWAR_ADMIN_TOKEN" "$@"; }
owner_of() { api "$1/-/api/v1/repos/$2.git" | sed -E 's/.*"owner":"([^"]+)".*/\1/'; }
now_ms() { date +%s%3N; }

# four clones at once from BASE of names c1..c4; prints the wall time in ms
four_clones() {
  local base=$1 tag=$2 start pids=()
  start=$(now_ms)
  for i in 1 2 3 4; do
    git clone -q --mirror "$base/bench/c$i.git" "$WORK/clone-$tag-$i" & pids+=($!)
  done
  wait "${pids[@]}"
  echo $(( $(now_ms) - start ))
  rm -rf "$WORK"/clone-"$tag"-*
}

percentiles() { sort -n | awk '{ v[NR] = $1 } END { printf "p50 %.1f ms, p99 %.1f ms", v[int(NR * 0.5)] * 1000, v[int(NR * 0.99)] * 1000 }'; }

log "cluster of 3 under $WORK/cluster"
lines=$(./cluster.sh start 3 "$WORK/cluster")
echo "$lines"
FRONT=$(echo "$lines" | awk '/^front/ { print $3 }')
mapfile -t NODES < <(echo "$lines" | awk '/^node/ { print $4 }')
for i in 1 2 3 4; do git -C "$CORPUS" push -q "$FRONT/bench/c$i.git" --all; done
for i in 1 2 3 4; do printf 'bench/c%d on %s\n' "$i" "$(owner_of "$FRONT" "bench/c$i")"; done
four_clones "$FRONT" warm >/dev/null
cluster_ms=()
for r in 1 2 3; do cluster_ms+=("$(four_clones "$FRONT" front)"); done

# forwarded latency: a small repository, at its owner and through a node that is not
git init -q "$WORK/small" && (cd "$WORK/small" && echo x >x && git add x && git commit -q -m x && git push -q "$FRONT/bench/small.git" main)
owner=$(owner_of "$FRONT" bench/small)
direct=${NODES[$(( ${owner#node-} - 1 ))]}
other=${NODES[$(( ${owner#node-} % 3 ))]}
for which in direct other; do
  base=${!which}
  for _ in $(seq 1 "$N"); do curl -s -o /dev/null -w '%{time_total}\n' "$base/bench/small.git/info/refs?service=git-upload-pack"; done >"$WORK/lat-$which"
done
direct_lat=$(percentiles <"$WORK/lat-direct")
forwarded_lat=$(percentiles <"$WORK/lat-other")

# a move of the corpus under a push loop
from=$(owner_of "$FRONT" bench/c1)
to="node-$(( ${from#node-} % 3 + 1 ))"
git clone -q "$FRONT/bench/c1.git" "$WORK/pusher"
touch "$WORK/push-times" "$WORK/push-retries"
(
  cd "$WORK/pusher"
  n=0
  while [ ! -f "$WORK/stop" ]; do
    n=$((n + 1)); echo "$n" >"loop-$n" && git add "loop-$n" && git commit -q -m "loop $n"
    start=$(now_ms)
    if git push -q "$FRONT/bench/c1.git" HEAD:refs/heads/loop 2>"$WORK/push.err"; then
      echo $(( $(now_ms) - start )) >>"$WORK/push-times"
    else
      grep -q "try again\|503" "$WORK/push.err" && echo retry >>"$WORK/push-retries" || cat "$WORK/push.err" >&2
    fi
  done
) &
LOOP=$!
while [ "$(wc -l <"$WORK/push-times")" -lt 3 ]; do sleep 0.2; done
moved=$(api -H 'Content-Type: application/json' -d "{\"node\": \"$to\"}" "${NODES[2]}/-/api/v1/repos/bench/c1.git/move")
mark=$(wc -l <"$WORK/push-times")
while [ "$(wc -l <"$WORK/push-times")" -lt $((mark + 3)) ]; do sleep 0.2; done
touch "$WORK/stop"; wait "$LOOP"
longest=$(sort -n "$WORK/push-times" | tail -1)
median=$(sort -n "$WORK/push-times" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
pushes=$(wc -l <"$WORK/push-times")
retries=$(wc -l <"$WORK/push-retries")
./cluster.sh stop "$WORK/cluster"

log "one node alone on $PORT"
start_server
for i in 1 2 3 4; do git -C "$CORPUS" push -q "$(base_url)/bench/c$i.git" --all; done
four_clones "$(base_url)" warm >/dev/null
single_ms=()
for r in 1 2 3; do single_ms+=("$(four_clones "$(base_url)" single)"); done
stop_server

med() { printf '%s\n' "$@" | sort -n | sed -n 2p; }
echo "four concurrent clones (median of 3): through HAProxy to 3 nodes $(med "${cluster_ms[@]}") ms (${cluster_ms[*]}), one node alone $(med "${single_ms[@]}") ms (${single_ms[*]})"
echo "info/refs, $N in a row: at the owner $direct_lat; through another node $forwarded_lat"
echo "move of bench/c1 ($from -> $to) under a push loop: $moved"
echo "pushes during the loop: $pushes acknowledged (median $median ms, longest $longest ms), $retries told to try again"
