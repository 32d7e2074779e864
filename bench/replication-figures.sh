#!/usr/bin/env bash
# What replication costs and buys (issue 17's note), on loopback, from target/ (needs `mvn package`),
# in one run: for 1, 2 and 3 copies (gitwar.cluster.replicas), a 3-node cluster started anew:
#  1. the initial push of the corpus (`git push --mirror`) to a new repository through HAProxy (R runs,
#     new repositories, median; the same names for each number of copies, so the same primaries: the
#     rendezvous hash depends on the name and the nodes only);
#  2. an incremental push (one commit changing one file) to that repository (R runs, median);
#  3. 4 concurrent smart clones of that repository, one through each node in turn (1, 2, 3, 1):
#     with 1 copy the other nodes forward to the primary, with 3 every node answers from its own.
#
#   bench/replication-figures.sh [CORPUS] [R]   (default /tmp/bench/corpora/synthetic-medium.git, 3)
#
# Ports as bench/cluster.sh's (CLUSTER_HTTP_BASE, ...). All on the same machine: the three JVMs share
# its cores, so these are ratios between the columns, not a cluster's capacity.
cd "$(dirname "$0")"
source ./lib.sh
CORPUS=${1:-/tmp/bench/corpora/synthetic-medium.git}
R=${2:-3}
WORK=${WORK:-$(mktemp -d)}
export GITWAR_ADMIN_TOKEN=${GITWAR_ADMIN_TOKEN:-figures}
[ -d "$CORPUS" ] || { echo "no corpus at $CORPUS (bench/run.sh makes it)" >&2; exit 2; }
mkdir -p "$WORK"
git_env
api() { curl -s -H "Authorization: Bearer $GITWAR_ADMIN_TOKEN" "$@"; }
owner_of() { api "$1/-/api/v1/repos/$2.git" | sed -E 's/.*"owner":"([^"]+)".*/\1/'; }
now_ms() { date +%s%3N; }
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

results=()
for copies in 1 2 3; do
  log "3 nodes, $copies cop$( [ "$copies" = 1 ] && echo y || echo ies) per repository"
  lines=$(GITWAR_CLUSTER_REPLICAS=$copies ./cluster.sh start 3 "$WORK/cluster-$copies")
  FRONT=$(echo "$lines" | awk '/^front/ { print $3 }')
  mapfile -t NODES < <(echo "$lines" | awk '/^node/ { print $4 }')
  initial=() incremental=()
  for r in $(seq "$R"); do
    start=$(now_ms)
    git -C "$CORPUS" push -q --mirror "$FRONT/bench/m$r.git"
    initial+=($(( $(now_ms) - start )))
  done
  name=bench/m1
  owner=$(owner_of "$FRONT" "$name")
  primary=${NODES[$(( ${owner#node-} - 1 ))]}
  rm -rf "$WORK/work-$copies"
  git clone -q "$primary/$name.git" "$WORK/work-$copies"
  for r in $(seq "$R"); do
    echo "$copies $r" >> "$WORK/work-$copies/replication-bench.txt"
    git -C "$WORK/work-$copies" add replication-bench.txt
    git -C "$WORK/work-$copies" commit -q -m "bench $r"
    start=$(now_ms)
    git -C "$WORK/work-$copies" push -q origin HEAD
    incremental+=($(( $(now_ms) - start )))
  done
  clones=()
  for r in $(seq "$R"); do
    start=$(now_ms) pids=()
    for i in 0 1 2 0; do
      git clone -q --mirror "${NODES[$i]}/$name.git" "$WORK/clone-$copies-$r-$i-$RANDOM" & pids+=($!)
    done
    wait "${pids[@]}"
    clones+=($(( $(now_ms) - start )))
    rm -rf "$WORK"/clone-"$copies"-*
  done
  results+=("$(printf '| %s | %s ms | %s ms | %s ms |' "$copies" \
    "$(printf '%s\n' "${initial[@]}" | median)" "$(printf '%s\n' "${incremental[@]}" | median)" \
    "$(printf '%s\n' "${clones[@]}" | median)")")
  log "initial ${initial[*]} ms; incremental ${incremental[*]} ms; 4 clones ${clones[*]} ms"
  ./cluster.sh stop "$WORK/cluster-$copies" >/dev/null
done
echo
echo "| copies | initial push of the corpus | incremental push | 4 concurrent clones (nodes 1,2,3,1) |"
echo "|---|---|---|---|"
printf '%s\n' "${results[@]}"
echo "(medians of $R; $WORK)"
