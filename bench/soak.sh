#!/usr/bin/env bash
# Soak: DURATION seconds of mixed clones, fetches and pushes at CONCURRENCY against one server on
# loopback, after a warm-up at the same load. Prints the server's heap after a full GC, open file
# descriptors and threads after the warm-up and at the end, and fails on any error or if one of them
# grew by more than 10 %.
#
#   bench/soak.sh [DURATION] [CONCURRENCY]     (default 600 s and 16; needs `mvn package`)
#
# Each worker loops: clone a random repository (smart, protocol v2) or clone it over dumb HTTP, fetch
# into its own clone (smart), or commit to its own branch and push (so no push is ever rejected: any
# git failure is an error). Environment: PORT/MGMT (18080/18990), WORK, HEAP (256m), WARMUP (seconds, default 60),
# REPOS (default 4), SEED_MIB (random data per seed commit, default 6: three commits per repository,
# 72 MiB in all, more than JGit's block cache of 64 MiB, so the warm-up's clones fill the cache and
# its filling up is not mistaken for growth), SERVER_OPTS (more -D options for the server), HOSTILE (1: during
# the measured phase, bench/hostile.py attacks the server from 127.0.0.2 in a loop; every attack must be
# refused and the honest workers must still see no error).
cd "$(dirname "$0")"
source ./lib.sh
DURATION=${1:-600}
CONCURRENCY=${2:-16}
WARMUP=${WARMUP:-60}
REPOS=${REPOS:-4}
PORT=${PORT:-18080}
MGMT=${MGMT:-18990}
WORK=${WORK:-$(mktemp -d)}
mkdir -p "$WORK"
git_env
log "soak: ${DURATION}s at concurrency $CONCURRENCY after ${WARMUP}s warm-up, $REPOS repositories, work dir $WORK"
SEED_MIB=${SEED_MIB:-6}
start_server ${SERVER_OPTS:-}
URL=$(base_url)

# seed: each repository gets three commits with some text and SEED_MIB of random data each
for r in $(seq 1 "$REPOS"); do
  d="$WORK/seed-$r"
  git init -q "$d"
  (cd "$d" && for c in 1 2 3; do seq 1 20000 | sed "s/^/line $c /" >text.txt; commit_random "bin$c.bin" $((SEED_MIB << 20)); git add . && git commit -q -m "seed $c"; done
   git push -q "$URL/soak/r$r.git" main)
done

# worker N until the epoch second $2: appends to ops-<phase>, errors to errors-<phase>
worker() {
  local n=$1 until=$2 phase=$3 i=0
  local own="$WORK/w$n-$phase"
  local repo="$URL/soak/r$(( (n % REPOS) + 1 )).git"
  git clone -q "$repo" "$own" 2>>"$WORK/errors-$phase" || { echo "worker $n: first clone failed" >>"$WORK/errors-$phase"; return; }
  git -C "$own" checkout -q -b "w$n-$phase"
  while [ "$(date +%s)" -lt "$until" ]; do
    i=$((i + 1))
    case $((RANDOM % 4)) in
      0) local c="$WORK/w$n-clone"
         if git clone -q "$URL/soak/r$(( (RANDOM % REPOS) + 1 )).git" "$c" 2>"$WORK/w$n.err"; then echo clone >>"$WORK/ops-$phase"
         else { echo "worker $n clone:"; cat "$WORK/w$n.err"; } >>"$WORK/errors-$phase"; fi
         rm -rf "$c" ;;
      3) local c="$WORK/w$n-dumb"
         if GIT_SMART_HTTP=0 git clone -q "$URL/soak/r$(( (RANDOM % REPOS) + 1 )).git" "$c" 2>"$WORK/w$n.err"; then echo dumb-clone >>"$WORK/ops-$phase"
         else { echo "worker $n dumb clone:"; cat "$WORK/w$n.err"; } >>"$WORK/errors-$phase"; fi
         rm -rf "$c" ;;
      1) if git -C "$own" fetch -q origin 2>"$WORK/w$n.err"; then echo fetch >>"$WORK/ops-$phase"
         else { echo "worker $n fetch:"; cat "$WORK/w$n.err"; } >>"$WORK/errors-$phase"; fi ;;
      2) echo "worker $n op $i" >>"$own/w$n.txt"
         git -C "$own" add "w$n.txt" && git -C "$own" commit -q -m "worker $n op $i"
         if git -C "$own" push -q origin "HEAD:refs/heads/w$n-$phase" 2>"$WORK/w$n.err"; then echo push >>"$WORK/ops-$phase"
         else { echo "worker $n push:"; cat "$WORK/w$n.err"; } >>"$WORK/errors-$phase"; fi ;;
    esac
  done
}

run_phase() {
  local phase=$1 seconds=$2 until pids=()
  touch "$WORK/ops-$phase" "$WORK/errors-$phase"
  until=$(( $(date +%s) + seconds ))
  for n in $(seq 1 "$CONCURRENCY"); do worker "$n" "$until" "$phase" & pids+=($!); done
  wait "${pids[@]}"
}

# threads: the JVM's, less the container's request threads, which its pool adds and drops with the
# number of requests in progress (a dumb clone alone runs several at once); those are shown apart
measure() {
  local all requests
  all=$(threads); requests=$(request_threads)
  echo "heap-after-gc-kib=$(heap_after_gc_kib) fds=$(open_fds) threads=$((all - requests)) request-threads=$requests"
}

# the attack runs in the warm-up too: the measured phase starts with the same load mix, so the
# server's thread pools have already grown to what it needs (Payara's grow on demand)
hostile_ok=1
hostile_pid=""
attack() { # seconds output-file
  hostile_pid=""
  if [ "${HOSTILE:-0}" = 1 ]; then
    WRITE_TIMEOUT=60 python3 "$(pwd)/hostile.py" "$URL" "$1" --from 127.0.0.2 >"$2" 2>&1 &
    hostile_pid=$!
  fi
}
attack_ended() { if [ -n "$hostile_pid" ]; then wait "$hostile_pid" || hostile_ok=0; fi; }
attack "$WARMUP" "$WORK/hostile-warmup.out"
run_phase warmup "$WARMUP"
attack_ended
start_m=$(measure)
log "after warm-up: $start_m"
attack "$DURATION" "$WORK/hostile.out"
run_phase soak "$DURATION"
attack_ended
end_m=$(measure)
log "at the end:    $end_m"
stop_server

ops=$(wc -l <"$WORK/ops-soak")
errors=$(grep -c "^worker" "$WORK/errors-soak" || true)
# WildFly writes " ERROR ", Payara "[SEVERE]" (in colour codes, stripped first)
server_errors=$(sed 's/\x1b\[[0-9;]*m//g' "$WORK/server.log" | grep -cE " ERROR |\[SEVERE\]|OutOfMemoryError" || true)
counts=$(sort "$WORK/ops-soak" | uniq -c | awk '{printf "%s%s=%s", sep, $2, $1; sep=" "}')
verdict=$(echo "$start_m $end_m" | awk '{
  split($1, a, "="); split($5, b, "="); h0 = a[2]; h1 = b[2]
  split($2, a, "="); split($6, b, "="); f0 = a[2]; f1 = b[2]
  split($3, a, "="); split($7, b, "="); t0 = a[2]; t1 = b[2]
  ok = (h1 <= h0 * 1.10) && (f1 <= f0 * 1.10) && (t1 <= t0 * 1.10)
  printf "heap %+.1f%% fds %+.1f%% threads %+.1f%% -> %s", (h1 - h0) * 100 / h0, (f1 - f0) * 100 / f0, (t1 - t0) * 100 / t0, ok ? "flat" : "GREW" }')
echo "soak: seconds=$DURATION concurrency=$CONCURRENCY operations=$ops ($counts) errors=$errors server-log-errors=$server_errors"
echo "soak: start $start_m"
echo "soak: end   $end_m"
echo "soak: $verdict"
echo "soak: data directory $(du -sm "$WORK/data" | cut -f1) MiB"
if [ -n "$hostile_pid" ]; then cat "$WORK/hostile.out"; fi
[ "$errors" -gt 0 ] && head -40 "$WORK/errors-soak" >&2
[ "$server_errors" -gt 0 ] && sed 's/\x1b\[[0-9;]*m//g' "$WORK/server.log" | grep -E " ERROR |\[SEVERE\]|OutOfMemoryError" | head -5 >&2
[ "$errors" -eq 0 ] && [ "$server_errors" -eq 0 ] && [ "$ops" -gt 0 ] && [[ "$verdict" == *flat ]] && [ "$hostile_ok" = 1 ]
