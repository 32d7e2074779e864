#!/usr/bin/env bash
# The memory and startup of a small server (issue 15): the bootable JAR started as the README runs it
#   java FLAGS -XX:+ExitOnOutOfMemoryError -Dgitwar.data-dir=... -jar target/gitwar-bootable.jar -Djboss.http.port=...
# with the README's small-server flags (the variant "small"), or with the variants given, one after the other.
# For each it prints
#   startup_ms     process start to the first request gitwar answers (a 404 for a missing repository)
#   idle_start     VmRSS 5 s after that answer
#   idle_push      VmRSS 5 s after a mirror push of $CORPUS and the repack that push starts
#   hwm_push       VmHWM then: the peak of the process's life so far (start, push, repack)
#   peak_clones    the largest VmRSS sampled every 50 ms while $CLONES `git clone --bare` run at once,
#                  and hwm_clones, VmHWM over the same time (reset before them through /proc/PID/clear_refs)
#   clones_s       their wall time; cpu_clone_ms: the server's CPU (user + system) of one clone alone,
#                  the median of five after the concurrent ones; cpu_push_ms: of the push (with its repack;
#                  the push's wall time is on the line below the table's)
#   threads        the server's threads at the end
# The clones fetch what the repack wrote (with its bitmap); a variant with -Dgitwar.repack.auto=0 has
# them count the objects of the pushed pack instead. All sizes in MiB.
# A variant is NAME='[VAR=VALUE ...] JVM-FLAGS', each VAR=VALUE set in the JVM's environment:
#
#   bench/rss.sh                                          # the README's small server
#   bench/rss.sh before='-Xmx256m -XX:+UseSerialGC' arenas='MALLOC_ARENA_MAX=2 -Xmx256m -XX:+UseSerialGC'
#
# Environment: CORPUS (default /tmp/bench/corpora/synthetic-medium.git, read only), CLONES (4),
# PORT (10380; management on PORT + 10000), BENCH_DIR (/tmp/bench), JAR (target/gitwar-bootable.jar).
# Needs root for the VmHWM reset (without it hwm_clones is the life's peak). Run it on an otherwise
# idle machine: startup and CPU are timings.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
PROJECT=$(cd "$HERE/.." && pwd)
# The README's small server ("The bootable JAR"); bench/start-gitwar.sh starts it with --variant-free defaults, see its header.
SMALL="-Xmx256m -Xms64m -XX:+UseSerialGC -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -Dgitwar.block-cache-mib=32"
CORPUS=${CORPUS:-/tmp/bench/corpora/synthetic-medium.git}
CLONES=${CLONES:-4} PORT=${PORT:-10380}
BENCH_DIR=${BENCH_DIR:-/tmp/bench}
JAR=${JAR:-$PROJECT/target/gitwar-bootable.jar}
[ -f "$JAR" ] || { echo "no $JAR: run 'mvn package' first" >&2; exit 1; }
[ -d "$CORPUS" ] || { echo "no $CORPUS (../shared/bench/make-corpus.sh makes it)" >&2; exit 1; }
[ $# -gt 0 ] || set -- "small=$SMALL"
W=$BENCH_DIR/rss; mkdir -p "$W"
URL=http://127.0.0.1:$PORT/git/corpus.git

PID=""
trap '[ -z "$PID" ] || kill "$PID" 2>/dev/null || true' EXIT
exec {never}<> <(:)                       # read -t on it sleeps without a fork
nap() { read -r -t "$1" -u "$never" _ || true; }
field() { local k v; while read -r k v _; do [ "$k" = "$1:" ] && { echo "$v"; return; }; done <"/proc/$PID/status"; }
mib() { echo $(($(field "$1") / 1024)); }
cpu_ms() { local f; read -r -a f <"/proc/$PID/stat"; echo $(((f[13] + f[14]) * 1000 / $(getconf CLK_TCK))); }
now_ms() { local t=${EPOCHREALTIME/[.,]/}; echo $((t / 1000)); }
answers() { [ "$(curl -s -o /dev/null -m 2 -w '%{http_code}' "$URL/HEAD")" = 404 ]; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; }
# the largest VmRSS while the file $1 exists, written to $2
sample() { local max=0 r; while [ -e "$1" ]; do r=$(mib VmRSS); [ "$r" -gt "$max" ] && max=$r; nap 0.05; done; echo "$max" >"$2"; }

printf '%-10s %10s %10s %10s %8s %11s %10s %8s %12s %11s %7s\n' variant startup_ms idle_start idle_push hwm_push \
  peak_clones hwm_clones clones_s cpu_clone_ms cpu_push_ms threads
for variant in "$@"; do
  name=${variant%%=*} spec=${variant#*=}
  envs=() flags=()
  for word in $spec; do
    if [[ $word =~ ^[A-Z_][A-Z0-9_]*= ]]; then envs+=("$word"); else flags+=("$word"); fi
  done
  D=$W/$name; rm -rf "$D"; mkdir -p "$D/data"
  ! port_open || { echo "port $PORT is taken" >&2; exit 1; }
  t0=$(now_ms)
  env "${envs[@]}" java "${flags[@]}" -XX:+ExitOnOutOfMemoryError -Dgitwar.data-dir="$D/data" -jar "$JAR" \
    -Djboss.http.port="$PORT" -Djboss.management.http.port=$((PORT + 10000)) >"$D/server.log" 2>&1 </dev/null &
  PID=$!
  # no fork while the port is closed; then curl every 20 ms until gitwar (not the container) answers
  until port_open && answers; do
    kill -0 "$PID" 2>/dev/null || { echo "$name: the server exited; see $D/server.log" >&2; exit 1; }
    [ $(($(now_ms) - t0)) -lt 120000 ] || { echo "$name: no answer in 120 s; see $D/server.log" >&2; exit 1; }
    nap 0.02
  done
  startup=$(($(now_ms) - t0))
  sleep 5; idle_start=$(mib VmRSS)

  c0=$(cpu_ms) t1=$(now_ms)
  git -C "$CORPUS" push -q --mirror "$URL" 2>"$D/push.err" || { echo "$name: push failed" >&2; cat "$D/push.err" >&2; exit 1; }
  push=$(($(now_ms) - t1))
  if [[ " ${flags[*]} " != *" -Dgitwar.repack.auto=0 "* ]]; then
    for _ in $(seq 600); do grep -q 'repacked .*corpus' "$D/server.log" && break; sleep 0.2; done
    grep -q 'repacked .*corpus' "$D/server.log" || echo "$name: no repack seen after the push" >&2
  fi
  cpu_push=$(($(cpu_ms) - c0))
  sleep 5; idle_push=$(mib VmRSS) hwm_push=$(mib VmHWM)

  echo 5 >"/proc/$PID/clear_refs" 2>/dev/null || echo "$name: cannot reset VmHWM (not root?)" >&2
  touch "$D/sampling"; sample "$D/sampling" "$D/peak" & sampler=$!
  t1=$(now_ms)
  cloners=()
  for i in $(seq "$CLONES"); do git clone -q --bare "$URL" "$D/clone-$i.git" 2>"$D/clone-$i.err" & cloners+=($!); done
  wait "${cloners[@]}" || true
  clones=$(($(now_ms) - t1))
  rm "$D/sampling"; wait "$sampler"
  for i in $(seq "$CLONES"); do [ -f "$D/clone-$i.git/packed-refs" ] || echo "$name: clone $i failed: $(cat "$D/clone-$i.err")" >&2; done
  peak=$(cat "$D/peak") hwm_clones=$(mib VmHWM)
  rm -rf "$D"/clone-*.git

  cpus=()
  for i in 1 2 3 4 5; do
    c0=$(cpu_ms); git clone -q --bare "$URL" "$D/one.git"; cpus+=($(($(cpu_ms) - c0))); rm -rf "$D/one.git"
  done
  cpu_clone=$(printf '%s\n' "${cpus[@]}" | sort -n | sed -n 3p)
  threads=$(field Threads)
  printf '%-10s %10s %10s %10s %8s %11s %10s %8.1f %12s %11s %7s\n' "$name" "$startup" "$idle_start" "$idle_push" \
    "$hwm_push" "$peak" "$hwm_clones" "$(echo "$clones / 1000" | bc -l)" "$cpu_clone" "$cpu_push" "$threads"
  echo "  $name: ${envs[*]} ${flags[*]}; push ${push} ms; single clones' CPU ms: ${cpus[*]}; at the end RssAnon $(mib RssAnon)" \
    "RssFile $(mib RssFile) MiB" >&2
  kill "$PID"; wait "$PID" 2>/dev/null || true; PID=""
  for _ in $(seq 100); do port_open || break; sleep 0.1; done
done
