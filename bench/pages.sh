#!/usr/bin/env bash
# How fast the web pages render on the 41k-object corpus: the repository's page, the listing, a
# directory's page and a file's page, each asked for by a browser (Accept: text/html) with curl,
# after a warm-up; median and 95th percentile of the total time curl saw, in ms. Also a
# revalidation of the repository's page (If-None-Match, answered 304 from the refs alone).
#
#   bench/pages.sh [CORPUS.git] [REQUESTS]
#
# Starts its own bootable JAR (mvn package first) on 127.0.0.1:$PORT (default 10481, management
# $MGMT 12391), pushes the corpus with `git push --mirror`, then times REQUESTS (default 50)
# requests of each page, one after another, after 10 of each as a warm-up.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
BENCH_DIR=${BENCH_DIR:-/tmp/bench}
CORPUS=${1:-$BENCH_DIR/corpora/synthetic-medium.git}
REQUESTS=${2:-50}
PORT=${PORT:-10481} MGMT=${MGMT:-12391}
WORK=${WORK:-$BENCH_DIR/pages}
# shellcheck source=bench/lib.sh
. "$HERE/lib.sh"
rm -rf "$WORK"; mkdir -p "$WORK"
git_env
trap stop_server EXIT
start_server
BASE=$(base_url)
URL=$BASE/corpus.git
log "pushing $CORPUS"
git -C "$CORPUS" push -q --mirror "$URL"
for i in 1 2 3; do git -C "$CORPUS" push -q --mirror "$BASE/other-$i.git"; done # a listing of four

branch=$(git -C "$CORPUS" symbolic-ref --short HEAD)
dir=$(git -C "$CORPUS" ls-tree HEAD | awk '$2 == "tree" {print $4; exit}')
file=$(git -C "$CORPUS" ls-tree -r HEAD -- "$dir" | awk '$2 == "blob" {print $4; exit}')
objects=$(git -C "$CORPUS" count-objects -v | awk '/in-pack/ {print $2}')
log "corpus: $objects objects; directory $dir ($(git -C "$CORPUS" ls-tree HEAD:"$dir" | wc -l) entries), file $file ($(git -C "$CORPUS" cat-file -s HEAD:"$file") bytes)"

ACCEPT='Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8'
stats() { # stdin: seconds, one a line; prints "median p95" in ms
  sort -n | awk '{a[NR]=$1*1000} END {printf "%.1f %.1f\n", (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2, a[int(NR*0.95+0.999)]}'
}
time_page() { # $1: label, $2: URL, then extra curl options
  local label=$1 url=$2 status; shift 2
  status=$(curl -s -o /dev/null -w '%{http_code}' -H "$ACCEPT" "$@" "$url")
  for i in $(seq 10); do curl -s -o /dev/null -H "$ACCEPT" "$@" "$url"; done
  for i in $(seq "$REQUESTS"); do curl -s -o /dev/null -w '%{time_total}\n' -H "$ACCEPT" "$@" "$url"; done > "$WORK/$label.txt"
  read -r median p95 < <(stats < "$WORK/$label.txt")
  printf '%-22s %s  median %6s ms  p95 %6s ms  %s bytes\n' "$label" "$status" "$median" "$p95" \
    "$(curl -s -H "$ACCEPT" "$@" "$url" | wc -c)"
}
etag=$(curl -s -D - -o /dev/null -H "$ACCEPT" "$URL" | awk -F': ' 'tolower($1) == "etag" {print $2}' | tr -d '\r')
time_page repository "$URL"
time_page repository-304 "$URL" -H "If-None-Match: $etag"
time_page listing "$BASE/"
time_page tree "$URL/~/tree/$branch/$dir"
time_page blob "$URL/~/blob/$branch/$file"
