#!/usr/bin/env bash
# Starts gitwar on Payara Micro for ../shared/bench/run-anchors.sh (its start-*.sh contract), the
# same WAR and settings as the README's Payara command:
#   start-gitwar-payara.sh ROOT PORT LOGDIR
# ROOT becomes gitwar's data directory; prints the JVM's PID, then "URL=... ACCESSLOG=...".
# GITWAR_HEAP, GITWAR_GC and GITWAR_OPTS as in start-gitwar.sh (the bootable JAR), so the two columns
# run with the same JVM settings. Needs target/git.war and target/payara-micro.jar (mvn package;
# mvn dependency:copy@payara-micro).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$1 PORT=$2 LOGDIR=${3:-$ROOT/../gitwar-payara-logs}
WAR=${GITWAR_WAR:-$HERE/../target/git.war}
MICRO=${PAYARA_MICRO:-$HERE/../target/payara-micro.jar}
for f in "$WAR" "$MICRO"; do
  [ -f "$f" ] || { echo "no $f: run 'mvn package' and 'mvn dependency:copy@payara-micro' first" >&2; exit 1; }
done
mkdir -p "$ROOT" "$LOGDIR"
ROOT=$(cd "$ROOT" && pwd) LOGDIR=$(cd "$LOGDIR" && pwd)
# Payara Micro unpacks its runtime into java.io.tmpdir at each start
rm -rf "$LOGDIR/tmp" "$LOGDIR/access.log.txt" && mkdir -p "$LOGDIR/tmp"
# The access log, written at once (interval 0), to one file: its name is prefix.suffix.txt, the
# suffix a date pattern, here a quoted literal.
# shellcheck disable=SC2086
setsid java -Xmx"${GITWAR_HEAP:-256m}" -XX:+ExitOnOutOfMemoryError ${GITWAR_GC--XX:+UseSerialGC} ${GITWAR_OPTS:-} -Dgitwar.data-dir="$ROOT" \
  -Djava.io.tmpdir="$LOGDIR/tmp" -jar "$MICRO" --nohazelcast --port "$PORT" \
  --prebootcommandfile "$HERE/../src/main/payara/pre-boot-commands.asadmin" \
  --accesslog "$LOGDIR" --accessloginterval 0 --accesslogprefix access --accesslogsuffix "'log'" \
  --deploy "$WAR" > "$LOGDIR/server.log" 2>&1 < /dev/null &
PID=$!
# gitwar answers (Payara answers its own 404 page while the WAR deploys)
up() { curl -s -m 2 "http://127.0.0.1:$PORT/git/probe.git/HEAD" | grep -q "repository not found"; }
for _ in $(seq 1800); do
  up && break
  kill -0 "$PID" 2>/dev/null || { echo "Payara Micro exited; see $LOGDIR/server.log" >&2; exit 1; }
  sleep 0.1
done
up || { echo "gitwar did not start on Payara Micro in 180 s; see $LOGDIR/server.log" >&2; kill "$PID"; exit 1; }
echo "$PID"
echo "URL=http://127.0.0.1:$PORT/git/REPO.git ACCESSLOG=$LOGDIR/access.log.txt"
