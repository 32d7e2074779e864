#!/usr/bin/env bash
# Concurrent pushers: CLIENTS clients each loop fetch - rebase - push onto the same branch for ROUNDS
# rounds (a new commit per round, retried until acknowledged), while a reader clones and fscks the
# repository over and over. Then every client pushes to a repository of its own, to measure that
# pushes to different repositories run in parallel (from the server's per-push log lines).
#
#   bench/concurrent-pushers.sh [CLIENTS] [ROUNDS]     (default 16 and 10; needs `mvn package`)
#
# Checks: every acknowledged commit is in the final history; every rejected attempt got a clear
# reason (fetch first / non-fast-forward / stale info); no other git error; every clone taken during
# the pushes is fsck-clean. Environment: PORT/MGMT (18080/18990), WORK, HEAP as in lib.sh.
cd "$(dirname "$0")"
source ./lib.sh
CLIENTS=${1:-16}
ROUNDS=${2:-10}
PORT=${PORT:-18080}
MGMT=${MGMT:-18990}
WORK=${WORK:-$(mktemp -d)}
mkdir -p "$WORK"
git_env
log "concurrent-pushers: $CLIENTS clients x $ROUNDS rounds, work dir $WORK"
start_server
URL=$(base_url)
SHARED="$URL/bench/shared.git"

git init -q "$WORK/seed"
(cd "$WORK/seed" && echo seed >README && git add README && git commit -q -m seed && git push -q "$SHARED" main)

# client N: ROUNDS commits, each fetched-rebased-pushed until acknowledged
client() {
  local n=$1 dir="$WORK/client-$1"
  git clone -q "$SHARED" "$dir" 2>>"$WORK/errors.txt" || { echo "client $n: clone failed" >>"$WORK/errors.txt"; return; }
  cd "$dir"
  for r in $(seq 1 "$ROUNDS"); do
    echo "client $n round $r" >>"client-$n.txt"
    git add "client-$n.txt" && git commit -q -m "client $n round $r"
    for attempt in $(seq 1 200); do
      if ! git pull -q --rebase origin main 2>"$WORK/pull-$n.err"; then
        { echo "client $n: fetch/rebase failed:"; cat "$WORK/pull-$n.err"; } >>"$WORK/errors.txt"
        continue
      fi
      if git push -q origin HEAD:main 2>"$WORK/push-$n.err"; then
        git rev-parse HEAD >>"$WORK/acked"
        break
      fi
      reason=$(grep -o "fetch first\|non-fast-forward\|stale info[^)]*\|invalid old id sent" "$WORK/push-$n.err" | head -1 || true)
      if [ -n "$reason" ]; then
        echo "$reason" >>"$WORK/rejections"
      else
        { echo "client $n: push failed without a reason:"; cat "$WORK/push-$n.err"; } >>"$WORK/errors.txt"
      fi
    done
  done
}

# a reader that clones and fscks while the pushes run: no clone may see a torn state
reader() {
  local i=0
  while [ ! -f "$WORK/pushers-done" ]; do
    i=$((i + 1))
    if git clone -q --mirror "$SHARED" "$WORK/read-$i" 2>"$WORK/read.err" && git -C "$WORK/read-$i" fsck --full --strict >"$WORK/fsck.txt" 2>&1; then
      echo ok >>"$WORK/reads"
    else
      echo bad >>"$WORK/reads"; { echo "clone $i:"; cat "$WORK/read.err" "$WORK/fsck.txt"; } >>"$WORK/errors.txt"
    fi
    rm -rf "$WORK/read-$i"
  done
}

touch "$WORK/acked" "$WORK/rejections" "$WORK/errors.txt" "$WORK/reads"
reader &
READER=$!
start=$SECONDS
pids=()
for n in $(seq 1 "$CLIENTS"); do client "$n" & pids+=($!); done
wait "${pids[@]}"
same_branch_seconds=$((SECONDS - start))
touch "$WORK/pushers-done"
wait "$READER"

git clone -q --mirror "$SHARED" "$WORK/final"
lost=0
while read -r id; do
  git -C "$WORK/final" merge-base --is-ancestor "$id" main 2>/dev/null || { lost=$((lost + 1)); echo "LOST $id" >&2; }
done <"$WORK/acked"
fsck_final=0
git -C "$WORK/final" fsck --full --strict >/dev/null 2>&1 || fsck_final=1
commits=$(git -C "$WORK/final" rev-list --count main)
acked=$(wc -l <"$WORK/acked")
rejected=$(wc -l <"$WORK/rejections")
errors=$(grep -c "^client\|^clone" "$WORK/errors.txt" || true)
reads=$(grep -c ok "$WORK/reads" || true)
torn=$(grep -c bad "$WORK/reads" || true)
reasons=$(sort "$WORK/rejections" | uniq -c | awk '{c=$1; $1=""; printf "%s%s x%s", sep, substr($0,2), c; sep=", "}')

# pushes to different repositories: every client pushes 3 commits of 1 MiB to a repository of its own,
# in 3 rounds; in each round every commit is made first, then all the pushes start together
log "parallel phase: $CLIENTS repositories"
mark=$(wc -l <"$WORK/server.log")
for n in $(seq 1 "$CLIENTS"); do git init -q "$WORK/own-$n"; done
for r in 1 2 3; do
  for n in $(seq 1 "$CLIENTS"); do (cd "$WORK/own-$n" && commit_random "r$r.bin" 1048576); done
  ppids=()
  for n in $(seq 1 "$CLIENTS"); do
    (
      cd "$WORK/own-$n"
      git push -q "$URL/bench/own-$n.git" HEAD:refs/heads/main 2>>"$WORK/errors-parallel.txt" || echo fail >>"$WORK/parallel-failures"
    ) & ppids+=($!)
  done
  wait "${ppids[@]}"
done
# Each "push to bench/own-N: ... transaction X ms" line ends an interval of X ms during which the push
# held its repository. Overlap = sum of intervals / length of their union: 1.0 means serialized.
# End times from WildFly's "HH:MM:SS,mmm" or Payara's "[timeMillis: N]".
overlap=$(tail -n +"$mark" "$WORK/server.log" | grep "push to bench/own-" | sed -E 's/\x1b\[[0-9;]*m//g; s/^([0-9]+):([0-9]+):([0-9]+),([0-9]+) .* transaction ([0-9]+) ms.*/W \1 \2 \3 \4 \5/; s/.*\[timeMillis: ([0-9]+)\].* transaction ([0-9]+) ms.*/P \1 \2/' | awk '
  $1 == "W" { end = (($2 * 60 + $3) * 60 + $4) * 1000 + $5; d = $6 }
  $1 == "P" { end = $2; d = $3 }
  $1 == "W" || $1 == "P" { n++; s[n] = end - d; e[n] = end; sum += d }
  END {
    # union of intervals (sort by start)
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (s[j] < s[i]) { x = s[i]; s[i] = s[j]; s[j] = x; x = e[i]; e[i] = e[j]; e[j] = x }
    union = 0; cs = -1; ce = -1; maxc = 0
    for (i = 1; i <= n; i++) { if (s[i] > ce) { if (ce > cs) union += ce - cs; cs = s[i]; ce = e[i] } else if (e[i] > ce) ce = e[i] }
    if (ce > cs) union += ce - cs
    for (i = 1; i <= n; i++) { c = 0; for (j = 1; j <= n; j++) if (s[j] <= s[i] && e[j] > s[i]) c++; if (c > maxc) maxc = c }
    printf "pushes=%d locked-ms-total=%d union-ms=%d overlap=%.2f max-concurrent=%d", n, sum, union, (union > 0 ? sum / union : 0), maxc
  }')
parallel_failures=$( [ -f "$WORK/parallel-failures" ] && wc -l <"$WORK/parallel-failures" || echo 0)
stop_server

echo "concurrent-pushers: clients=$CLIENTS rounds=$ROUNDS seconds=$same_branch_seconds acknowledged=$acked commits-in-history=$commits lost=$lost rejected-attempts=$rejected ($reasons) other-errors=$errors clones-during-pushes=$reads torn-clones=$torn final-fsck-errors=$fsck_final"
echo "parallel-repositories: $overlap failures=$parallel_failures"
[ "$errors" -gt 0 ] && sed 's/^/  /' "$WORK/errors.txt" | head -40 >&2
[ "$parallel_failures" -gt 0 ] && sed 's/^/  /' "$WORK/errors-parallel.txt" | head -40 >&2
[ "$lost" -eq 0 ] && [ "$errors" -eq 0 ] && [ "$torn" -eq 0 ] && [ "$fsck_final" -eq 0 ] \
  && [ "$acked" -eq $((CLIENTS * ROUNDS)) ] && [ "$commits" -eq $((CLIENTS * ROUNDS + 1)) ] && [ "$parallel_failures" -eq 0 ]
