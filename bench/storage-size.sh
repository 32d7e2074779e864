#!/usr/bin/env bash
# The storage target: size of a repository's SQLite file after a repack against the bare
# repository's pack + idx + bitmap. Pushes the corpus into gitwar, waits until a repack has left
# one pack with a bitmap (the replaced pack deleted at once: grace 0), lets the repository go idle
# (connections closed, WAL checkpointed) and compares.
#
#   bench/storage-size.sh [CORPUS.git]
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
BENCH_DIR=${BENCH_DIR:-/tmp/bench}
CORPUS=${1:-$BENCH_DIR/corpora/synthetic-medium.git}
W=$BENCH_DIR/storage-size; rm -rf "$W"; mkdir -p "$W"
PORT=16730
OUT=$(GITWAR_OPTS="${GITWAR_OPTS:-} -Dgitwar.idle-release-seconds=5 -Dgitwar.repack.replaced-pack-grace-minutes=0" "$HERE/start-gitwar.sh" "$W/data" $PORT "$W/logs")
PID=$(echo "$OUT" | head -1)
git -C "$CORPUS" push -q --mirror "http://127.0.0.1:$PORT/git/corpus.git"
DB=$W/data/corpus.git.sqlite
# the repack and the idle release run in the background: wait (bounded) until the WAL is gone
for _ in $(seq 600); do [ ! -e "$DB-wal" ] && break; sleep 0.5; done
kill "$PID"; while kill -0 "$PID" 2>/dev/null; do sleep 0.1; done
bare=$(cat "$CORPUS"/objects/pack/*.pack "$CORPUS"/objects/pack/*.idx "$CORPUS"/objects/pack/*.bitmap 2>/dev/null | wc -c)
db=$(stat -c %s "$DB")
python3 -c "print(f'SQLite file {$db} bytes; bare pack+idx+bitmap {$bare} bytes; ratio {$db/$bare:.3f}')"
sqlite3 "$DB" "SELECT source, object_count FROM pack" 2>/dev/null || true
