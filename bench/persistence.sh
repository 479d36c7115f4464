#!/usr/bin/env bash
# persistence.sh - restart time and snapshot size for N keys, jkevy against redis-server.
#
# Usage: bench/persistence.sh [KEYS]          (default 1000000; needs ./jkevy built, redis-server, redis-cli)
# For each server: start empty on a fresh directory, load KEYS string keys (key:%d -> 32-byte
# value) with redis-cli --pipe, write a snapshot (jkevy: BGREWRITEAOF, so the journal after it is
# empty; redis: SAVE with appendonly no -> dump.rdb), stop, start again and time from process start
# until PING answers PONG (no -LOADING) with DBSIZE = KEYS. Prints one CSV row per server.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
N=${1:-1000000}
W=$(mktemp -d)
trap 'redis-cli -p 6490 shutdown nosave >/dev/null 2>&1; redis-cli -p 6491 shutdown nosave >/dev/null 2>&1; rm -rf "$W"' EXIT
gen() {
  awk -v n="$N" 'BEGIN { v = "vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv"
    for (i = 0; i < n; i++) { k = "key:" i; printf "*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$32\r\n%s\r\n", length(k), k, v } }'
}
wait_ready() {  # port -> seconds since $2 (ns) until PONG and DBSIZE = N
  local port=$1 t0=$2
  while :; do
    if [ "$(redis-cli -p "$port" ping 2>/dev/null)" = PONG ] && [ "$(redis-cli -p "$port" dbsize 2>/dev/null)" = "$N" ]; then break; fi
    sleep 0.02
  done
  awk -v a="$t0" -v b="$(date +%s%N)" 'BEGIN { printf "%.2f", (b - a) / 1e9 }'
}
echo "server,keys,snapshot_bytes,restart_seconds"
# jkevy
mkdir -p "$W/jk"
start_jk() { (cd "$ROOT" && ./jkevy server --port 6491 --dir "$W/jk" --appendonly yes --save '' >>"$W/jk.log" 2>&1 &) ; }
start_jk; until [ "$(redis-cli -p 6491 ping 2>/dev/null)" = PONG ]; do sleep 0.1; done
gen | redis-cli -p 6491 --pipe >/dev/null
redis-cli -p 6491 bgrewriteaof >/dev/null
while [ "$(redis-cli -p 6491 info persistence | tr -d '\r' | awk -F: '$1=="aof_rewrite_in_progress"{print $2}')" != 0 ]; do sleep 0.1; done
sleep 0.5
SNAP=$(ls "$W"/jk/appendonlydir/*.snap | head -n 1)
JSIZE=$(stat -c %s "$SNAP")
redis-cli -p 6491 shutdown >/dev/null 2>&1; sleep 1
T0=$(date +%s%N); start_jk; JT=$(wait_ready 6491 "$T0")
echo "jkevy,$N,$JSIZE,$JT"
redis-cli -p 6491 shutdown >/dev/null 2>&1
# redis
mkdir -p "$W/rd"
redis-server --port 6490 --dir "$W/rd" --appendonly no --save '' --daemonize yes --logfile "$W/rd.log"
until [ "$(redis-cli -p 6490 ping 2>/dev/null)" = PONG ]; do sleep 0.1; done
gen | redis-cli -p 6490 --pipe >/dev/null
redis-cli -p 6490 save >/dev/null
RSIZE=$(stat -c %s "$W/rd/dump.rdb")
redis-cli -p 6490 shutdown nosave >/dev/null 2>&1; sleep 1
T0=$(date +%s%N); redis-server --port 6490 --dir "$W/rd" --appendonly no --save '' --daemonize yes --logfile "$W/rd.log"
RT=$(wait_ready 6490 "$T0")
echo "redis,$N,$RSIZE,$RT"
grep -h "snapshot .* loaded\|journal loaded" "$W/jk.log" | tail -n 2 >&2
grep -h "DB loaded from disk" "$W/rd.log" | tail -n 1 >&2
