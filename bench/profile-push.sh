#!/usr/bin/env bash
# Where an initial push's server time goes: the bootable JAR as bench/run.sh starts it, with Java
# Flight Recorder on for the push alone, receives the corpus (`git push --mirror` into an empty repository); then the
# hottest methods of the threads that ran during the push (execution samples: the top frame, and
# the phase it belongs to), and the push's wall time. The recording stays for JDK Mission
# Control: $BENCH_DIR/profile-push/push.jfr.
#
#   bench/profile-push.sh [CORPUS.git] [TOP]
# WARM=N (default 0) pushes the corpus N times into other repositories first, so the recorded push
# runs on compiled code as on a server that has been up a while (the harness's later runs), not on
# the JIT's first pass.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
BENCH_DIR=${BENCH_DIR:-/tmp/bench}
CORPUS=${1:-$BENCH_DIR/corpora/synthetic-medium.git}
TOP=${2:-25}
W=$BENCH_DIR/profile-push; rm -rf "$W"; mkdir -p "$W"
PORT=16740
OUT=$("$HERE/start-gitwar.sh" "$W/data" $PORT "$W/logs")
PID=$(echo "$OUT" | head -1)
trap 'kill "$PID" 2>/dev/null || true' EXIT
for i in $(seq "${WARM:-0}"); do
  git -C "$CORPUS" push -q --mirror "http://127.0.0.1:$PORT/git/warm-$i.git"
done
# recorded from the push's start to its end only (not the server's start, nor the repack after it)
jcmd "$PID" JFR.start name=push settings=profile >/dev/null
t0=$(date +%s.%N)
git -C "$CORPUS" push -q --mirror "http://127.0.0.1:$PORT/git/corpus.git"
t1=$(date +%s.%N)
echo "push: $(echo "$t1 - $t0" | bc -l | cut -c1-5) s wall"
jcmd "$PID" JFR.stop name=push filename="$W/push.jfr" >/dev/null
kill "$PID"; while kill -0 "$PID" 2>/dev/null; do sleep 0.1; done
trap - EXIT
jfr print --events jdk.ExecutionSample --stack-depth 64 "$W/push.jfr" > "$W/samples.txt"
python3 - "$W/samples.txt" "$TOP" <<'PY'
import collections, re, sys
top, ours, total = collections.Counter(), collections.Counter(), 0
for event in open(sys.argv[1]).read().split("jdk.ExecutionSample")[1:]:
    frames = re.findall(r"^\s+([\w$.<>]+)\(", event, re.M)
    if not frames:
        continue
    total += 1
    top[frames[0]] += 1
    # the phase: the nearest frame of JGit's transport or storage, or of gitwar (not their utilities)
    nearest = next((f for f in frames if f.startswith(("org.eclipse.jgit.transport.",
                    "org.eclipse.jgit.internal.storage.", "org.eclipse.jgit.revwalk.", "io.gitwar."))), frames[-1])
    ours[nearest] += 1
n = int(sys.argv[2])
print(f"{total} execution samples")
print("top frames:")
for f, c in top.most_common(n):
    print(f"  {100 * c / total:5.1f} %  {f}")
print("phase (nearest frame of JGit's transport/storage/revwalk or gitwar):")
for f, c in ours.most_common(n):
    print(f"  {100 * c / total:5.1f} %  {f}")
PY
