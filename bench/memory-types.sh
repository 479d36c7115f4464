#!/usr/bin/env bash
# memory-types.sh - resident memory per element for the collection data sets of issue 3 that
# ../shared/bench/memory.sh does not cover (it does strings and hashes).
#
# Usage: memory-types.sh DATASET HOST:PORT      (a freshly started, empty server on this machine)
#   sets     100k sets of 10 small members     (SADD set:N m0 .. m9)
#   zsets    100k sorted sets of 10 members    (ZADD zset:N 0 m0 .. 9 m9)
#   list     one list of 1M elements           (RPUSH list v0 .. in batches of 100)
# Output: dataset,elements,rss_empty_kb,rss_loaded_kb,bytes_per_element
set -uo pipefail
RCLI=${REDIS_CLI:-redis-cli}
[ $# -eq 2 ] || { sed -n '2,10p' "$0"; exit 2; }
DS=$1 H=${2%:*} P=${2##*:}
PID=$(ss -ltnpH "sport = :$P" 2>/dev/null | grep -o 'pid=[0-9]*' | head -n 1 | cut -d= -f2)
[ -n "$PID" ] || { echo "no local pid for port $P" >&2; exit 2; }
rss() { awk '$1 == "VmRSS:" { print $2 }' "/proc/$PID/status"; }
gen() {
  awk -v ds="$DS" 'BEGIN {
    if (ds == "sets") { for (i = 0; i < 100000; i++) { printf "*12\r\n$4\r\nSADD\r\n$%d\r\nset:%d\r\n", length("set:" i), i
        for (j = 0; j < 10; j++) printf "$2\r\nm%d\r\n", j } n = 1000000 }
    else if (ds == "zsets") { for (i = 0; i < 100000; i++) { printf "*22\r\n$4\r\nZADD\r\n$%d\r\nzset:%d\r\n", length("zset:" i), i
        for (j = 0; j < 10; j++) printf "$1\r\n%d\r\n$2\r\nm%d\r\n", j, j } n = 1000000 }
    else if (ds == "list") { for (b = 0; b < 10000; b++) { printf "*102\r\n$5\r\nRPUSH\r\n$4\r\nlist\r\n"
        for (j = 0; j < 100; j++) { v = "v" (b * 100 + j); printf "$%d\r\n%s\r\n", length(v), v } } n = 1000000 }
  }'
}
case $DS in sets|zsets) ITEMS=100000 ;; list) ITEMS=10000 ;; *) echo "unknown dataset $DS" >&2; exit 2 ;; esac
sleep 3; e=$(rss)
out=$(gen | "$RCLI" -h "$H" -p "$P" --pipe 2>&1)
printf '%s\n' "$out" | grep -q "errors: 0, replies: $ITEMS" || { echo "load failed: $out" >&2; exit 1; }
sleep 3; l=$(rss)
awk -v ds="$DS" -v e="$e" -v l="$l" 'BEGIN { printf "%s,1000000,%d,%d,%.1f\n", ds, e, l, (l - e) * 1024 / 1000000 }'
