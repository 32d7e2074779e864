#!/usr/bin/env bash
# gitwar (target/gitwar-bootable.jar) as a server of the shared Git HTTP benchmark harness
# (../shared/bench/run-anchors.sh, the start-*.sh contract):
#   start-gitwar.sh ROOT PORT [LOGDIR]
# ROOT is unused: gitwar keeps repositories in its own store (SQLite files under LOGDIR/data), so
# run it with CAPS "db", and the harness creates them by pushing:
#   run-anchors.sh -c CORPUS -s git-http-backend -x gitwar=$PWD/bench/start-gitwar.sh:smart,dumb,push,db
# Prints the JVM's PID (line 1) and the URL template (line 2). Stop: kill PID.
# GITWAR_JAVA_OPTS (default "-Xms256m -Xmx1g") adds JVM options. Build the JAR first (mvn package).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
JAR=$HERE/../target/gitwar-bootable.jar
PORT=$2; LOGDIR=${3:-/tmp/bench/logs/gitwar-$PORT}
MGMT_PORT=$((PORT + 100))
[ -f "$JAR" ] || { echo "no $JAR: run mvn package first" >&2; exit 1; }
mkdir -p "$LOGDIR/data" "$LOGDIR/tmp"; LOGDIR=$(cd "$LOGDIR" && pwd)
# shellcheck disable=SC2086
setsid java ${GITWAR_JAVA_OPTS:--Xms256m -Xmx1g} -Djava.io.tmpdir="$LOGDIR/tmp" \
  -Dgitwar.data-dir="$LOGDIR/data" -jar "$JAR" \
  -Djboss.http.port="$PORT" -Djboss.management.http.port="$MGMT_PORT" \
  -Djboss.bind.address=127.0.0.1 -Djboss.bind.address.management=127.0.0.1 \
  >>"$LOGDIR/stdout.log" 2>&1 < /dev/null &
PID=$!
# ready when gitwar's filter answers (404 at the context root), within 3 minutes
for _ in $(seq 900); do
  kill -0 "$PID" 2>/dev/null || { echo "gitwar exited, see $LOGDIR/stdout.log" >&2; tail -20 "$LOGDIR/stdout.log" >&2; exit 1; }
  [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/git/" || true)" = 404 ] && break
  sleep 0.2
done
[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/git/" || true)" = 404 ] \
  || { echo "gitwar did not start, see $LOGDIR/stdout.log" >&2; kill "$PID"; exit 1; }
echo "$PID"
echo "URL=http://127.0.0.1:$PORT/git/REPO.git"
