#!/usr/bin/env bash
# Crash safety: two clients push continuously (every commit adds 0.5-1.5 MiB of random data, so a
# push takes long enough to be hit) while the server JVM is killed with kill -9 at random moments
# and restarted, KILLS times. After every restart and at the end it checks that every push git
# reported as successful is present; at the end a fresh clone must pass `git fsck --full --strict`
# and every ref must point at an object the clone has.
#
#   bench/crash-safety.sh [KILLS]        (default 50; needs `mvn package` first)
#
# Environment: PORT/MGMT (default 18080/18990), WORK (scratch directory, default a new temp dir),
# HEAP (server -Xmx, default 512m). Prints one summary line; exits non-zero if anything was lost.
cd "$(dirname "$0")"
source ./lib.sh
KILLS=${1:-50}
PORT=${PORT:-18080}
MGMT=${MGMT:-18990}
WORK=${WORK:-$(mktemp -d)}
mkdir -p "$WORK"
git_env
log "crash-safety: $KILLS kills, work dir $WORK, server http://127.0.0.1:$PORT"
start_server
URL=$(base_url)
REPOS="crash/a crash/b"

# Pushers hold while $WORK/pause exists (from a kill until the check after the restart): a push of
# new commits on top could otherwise bring back an acknowledged commit the crash had lost.
wait_for_server() {
  until [ ! -f "$WORK/pause" ] && gitwar_answers; do
    [ -f "$WORK/stop" ] && return 1
    sleep 0.2
  done
}

# pusher NAME: commit, push until git acknowledges it, repeat; acknowledged commits go to acked-*.
pusher() {
  local name=$1 tag=${1//\//-} n=0
  local dir="$WORK/src-$tag"
  git init -q "$dir" && cd "$dir"
  while [ ! -f "$WORK/stop" ]; do
    n=$((n + 1))
    commit_random "f$n.bin" $((524288 + RANDOM * 32))
    while [ ! -f "$WORK/stop" ]; do
      wait_for_server || break
      if git push -q "$URL/$name.git" HEAD:refs/heads/main 2>"$WORK/last-$tag.err"; then
        git rev-parse HEAD >>"$WORK/acked-$tag"
        break
      fi
      if grep -q "Failed to connect\|Could not connect\|Connection refused" "$WORK/last-$tag.err"; then
        echo down >>"$WORK/failed-$tag"        # the server was not up: not a push in flight
      else
        echo mid-push >>"$WORK/failed-$tag"    # the kill hit this push
        sed 's/^/    /' "$WORK/last-$tag.err" >>"$WORK/midpush-errors.txt"
      fi
      wait_for_server || break
    done
  done
}

# verify DIR: every acknowledged commit is in the server's main; prints the number missing
verify() {
  local dir=$1 missing=0
  for name in $REPOS; do
    local tag=${name//\//-}
    [ -f "$WORK/acked-$tag" ] || continue
    # what was acknowledged BEFORE the fetch must be in it (pushes go on while this runs)
    cp "$WORK/acked-$tag" "$WORK/acked-$tag.snapshot"
    git -C "$dir" fetch -q "$URL/$name.git" "+refs/heads/main:refs/remotes/$tag/main"
    while read -r id; do
      if ! git -C "$dir" merge-base --is-ancestor "$id" "refs/remotes/$tag/main" 2>/dev/null; then
        missing=$((missing + 1))
        echo "LOST: $name $id" >&2
      fi
    done <"$WORK/acked-$tag.snapshot"
  done
  echo "$missing"
}

pushers=()
for name in $REPOS; do pusher "$name" & pushers+=($!); done
git init -q "$WORK/verify"
lost=0
lost_ever=0
kills=0
for k in $(seq 1 "$KILLS"); do
  # a random moment 0.3-10 s after the clients resume: early kills hit the first pushes of a cold
  # server mid-way, later ones land between and during acknowledged pushes
  sleep "$(awk -v r="$RANDOM" 'BEGIN { printf "%.2f", 0.3 + r / 32767 * 9.7 }')"
  touch "$WORK/pause"
  kill9_server
  kills=$k
  start_server
  lost=$(verify "$WORK/verify")
  lost_ever=$((lost_ever + lost))
  rm -f "$WORK/pause"
  log "kill $k/$KILLS: acknowledged $(cat "$WORK"/acked-* 2>/dev/null | wc -l), interrupted mid-push $(cat "$WORK"/failed-* 2>/dev/null | grep -c mid-push || true), lost $lost"
  [ "$lost" -eq 0 ] || break
done
touch "$WORK/stop"
wait "${pushers[@]}" || true

# the end: a fresh clone of each repository, fsck'd, every ref's object present, nothing lost
fsck_errors=0
missing_ref_objects=0
for name in $REPOS; do
  tag=${name//\//-}
  clone="$WORK/final-$tag"
  if ! git clone -q --mirror "$URL/$name.git" "$clone" 2>"$WORK/clone-$tag.err"; then
    fsck_errors=$((fsck_errors + 1)); cat "$WORK/clone-$tag.err" >&2; continue
  fi
  if ! git -C "$clone" fsck --full --strict >"$WORK/fsck-$tag.txt" 2>&1; then
    fsck_errors=$((fsck_errors + 1)); cat "$WORK/fsck-$tag.txt" >&2
  fi
  missing_ref_objects=$((missing_ref_objects + $(git ls-remote "$URL/$name.git" | awk '{print $1}' \
    | git -C "$clone" cat-file --batch-check | grep -c missing || true)))
done
lost=$(verify "$WORK/verify")
lost_ever=$((lost_ever + lost))
stop_server
acked=$(cat "$WORK"/acked-* 2>/dev/null | wc -l)
midpush=$(cat "$WORK"/failed-* 2>/dev/null | grep -c mid-push || true)
echo "crash-safety: kills=$kills acknowledged-pushes=$acked push-attempts-interrupted=$midpush lost=$lost_ever fsck-errors=$fsck_errors refs-to-missing-objects=$missing_ref_objects"
[ "$kills" -eq "$KILLS" ] && [ "$lost_ever" -eq 0 ] && [ "$fsck_errors" -eq 0 ] && [ "$missing_ref_objects" -eq 0 ]
