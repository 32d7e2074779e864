#!/usr/bin/env bash
# The "push of a 1 GiB pack at -Xmx256m": the same pre-packed repository of random blobs
# pushed to C git's http-backend and to gitwar (bootable JAR, GITWAR_HEAP default 256m), wall times
# side by side, plus gitwar's peak RSS and heap setting.
#
#   bench/big-push.sh [SIZE_MIB (default 1024)] [RUNS (default 3)]
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ANCHORS=${ANCHORS:-$HERE/../../shared/bench}
BENCH_DIR=${BENCH_DIR:-/tmp/bench}
SIZE=${1:-1024} RUNS=${2:-3}
W=$BENCH_DIR/big-push; mkdir -p "$W"
SRC=$W/random-$SIZE.git
if [ ! -d "$SRC" ]; then
  # incompressible 1 MiB blobs in one commit, packed once so every push just streams the pack
  git init -q --bare "$SRC"
  python3 - "$SRC" "$SIZE" <<'PY'
import os, subprocess, sys
repo, n = sys.argv[1], int(sys.argv[2])
entries = []
for i in range(n):
    blob = subprocess.run(["git", "-C", repo, "hash-object", "-w", "--stdin"], input=os.urandom(1 << 20),
                          capture_output=True, check=True).stdout.decode().strip()
    entries.append(f"100644 blob {blob}\tblob{i:05d}.bin\n")
tree = subprocess.run(["git", "-C", repo, "mktree"], input="".join(entries).encode(), capture_output=True,
                      check=True).stdout.decode().strip()
env = dict(os.environ, GIT_AUTHOR_NAME="b", GIT_AUTHOR_EMAIL="b@b", GIT_COMMITTER_NAME="b", GIT_COMMITTER_EMAIL="b@b")
commit = subprocess.run(["git", "-C", repo, "commit-tree", tree, "-m", "random"], capture_output=True, check=True,
                        env=env).stdout.decode().strip()
subprocess.run(["git", "-C", repo, "update-ref", "refs/heads/main", commit], check=True)
PY
  git -C "$SRC" repack -q -a -d
fi
echo "pack: $(du -m "$SRC"/objects/pack/*.pack | cut -f1) MiB" >&2

measure() { # NAME URL_PREFIX PID
  local name=$1 url=$2 pid=$3 hwm
  for r in $(seq "$RUNS"); do
    local t0 t1
    t0=$(date +%s.%N)
    git -C "$SRC" push -q "$url/big-$r-$(date +%s%N).git" main 2>>"$W/$name.err" || echo "$name run $r: push FAILED" >&2
    t1=$(date +%s.%N)
    hwm=$(awk '/VmHWM/{print int($2/1024)}' "/proc/$pid/status" 2>/dev/null || echo NA)
    printf '%s run %s: %.2f s (server peak RSS %s MiB)\n' "$name" "$r" "$(echo "$t1 - $t0" | bc)" "$hwm"
  done
}

rm -rf "$W/srv"; mkdir -p "$W/srv/backend" "$W/srv/gitwar"
OUT=$("$ANCHORS/start-git-http-backend.sh" "$W/srv/backend" 16700 "$W/logs-backend")
BPID=$(echo "$OUT" | head -1)
measure_backend() {
  for r in $(seq "$RUNS"); do
    local repo="$W/srv/backend/big-$r.git" t0 t1
    rm -rf "$repo"; git init -q --bare "$repo"; git -C "$repo" config http.receivepack true
    t0=$(date +%s.%N)
    git -C "$SRC" push -q "http://127.0.0.1:16700/git/big-$r.git" main 2>>"$W/backend.err" || echo "backend run $r: push FAILED" >&2
    t1=$(date +%s.%N)
    printf 'http-backend run %s: %.2f s\n' "$r" "$(echo "$t1 - $t0" | bc)"
  done
}
measure_backend
kill "$BPID"
OUT=$("$HERE/start-gitwar.sh" "$W/srv/gitwar" 16710 "$W/logs-gitwar")
GPID=$(echo "$OUT" | head -1)
measure gitwar "http://127.0.0.1:16710/git" "$GPID"
kill "$GPID"
