#!/usr/bin/env bash
# Starts gitwar's bootable JAR for ../shared/bench/run-anchors.sh (its start-*.sh contract):
#   start-gitwar.sh ROOT PORT LOGDIR
# ROOT becomes gitwar's data directory; prints the JVM's PID, then "URL=... ACCESSLOG=...".
# GITWAR_HEAP (default 256m) sets -Xmx; GITWAR_GC (default -XX:+UseSerialGC, the collector the JVM
# itself picks for small machines: G1's own structures cost ~25 MiB of RSS and more CPU at this heap
# size; set it empty for the JVM's choice); GITWAR_OPTS adds JVM options (e.g. -Dgitwar.*=...). The
# README's small server adds -Xms64m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 (a heap that
# shrinks after full collections: less RSS, more collections) and -Dgitwar.block-cache-mib=32:
# bench/run.sh --variant small="..." and bench/rss.sh measure it beside these defaults.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$1 PORT=$2 LOGDIR=${3:-$ROOT/../gitwar-logs}
JAR=${GITWAR_JAR:-$HERE/../target/gitwar-bootable.jar}
[ -f "$JAR" ] || { echo "no $JAR: run 'mvn package' first" >&2; exit 1; }
mkdir -p "$ROOT" "$LOGDIR"
ROOT=$(cd "$ROOT" && pwd) LOGDIR=$(cd "$LOGDIR" && pwd)
# An access log, so the harness can count requests; applied when the server boots.
cat > "$LOGDIR/access-log.cli" <<CLI
/subsystem=undertow/server=default-server/host=default-host/setting=access-log:add(pattern="%h %t \"%r\" %s %b", directory="$LOGDIR", prefix="access", suffix=".log", rotate=false, use-server-log=false)
CLI
rm -f "$LOGDIR/access.log"
# shellcheck disable=SC2086
setsid java -Xmx"${GITWAR_HEAP:-256m}" -XX:+ExitOnOutOfMemoryError ${GITWAR_GC--XX:+UseSerialGC} ${GITWAR_OPTS:-} -Dgitwar.data-dir="$ROOT" \
  -jar "$JAR" -Djboss.http.port="$PORT" -Djboss.management.http.port=$((PORT + 10000)) \
  --cli-script="$LOGDIR/access-log.cli" > "$LOGDIR/server.log" 2>&1 < /dev/null &
PID=$!
# The boot script runs in an admin-only boot, then the server restarts for real: wait for HTTP.
up() { curl -s -o /dev/null -m 1 "http://127.0.0.1:$PORT/git/" && [ "$(grep -c WFLYSRV0025 "$LOGDIR/server.log")" -ge 2 ]; }
for _ in $(seq 600); do
  up && break
  kill -0 "$PID" 2>/dev/null || { echo "gitwar exited; see $LOGDIR/server.log" >&2; exit 1; }
  sleep 0.1
done
up || { echo "gitwar did not start in 60 s; see $LOGDIR/server.log" >&2; kill "$PID"; exit 1; }
echo "$PID"
echo "URL=http://127.0.0.1:$PORT/git/REPO.git ACCESSLOG=$LOGDIR/access.log"
