#!/usr/bin/env bash
# Live backups through the repository API: how long a backup of the corpus takes and how big it is
# against the repository's own file, and how much a backup running the whole time delays pushes to
# the same repository (a backup reads a snapshot and takes no write turn, so the answer should be
# "not at all" beyond the CPU and disk it shares).
#
#   bench/backup.sh [CORPUS.git] [BACKUPS] [PUSHES]
#
# Starts its own bootable JAR (mvn package first) on 127.0.0.1:$PORT (default 10381, management
# $MGMT 12291) with an admin token, pushes the corpus with `git push --mirror`, then
#   1. takes BACKUPS (default 5) backups one after another: time and size of each;
#   2. times PUSHES (default 10) small pushes (one new commit each, to refs/heads/bench) alone, then
#      PUSHES more while backups run back to back, and prints both medians and the pushes' own
#      "waited" times from the server's push log (time spent waiting for the repository's turn).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
BENCH_DIR=${BENCH_DIR:-/tmp/bench}
CORPUS=${1:-$BENCH_DIR/corpora/synthetic-medium.git}
BACKUPS=${2:-5}
PUSHES=${3:-10}
PORT=${PORT:-10381} MGMT=${MGMT:-12291}
WORK=${WORK:-$BENCH_DIR/backup}
TOKEN=bench-token
# shellcheck source=bench/lib.sh
. "$HERE/lib.sh"
rm -rf "$WORK"; mkdir -p "$WORK"
git_env
trap stop_server EXIT
start_server -Dgitwar.admin.token=$TOKEN
URL=$(base_url)/corpus.git
API=$(base_url)/-/api/v1/repos/corpus.git

log "pushing $CORPUS"
git -C "$CORPUS" push -q --mirror "$URL"
DB=$WORK/data/corpus.git.sqlite
objects=$(curl -s -H "Authorization: Bearer $TOKEN" "$API" | python3 -c 'import json,sys; print(json.load(sys.stdin)["objects"])')
file=$(( $(stat -c %s "$DB") + $(stat -c %s "$DB-wal" 2>/dev/null || echo 0) ))
log "repository: $objects objects, file + WAL $file bytes"

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

for i in $(seq "$BACKUPS"); do
  curl -s -f -H "Authorization: Bearer $TOKEN" -o "$WORK/backup.sqlite" -w '%{time_total} %{size_download}\n' "$API/backup"
done > "$WORK/backups.txt"
backup_s=$(cut -d' ' -f1 "$WORK/backups.txt" | median)
backup_bytes=$(tail -1 "$WORK/backups.txt" | cut -d' ' -f2)
sqlite3 "$WORK/backup.sqlite" "PRAGMA integrity_check" | grep -qx ok || { echo "backup fails integrity_check" >&2; exit 1; }

# small pushes: one commit on top of the last, reusing main's tree
git init -q --bare "$WORK/client.git"
git -C "$WORK/client.git" fetch -q "$URL" main:main
git -C "$WORK/client.git" rev-parse main > "$WORK/tip"
push_times() { # $1: label; prints one duration (s) per push; the tip survives in $WORK/tip (a subshell runs this)
  local tip t0 t1
  for i in $(seq "$PUSHES"); do
    tip=$(cat "$WORK/tip")
    tip=$(git -C "$WORK/client.git" commit-tree "$tip^{tree}" -p "$tip" -m "$1 $i")
    t0=$(date +%s.%N)
    git -C "$WORK/client.git" push -q "$URL" "$tip:refs/heads/bench" >&2
    t1=$(date +%s.%N)
    echo "$tip" > "$WORK/tip"
    echo "$t1 - $t0" | bc
  done
}
# the server's own figures of the pushes logged after line $1 of the push log: longest wait for the
# turn and median transaction (ms)
server_figures() {
  local lines; lines=$(grep "push to corpus" "$WORK/server.log" | tail -n +"$(($1 + 1))")
  echo "waited at most $(sed -n 's/.*waited \([0-9]*\) ms.*/\1/p' <<<"$lines" | sort -n | tail -1) ms," \
    "transaction median $(sed -n 's/.*transaction \([0-9]*\) ms.*/\1/p' <<<"$lines" | median) ms"
}
mark=$(grep -c "push to corpus" "$WORK/server.log" || true)
alone=$(push_times alone | median)
alone_server=$(server_figures "$mark")
mark=$(grep -c "push to corpus" "$WORK/server.log" || true)
( while :; do curl -s -H "Authorization: Bearer $TOKEN" -o /dev/null "$API/backup" || true; done ) &
LOOP=$!
during=$(push_times during | median)
kill "$LOOP"; wait "$LOOP" 2>/dev/null || true
during_server=$(server_figures "$mark")

echo "corpus: $objects objects; repository file $file bytes"
echo "backup: median ${backup_s} s over $BACKUPS, $backup_bytes bytes ($(python3 -c "print(f'{$backup_bytes/$file:.3f}')") x the file)"
echo "small push alone: median ${alone} s at the client; server: $alone_server"
echo "small push during backups back to back: median ${during} s at the client; server: $during_server"
