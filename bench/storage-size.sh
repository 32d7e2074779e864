#!/usr/bin/env bash
# The storage target: a repository's SQLite file against what git itself needs for the same objects
# (pack + idx + bitmap of `git repack -adb`), with gitwar's default settings: right after the first
# push (its repack done and the pack it replaced deleted: nobody listed it), and after 100 small
# pushes on top (each one commit, pushed one after another). Before each measure the repository
# goes idle (connections closed, WAL checkpointed), waited for with a bound.
#
#   bench/storage-size.sh [CORPUS.git] [SMALL_PUSHES]
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
BENCH_DIR=${BENCH_DIR:-/tmp/bench}
CORPUS=${1:-$BENCH_DIR/corpora/synthetic-medium.git}
SMALL_PUSHES=${2:-100}
W=$BENCH_DIR/storage-size; rm -rf "$W"; mkdir -p "$W"
PORT=16730
# idle release after 5 s (default 60) only so that the WAL is checkpointed soon: the file is measured then
OUT=$(GITWAR_OPTS="${GITWAR_OPTS:-} -Dgitwar.idle-release-seconds=5" "$HERE/start-gitwar.sh" "$W/data" $PORT "$W/logs")
PID=$(echo "$OUT" | head -1)
trap 'kill "$PID" 2>/dev/null || true' EXIT
URL=http://127.0.0.1:$PORT/git/corpus.git
DB=$W/data/corpus.git.sqlite

# what git needs for the objects of $1 (a repository): one pack with its index and bitmap
git_bytes() {
  rm -rf "$W/ref.git"; git clone -q --mirror "$1" "$W/ref.git"
  git -C "$W/ref.git" repack -q -adb
  cat "$W/ref.git"/objects/pack/*.pack "$W/ref.git"/objects/pack/*.idx "$W/ref.git"/objects/pack/*.bitmap | wc -c
}
# waits (bounded) until the repository is idle: no WAL, and no repack or deletion still to come
settle() {
  local before=-1 now
  for _ in $(seq 600); do
    now=$(stat -c %s "$DB" 2>/dev/null || echo 0)
    if [ ! -e "$DB-wal" ] && [ "$now" = "$before" ]; then return; fi
    before=$now; sleep 1
  done
  echo "the repository did not settle" >&2; exit 1
}
report() { # $1 label, $2 git's bytes
  local db; db=$(stat -c %s "$DB")
  python3 -c "print(f'$1: SQLite file {$db} bytes; git pack+idx+bitmap {$2} bytes; ratio {$db/$2:.3f}')"
  sqlite3 "$DB" "SELECT source, object_count, retired_at IS NOT NULL FROM pack" 2>/dev/null | sort | uniq -c | head || true
}

git -C "$CORPUS" push -q --mirror "$URL"
settle
report "after the first push" "$(git_bytes "$CORPUS")"

git clone -q "$URL" "$W/work"
for i in $(seq "$SMALL_PUSHES"); do
  echo "$i" > "$W/work/small-$i.txt"
  git -C "$W/work" add "small-$i.txt"
  git -C "$W/work" -c user.name=bench -c user.email=bench@example.com commit -q -m "small $i"
  git -C "$W/work" push -q origin HEAD
done
settle
report "after $SMALL_PUSHES small pushes" "$(git_bytes "$URL")"
