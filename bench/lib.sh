# Shared by the reliability scripts in bench/: start, stop and kill a gitwar server, run git in
# an isolated environment, measure the server process. Source it; it uses these variables:
#   APPSERVER (wildfly, the default: the bootable JAR; payara: Payara Micro with the WAR and
#   src/main/payara/pre-boot-commands.asadmin, as the README runs it), JAR (default
#   target/gitwar-bootable.jar), MICRO and WAR (default target/payara-micro.jar, target/git.war),
#   PORT (HTTP), MGMT (WildFly's management port), WORK (a scratch directory the script owns),
#   HEAP (default 256m, the README's small server). Every server listens on 127.0.0.1 only.

set -euo pipefail

PROJECT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
APPSERVER=${APPSERVER:-wildfly}
JAR=${JAR:-$PROJECT/target/gitwar-bootable.jar}
MICRO=${MICRO:-$PROJECT/target/payara-micro.jar}
WAR=${WAR:-$PROJECT/target/git.war}
HEAP=${HEAP:-256m}
# jcmd of the JDK whose java runs the server (it must be a JDK, as for the build)
JCMD=${JCMD:-$(dirname "$(readlink -f "$(command -v java)")")/jcmd}
SERVER_PID=""

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# An isolated git: own HOME, no system config, fixed identity (as the integration tests' GitCli).
git_env() {
  export HOME="$WORK/home" XDG_CONFIG_HOME="$WORK/home/.config" GIT_CONFIG_NOSYSTEM=1 GIT_TERMINAL_PROMPT=0 \
    GIT_AUTHOR_NAME="Bench Author" GIT_AUTHOR_EMAIL=author@example.invalid \
    GIT_COMMITTER_NAME="Bench Committer" GIT_COMMITTER_EMAIL=committer@example.invalid LC_ALL=C
  mkdir -p "$HOME"
  git config --global init.defaultBranch main
  git config --global advice.detachedHead false
  # never wait forever on a server that a script killed
  git config --global http.lowSpeedLimit 1
  git config --global http.lowSpeedTime 60
}

base_url() { echo "http://127.0.0.1:$PORT/git"; }

# gitwar itself answers (a 404 for a repository that does not exist), not the server's own page
# while the WAR is still deploying
gitwar_answers() {
  local answer
  answer=$(curl -s -m 10 -w ' %{http_code} %{content_type}' "$(base_url)/probe.git/HEAD" 2>/dev/null) || return 1
  case $answer in *"not found"*" 404 text/plain"*) return 0 ;; *) return 1 ;; esac
}

# start_server [extra java -D options...]: starts the server on $PORT and waits (up to 300 s) until gitwar answers.
start_server() {
  rm -rf "$WORK/install"
  if [ "$APPSERVER" = payara ]; then
    [ -f "$MICRO" ] && [ -f "$WAR" ] || { echo "no $MICRO or $WAR: run mvn package and mvn dependency:copy@payara-micro first" >&2; exit 2; }
    # Payara Micro unpacks its runtime into java.io.tmpdir at every start: into $WORK/install, which
    # goes at the next start (a killed JVM leaves it behind)
    mkdir -p "$WORK/install"
    java -Xmx"$HEAP" -XX:+ExitOnOutOfMemoryError -Djava.io.tmpdir="$WORK/install" -Dgitwar.data-dir="$WORK/data" "$@" -jar "$MICRO" \
      --nohazelcast --port "$PORT" --prebootcommandfile "$PROJECT/src/main/payara/pre-boot-commands.asadmin" \
      --deploy "$WAR" >>"$WORK/server.log" 2>&1 &
  else
    [ -f "$JAR" ] || { echo "no $JAR: run mvn package first" >&2; exit 2; }
    java -Xmx"$HEAP" -XX:+ExitOnOutOfMemoryError -Dgitwar.data-dir="$WORK/data" "$@" -jar "$JAR" --install-dir="$WORK/install" \
      -Djboss.http.port="$PORT" -Djboss.management.http.port="$MGMT" >>"$WORK/server.log" 2>&1 &
  fi
  SERVER_PID=$!
  local deadline=$((SECONDS + 300))
  until gitwar_answers; do
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then echo "server exited; see $WORK/server.log" >&2; exit 2; fi
    if [ $SECONDS -ge $deadline ]; then echo "server did not answer within 300 s" >&2; exit 2; fi
    sleep 0.2
  done
}

stop_server() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID"
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=""
}

kill9_server() {
  kill -9 "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}

# heap in use after a full GC (KiB), open file descriptors, threads of the server process
heap_after_gc_kib() {
  "$JCMD" "$SERVER_PID" GC.run >/dev/null
  "$JCMD" "$SERVER_PID" GC.heap_info | sed -n 's/.* used \([0-9]*\)K.*/\1/p' | head -1
}
open_fds() { ls "/proc/$SERVER_PID/fd" | wc -l; }
threads() { awk '/^Threads:/ {print $2}' "/proc/$SERVER_PID/status"; }
# the container's request threads (names cut to 15 characters by the kernel): WildFly's Undertow
# workers "default task-N", Payara's Grizzly "http-thread-pool::...". Their pools grow with the
# requests in progress and shrink when idle (Payara's up to 200), so they say nothing about leaks.
request_threads() { cat /proc/"$SERVER_PID"/task/*/comm 2>/dev/null | grep -cE '^(default task-|http-thread-poo)' || true; }

# A commit that adds $2 bytes of random (incompressible) data in file $1.
commit_random() {
  head -c "$2" /dev/urandom >"$1"
  git add "$1"
  git commit -q -m "add $1"
}
