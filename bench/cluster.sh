#!/usr/bin/env bash
# An N-node gitwar cluster plus HAProxy in front, all on 127.0.0.1, from target/gitwar-cluster.jar
# (`mvn package` builds it; this script builds nothing):
#
#   bench/cluster.sh start N DIR     starts nodes 1..N (data under DIR/node-<i>) and HAProxy, prints
#                                    "node <i> <pid> http://127.0.0.1:<port>/git" per node and
#                                    "front <pid> http://127.0.0.1:<port>/git", returns when all answer ready
#   bench/cluster.sh stop DIR        stops them all
#   bench/cluster.sh restart DIR i   starts node i again on its old data (stopping it first if it runs),
#                                    prints its "node" line when it answers ready
#
# Node i is node-<i> in the cluster: HTTP on CLUSTER_HTTP_BASE+i (default 21000+i), management on
# CLUSTER_HTTP_BASE+100+i, JGroups TCP on CLUSTER_JGROUPS_BASE+i (default 27000+i) and its failure
# detection (FD_SOCK2) on CLUSTER_JGROUPS_BASE+500+i, discovery by TCPPING over the N JGroups ports.
# HAProxy listens on CLUSTER_FRONT_PORT (21900): `balance hash` on the repository name,
# `hash-type consistent`, health from /git/-/health/ready (DIR/haproxy.cfg, as the README shows).
# The environment reaches every node (GITWAR_ADMIN_TOKEN, GITWAR_*); CLUSTER_JAVA_OPTS adds JVM
# options (default -Xmx256m -XX:+UseSerialGC).
set -euo pipefail
PROJECT=$(cd "$(dirname "$0")/.." && pwd)
JAR=${CLUSTER_JAR:-$PROJECT/target/gitwar-cluster.jar}
HTTP_BASE=${CLUSTER_HTTP_BASE:-21000}
JGROUPS_BASE=${CLUSTER_JGROUPS_BASE:-27000}
FRONT_PORT=${CLUSTER_FRONT_PORT:-21900}
JAVA_OPTS=${CLUSTER_JAVA_OPTS:--Xmx256m -XX:+UseSerialGC}
READY_SECONDS=${CLUSTER_READY_SECONDS:-180}

usage() { sed -n '2,12p' "$0" >&2; exit 2; }

ready() { [ "$(curl -s -o /dev/null -m 2 -w '%{http_code}' "$1/-/health/ready")" = 200 ]; }

# wait_ready PID URL WHAT LOG: until URL answers ready, the process dies or its server started without
# gitwar (WFLYSRV0026: a failed deployment), or READY_SECONDS pass
wait_ready() {
  local deadline=$((SECONDS + READY_SECONDS))
  until ready "$2"; do
    kill -0 "$1" 2>/dev/null || { echo "$3 exited; see $4" >&2; return 1; }
    ! grep -q WFLYSRV0026 "$4" 2>/dev/null || { echo "$3 started with errors; see $4" >&2; return 1; }
    [ $SECONDS -lt $deadline ] || { echo "$3 not ready after $READY_SECONDS s" >&2; return 1; }
    sleep 0.2
  done
}

node_url() { echo "http://127.0.0.1:$((HTTP_BASE + $1))/git"; }

# start_node DIR I N: starts node I of N in the background, records its pid
start_node() {
  local dir=$1 i=$2 n=$3 hosts="" j
  for j in $(seq 1 "$n"); do hosts+="${hosts:+,}127.0.0.1[$((JGROUPS_BASE + j))]"; done
  local home=$dir/node-$i
  mkdir -p "$home/repositories"
  rm -rf "$home/install" # the server's own files, unpacked again from the JAR at each start
  [ ! -f "$home/server.log" ] || mv "$home/server.log" "$home/server.log.previous"
  # shellcheck disable=SC2086
  setsid java $JAVA_OPTS -XX:+ExitOnOutOfMemoryError -Dgitwar.data-dir="$home/repositories" \
    -Dgitwar.cluster.enabled=true -Dgitwar.cluster.url="$(node_url "$i")" \
    -jar "$JAR" --install-dir="$home/install" \
    -Djboss.node.name="node-$i" -Djboss.http.port=$((HTTP_BASE + i)) \
    -Djboss.management.http.port=$((HTTP_BASE + 100 + i)) \
    -Djboss.jgroups.tcp.port=$((JGROUPS_BASE + i)) -Djboss.jgroups.tcp.fd.port=$((JGROUPS_BASE + 500 + i)) \
    "-Djboss.cluster.tcp.initial_hosts=$hosts" > "$home/server.log" 2>&1 < /dev/null &
  echo $! > "$home/pid"
}

write_haproxy_cfg() {
  local dir=$1 n=$2 i
  {
    cat <<CFG
global
    maxconn 4096
    stats socket $dir/haproxy.sock mode 600 level admin

defaults
    mode http
    timeout connect 5s
    timeout client 1h
    timeout server 1h
    timeout http-request 60s

frontend git
    bind 127.0.0.1:$FRONT_PORT
    default_backend gitwar

backend gitwar
    # the repository's name from Git and API URLs alike: /git/team/app.git/info/refs,
    # /git/team/app/info/refs and /git/-/api/v1/repos/team/app.git/backup all hash "/git/team/app"
    balance hash path,regsub(^/git/-/api/v1/repos/,/git/),regsub([.]git/.*\$,),regsub(/info/refs\$,),regsub(/HEAD\$,),regsub(/objects/.*\$,),regsub(/git-upload-pack\$,),regsub(/git-receive-pack\$,),regsub([.]git\$,)
    hash-type consistent
    option httpchk GET /git/-/health/ready
    http-check expect status 200
    default-server check inter 1s fall 2 rise 1
CFG
    for i in $(seq 1 "$n"); do
      echo "    server node-$i 127.0.0.1:$((HTTP_BASE + i))"
    done
  } > "$dir/haproxy.cfg"
}

stop_pid() {
  local pid=$1 t
  kill "$pid" 2>/dev/null || return 0
  for t in $(seq 300); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
}

cmd=${1:-}
case $cmd in
  start)
    [ $# -eq 3 ] || usage
    n=$2 dir=$3
    [ -f "$JAR" ] || { echo "no $JAR: run 'mvn package' first" >&2; exit 1; }
    command -v haproxy > /dev/null || { echo "no haproxy: apt-get install -y haproxy" >&2; exit 1; }
    mkdir -p "$dir"; dir=$(cd "$dir" && pwd)
    echo "$n" > "$dir/nodes"
    for i in $(seq 1 "$n"); do start_node "$dir" "$i" "$n"; done
    write_haproxy_cfg "$dir" "$n"
    setsid haproxy -db -f "$dir/haproxy.cfg" >> "$dir/haproxy.log" 2>&1 < /dev/null &
    echo $! > "$dir/front.pid"
    for i in $(seq 1 "$n"); do
      wait_ready "$(cat "$dir/node-$i/pid")" "$(node_url "$i")" "node $i" "$dir/node-$i/server.log" \
        || { "$0" stop "$dir"; exit 1; }
      echo "node $i $(cat "$dir/node-$i/pid") $(node_url "$i")"
    done
    wait_ready "$(cat "$dir/front.pid")" "http://127.0.0.1:$FRONT_PORT/git" "haproxy" "$dir/haproxy.log" \
      || { "$0" stop "$dir"; exit 1; }
    echo "front $(cat "$dir/front.pid") http://127.0.0.1:$FRONT_PORT/git"
    ;;
  stop)
    [ $# -eq 2 ] || usage
    dir=$2
    [ -f "$dir/front.pid" ] && stop_pid "$(cat "$dir/front.pid")" && rm -f "$dir/front.pid"
    for pidfile in "$dir"/node-*/pid; do
      [ -f "$pidfile" ] || continue
      stop_pid "$(cat "$pidfile")" &
    done
    wait
    rm -f "$dir"/node-*/pid
    ;;
  restart)
    [ $# -eq 3 ] || usage
    dir=$2 i=$3
    [ -f "$dir/nodes" ] || { echo "no cluster in $dir" >&2; exit 1; }
    dir=$(cd "$dir" && pwd)
    [ -f "$dir/node-$i/pid" ] && stop_pid "$(cat "$dir/node-$i/pid")"
    start_node "$dir" "$i" "$(cat "$dir/nodes")"
    wait_ready "$(cat "$dir/node-$i/pid")" "$(node_url "$i")" "node $i" "$dir/node-$i/server.log"
    echo "node $i $(cat "$dir/node-$i/pid") $(node_url "$i")"
    ;;
  *) usage ;;
esac
