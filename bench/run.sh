#!/usr/bin/env bash
# Measures gitwar beside the anchors (C git http-backend, nginx serving files, JGit) in ONE run of
# ../shared/bench/run-anchors.sh and prints its table plus gitwar's ratio to http-backend (and to
# nginx for the dumb clone) per operation. Every claim about gitwar's speed comes from this.
#
#   bench/run.sh [-n RUNS] [-t "TESTS"] [-s "ANCHOR SERVERS"] [-p FIRST_PORT] [--no-build] [--payara]
#                [--variant NAME="JVM OPTIONS"]...   (more gitwar columns, e.g. nodc=-Dgitwar.sha1-collision-detection=false)
#   --payara adds a column "gitwar-payara": the same WAR on Payara Micro (start-gitwar-payara.sh),
#   with the same JVM settings, and its ratios to the bootable JAR's column.
#
# Environment: ANCHORS (default ../shared/bench), BENCH_DIR (default /tmp/bench), GITWAR_HEAP
# (default 256m), GITWAR_OPTS (extra JVM options for gitwar, e.g. -Dgitwar.sha1-collision-detection=false).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
PROJECT=$(cd "$HERE/.." && pwd)
ANCHORS=${ANCHORS:-$PROJECT/../shared/bench}
export BENCH_DIR=${BENCH_DIR:-/tmp/bench}
RUNS=5 TESTS="clone-smart clone-dumb clone-smart-x4 push-initial push-incremental"
SERVERS="git-http-backend nginx-static jgit" BUILD=1 PORT=16100 VARIANTS=() PAYARA=0
while [ $# -gt 0 ]; do
  case $1 in
    -n) RUNS=$2; shift 2 ;; -t) TESTS=$2; shift 2 ;; -s) SERVERS=$2; shift 2 ;; -p) PORT=$2; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --payara) PAYARA=1; shift ;;
    --variant) VARIANTS+=("$2"); shift 2 ;;
    *) sed -n '2,14p' "$0"; exit 2 ;;
  esac
done
[ -x "$ANCHORS/run-anchors.sh" ] || { echo "anchors not found at $ANCHORS (set ANCHORS)" >&2; exit 2; }
for tool in lighttpd nginx; do
  command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] || {
    echo "missing $tool: apt-get install -y lighttpd nginx-light hyperfine time" >&2; exit 2; }
done
if [ "$BUILD" = 1 ]; then
  (cd "$PROJECT" && mvn -q -DskipTests package)
fi
if [ "$PAYARA" = 1 ] && [ ! -f "$PROJECT/target/payara-micro.jar" ]; then
  (cd "$PROJECT" && mvn -q dependency:copy@payara-micro)
fi
CORPUS=$BENCH_DIR/corpora/synthetic-medium.git
[ -d "$CORPUS" ] || "$ANCHORS/make-corpus.sh" synthetic
OUT=$BENCH_DIR/results/gitwar-$(date +%Y%m%d-%H%M%S)
EXTRA=(-x "gitwar=$HERE/start-gitwar.sh:smart,dumb,push,db")
[ "$PAYARA" = 0 ] || EXTRA+=(-x "gitwar-payara=$HERE/start-gitwar-payara.sh:smart,dumb,push,db")
for v in "${VARIANTS[@]}"; do # each variant: a start script that adds its JVM options
  name=${v%%=*} opts=${v#*=}
  mkdir -p "$OUT/variants"
  printf '#!/usr/bin/env bash\nGITWAR_OPTS="%s" exec "%s" "$@"\n' "$opts" "$HERE/start-gitwar.sh" > "$OUT/variants/$name.sh"
  chmod +x "$OUT/variants/$name.sh"
  EXTRA+=(-x "gitwar-$name=$OUT/variants/$name.sh:smart,dumb,push,db")
done
"$ANCHORS/run-anchors.sh" -c "$CORPUS" -n "$RUNS" -t "$TESTS" -s "$SERVERS" -o "$OUT" -p "$PORT" "${EXTRA[@]}"
python3 "$HERE/ratios.py" "$OUT/raw.csv"
for v in "${VARIANTS[@]}"; do python3 "$HERE/ratios.py" "$OUT/raw.csv" "gitwar-${v%%=*}"; done
[ "$PAYARA" = 0 ] || python3 "$HERE/ratios.py" "$OUT/raw.csv" gitwar-payara gitwar
