#!/usr/bin/env bash
# Redeploys: git.war deployed on a running server, then redeployed N times in a row; after each
# deployment a push, a smart and a dumb clone (both fsck'd), and the server JVM measured after a full
# GC: heap and metaspace in use, classes loaded, threads, JGit threads, how many deployments' classes
# are loaded (1 when the class loaders of the replaced deployments were collected) and how many SQLite
# JDBC drivers exist (one per class loader that has sqlite-jdbc loaded). Then an undeploy and the same figures (0
# deployments). Fails if a git step fails, a pushed commit is missing, or a replaced deployment's
# classes stay loaded (a class loader leak: each one keeps its classes, threads and native library).
#
#   bench/redeploy.sh wildfly|payara [N]      (default 10)
#
# wildfly: a copy of the provisioned target/server (mvn package), redeployed with the CLI
#          (deploy --force). Ports: PORT (HTTP, default 18080), MGMT (management, default 18990), the
#          others at their defaults + OFFSET (default 3000).
# payara:  a new domain of Payara Server (target/payara6, unpacked before the ITs of mvn verify or by
#          `mvn dependency:unpack@payara-server`), set up as the README says and redeployed with
#          asadmin (deploy --force). PORTBASE (default 18700): HTTP PORTBASE+80, admin PORTBASE+48.
# Environment: WORK (scratch directory, default a new temp dir; the server runs from there),
# HEAPDUMP (a file: a heap dump after the undeploy, to find what keeps a class loader). Both servers
# run with their default heap, -Xmx512m. Prints one line per deployment and a
# summary; stops the server at the end.
cd "$(dirname "$0")"
source ./lib.sh
KIND=${1:?usage: redeploy.sh wildfly|payara [N]}
N=${2:-10}
WORK=${WORK:-$(mktemp -d)}
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
git_env

# ---- the two servers: start, deploy, undeploy, stop ----

if [ "$KIND" = wildfly ]; then
  PORT=${PORT:-18080}
  MGMT=${MGMT:-18990}
  HOME_DIR=$WORK/wildfly
  # The slim server has no bin/jboss-cli.sh, but has the CLI module: run it as the script would.
  cli() { (cd "$WORK" && java -jar "$HOME_DIR/jboss-modules.jar" -mp "$HOME_DIR/modules" org.jboss.as.cli \
    --controller="remote+http://127.0.0.1:$MGMT" --connect --command="$1" >>"$WORK/cli.log" 2>&1); }
  server_start() {
    [ -d "$PROJECT/target/server" ] || { echo "no target/server: run mvn package first" >&2; exit 2; }
    rm -rf "$HOME_DIR" && cp -a "$PROJECT/target/server" "$HOME_DIR"
    rm -f "$HOME_DIR"/standalone/deployments/git.war* # deployed by the CLI below, not by the scanner
    # A booted server rewrites logging.properties with ${jboss.server.log.dir}, a property the log
    # manager does not know yet when it starts: it wrote to a directory of that literal name in the
    # current directory. The copy names its log directory instead.
    sed -i "s|\${jboss.server.log.dir}|$HOME_DIR/standalone/log|g" "$HOME_DIR/standalone/configuration/logging.properties"
    # every other socket (https 8443, the transaction manager's 4712 and 4713, management https 9993)
    # moved by OFFSET too, so that it runs beside a server on the default ports; HTTP and management
    # stay on PORT and MGMT
    local off=${OFFSET:-3000}
    LAUNCH_JBOSS_IN_BACKGROUND=1 JBOSS_PIDFILE="$WORK/wildfly.pid" "$HOME_DIR/bin/standalone.sh" \
      -Djboss.socket.binding.port-offset="$off" -Djboss.http.port=$((PORT - off)) \
      -Djboss.management.http.port=$((MGMT - off)) -b 127.0.0.1 -bmanagement 127.0.0.1 \
      -Dgitwar.data-dir="$WORK/data" >"$WORK/server.log" 2>&1 &
    local deadline=$((SECONDS + 300))
    until [ -s "$WORK/wildfly.pid" ] && curl -sf -o /dev/null "http://127.0.0.1:$MGMT/health/ready"; do
      [ $SECONDS -lt $deadline ] || { echo "WildFly did not start in 300 s; see $WORK/server.log" >&2; exit 2; }
      sleep 0.5
    done
    SERVER_PID=$(cat "$WORK/wildfly.pid")
  }
  deploy() { cli "deploy --force $WAR"; }
  undeploy() { cli "undeploy git.war"; }
  server_stop() { # SIGTERM to the JVM (not a child of this shell: standalone.sh's), then wait for it to end
    [ -n "$SERVER_PID" ] || return 0
    kill "$SERVER_PID" 2>/dev/null || true
    local deadline=$((SECONDS + 60))
    while kill -0 "$SERVER_PID" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.2; done
    SERVER_PID=""
  }
elif [ "$KIND" = payara ]; then
  PORTBASE=${PORTBASE:-18700}
  PORT=$((PORTBASE + 80))
  PAYARA=$PROJECT/target/payara6
  DOMAINS=$WORK/domains
  export AS_JAVA=${AS_JAVA:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")} TERM=dumb
  # local commands (create-domain, start-domain) take no connection options; remote ones need them
  local_asadmin() { "$PAYARA/bin/asadmin" "$@" >>"$WORK/asadmin.log" 2>&1; }
  asadmin() { local_asadmin --host 127.0.0.1 --port $((PORTBASE + 48)) "$@"; }
  server_start() {
    [ -x "$PAYARA/bin/asadmin" ] || { echo "no $PAYARA: run mvn dependency:unpack@payara-server first" >&2; exit 2; }
    rm -rf "$DOMAINS"
    local_asadmin create-domain --nopassword --portbase "$PORTBASE" --domaindir "$DOMAINS" gitwar
    # Before the first start: every listener on the loopback interface, no Hazelcast (one server)
    sed -i '/<config name="server-config">/,/<config name="default-config"/{s/<network-listener port=/<network-listener address="127.0.0.1" port=/; s/address="0.0.0.0"/address="127.0.0.1"/g; s/<hazelcast-config-specific-configuration>/<hazelcast-config-specific-configuration enabled="false">/}' "$DOMAINS/gitwar/config/domain.xml"
    local_asadmin start-domain --domaindir "$DOMAINS" gitwar
    SERVER_PID=$(cat "$DOMAINS/gitwar/config/pid")
    asadmin multimode --file "$PROJECT/src/main/payara/domain-commands.asadmin"
    asadmin create-system-properties "gitwar.data-dir=${WORK//:/\\:}/data"
    asadmin restart-domain --domaindir "$DOMAINS" gitwar
    SERVER_PID=$(cat "$DOMAINS/gitwar/config/pid")
  }
  deploy() { asadmin deploy --force --name git --contextroot git "$WAR"; }
  undeploy() { asadmin undeploy git; }
  server_stop() { [ -z "$SERVER_PID" ] || local_asadmin stop-domain --domaindir "$DOMAINS" gitwar || stop_server; SERVER_PID=""; }
else
  echo "usage: redeploy.sh wildfly|payara [N]" >&2; exit 2
fi
trap 'server_stop' EXIT
trap 'exit 143' TERM INT # so that the EXIT trap stops the server

# ---- what is measured ----

# Deployments whose classes are loaded: one gitwar class per class loader that still holds it.
deployments_loaded() { "$JCMD" "$SERVER_PID" VM.class_hierarchy | grep -c '^|--io\.gitwar\.service\.Lifecycle/' || true; }

# A full GC, then the deployments loaded; while more than $1, again every 5 s for up to 70 s: some
# references are let go within a minute (a cancelled task stays in the scheduler's queue until it
# was due; the JDK's process reaper thread, which sqlite-jdbc's `uname -o` starts, idles 60 s).
collect() {
  local loaded deadline=$((SECONDS + 70))
  while :; do
    "$JCMD" "$SERVER_PID" GC.run >/dev/null
    loaded=$(deployments_loaded)
    if [ "$loaded" -le "$1" ] || [ $SECONDS -ge $deadline ]; then break; fi
    sleep 5
  done
  echo "$loaded"
}

# heap in use after the last full GC (collect ran it), classes loaded, SQLite JDBC drivers (one per
# class loader that loaded sqlite-jdbc: a driver left registered keeps its deployment's loader)
heap_kib() { "$JCMD" "$SERVER_PID" GC.heap_info | sed -n 's/.* used \([0-9]*\)K.*/\1/p' | head -1; }
classes_loaded() { jstat -class "$SERVER_PID" | awk 'NR == 2 { print $1 - $3 }'; } # loaded minus unloaded
sqlite_drivers() { "$JCMD" "$SERVER_PID" GC.class_histogram | awk '$4 == "org.sqlite.JDBC" { n += $2 } END { print n + 0 }'; }
metaspace_kib() { jstat -gc "$SERVER_PID" | awk 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "MU") c = i } NR == 2 { printf "%d", $c }'; }
jgit_threads() { "$JCMD" "$SERVER_PID" Thread.print | grep -c '^"JGit-' || true; }

# The deployments the server itself may keep besides the current one: a class loader leak of gitwar
# keeps one more per redeploy and soon exceeds it. WildFly: an idle Undertow worker keeps the last
# request it ran, with its deployment. Payara: its pool threads (managed executors, the transaction
# timeout scheduler) keep the deployment that was running when they were started (a JDK 17 thread
# inherits its creator's access control context): at most one per pool thread, not one per redeploy.
# Measured on 2026-12-01: the count stops growing at 2 kept on WildFly (10 redeploys: from the 2nd)
# and 3 to 4 on Payara Server (10 redeploys: 3 from the 3rd; 6 redeploys: 4 from the 5th); one more
# allowed. RedeployIT redeploys often enough that a leak of one per redeploy exceeds it.
case $KIND in wildfly) KEPT=${KEPT:-3} ;; payara) KEPT=${KEPT:-5} ;; esac

measure() { # label deployments-expected git-result
  local loaded
  loaded=$(collect $(($2 + KEPT)))
  printf "$ROW" "$1" "$(heap_kib)" "$(metaspace_kib)" "$(classes_loaded)" "$(threads)" "$loaded" "$(jgit_threads)" "$(sqlite_drivers)" "$3"
  [ "$loaded" -le $(($2 + KEPT)) ] || echo "$1: $loaded deployments loaded, more than $2 + $KEPT kept by the server" >>"$WORK/failures"
}

# ---- the git work after each deployment ----

SRC=$WORK/src
git init -q "$SRC"
# a first commit of 150 files (a listed pack, so later pushes lead to a repack on the executor)
for f in $(seq 1 150); do echo "file $f" >"$SRC/f$f.txt"; done
git -C "$SRC" add . && git -C "$SRC" commit -q -m "first"
URL=$(base_url)/redeploy/main.git

git_round() { # i: one more commit of 120 files, pushed; smart and dumb clones fsck'd and complete
  local i=$1
  mkdir -p "$SRC/r$i"
  for f in $(seq 1 120); do echo "round $i file $f" >"$SRC/r$i/$f.txt"; done
  git -C "$SRC" add . && git -C "$SRC" commit -q -m "round $i"
  git -C "$SRC" push -q "$URL" main 2>>"$WORK/git.log" || { echo "push failed"; return; }
  local want
  want=$(git -C "$SRC" rev-parse main)
  rm -rf "$WORK/smart" "$WORK/dumb"
  git clone -q --mirror "$URL" "$WORK/smart" 2>>"$WORK/git.log" || { echo "smart clone failed"; return; }
  GIT_SMART_HTTP=0 git clone -q --mirror "$URL" "$WORK/dumb" 2>>"$WORK/git.log" || { echo "dumb clone failed"; return; }
  for c in smart dumb; do
    git -C "$WORK/$c" fsck --full --strict >>"$WORK/git.log" 2>&1 || { echo "$c clone not fsck-clean"; return; }
    [ "$(git -C "$WORK/$c" rev-parse main)" = "$want" ] || { echo "$c clone misses $want"; return; }
  done
  echo "ok (commits $(git -C "$WORK/smart" rev-list --count main))"
}

log "redeploy: $KIND, $N redeploys, work dir $WORK"
rm -f "$WORK/failures"
server_start
deploy || { echo "first deploy failed; see $WORK" >&2; exit 1; }
ROW='%-10s %9s %13s %8s %8s %12s %12s %15s   %s\n'
printf "$ROW" deployment heap-kib metaspace-kib classes threads deployments jgit-threads sqlite-drivers git
result=$(git_round 0)
[ "${result#ok}" != "$result" ] || echo "round 0: $result" >>"$WORK/failures"
measure 0 1 "$result"
for i in $(seq 1 "$N"); do
  deploy || echo "deploy $i failed" >>"$WORK/failures"
  deadline=$((SECONDS + 120)) # deploy returns when deployed; this only confirms it
  until gitwar_answers || [ $SECONDS -ge $deadline ]; do sleep 0.2; done
  result=$(git_round "$i")
  [ "${result#ok}" != "$result" ] || echo "round $i: $result" >>"$WORK/failures"
  measure "$i" 1 "$result"
done
undeploy || echo "undeploy failed" >>"$WORK/failures"
measure undeployed 0 -
# to find what keeps a class loader: HEAPDUMP=/some/file.hprof
[ -z "${HEAPDUMP:-}" ] || { rm -f "$HEAPDUMP"; "$JCMD" "$SERVER_PID" GC.heap_dump "$HEAPDUMP" >/dev/null; "$JCMD" "$SERVER_PID" Thread.print >"$HEAPDUMP.threads"; }
jdbc_warnings=$(cat "$WORK/server.log" "${DOMAINS:-/nonexistent}/gitwar/logs/server.log" 2>/dev/null | grep -c "failed to unregister it" || true)
echo "redeploy: server=$KIND redeploys=$N jdbc-driver-warnings=$jdbc_warnings failures=$(cat "$WORK/failures" 2>/dev/null | wc -l)"
if [ -s "$WORK/failures" ]; then sed 's/^/  /' "$WORK/failures" >&2; exit 1; fi
