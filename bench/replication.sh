#!/usr/bin/env bash
# replication.sh - what replication costs and whether replicas keep up, jkevy against
# redis-server 7 in the same run (loopback only; docs/replication-bench.md explains the numbers).
#
# Usage: bench/replication.sh            (needs ./jkevy built or buildable, redis-server,
#                                         redis-cli, redis-benchmark 7.x)
# Sections (SECTIONS, default "throughput snapshot"):
#   throughput  a primary of each server with 0, 1 and 2 replicas attached; per replica count and
#               pipeline, RUNS rounds of `redis-benchmark -t set -n N -c CLIENTS -P <pipeline>
#               -r KEYSPACE -d VALUE` against each primary, jkevy first in odd rounds, redis first
#               in even rounds. While the load runs, the replication offsets of the primary and of
#               every replica are sampled every 100 ms (INFO replication, all nodes at once);
#               after it ends, the time until every replica reached the primary's final offset
#               is measured. Prints two tables: throughput (median ops/s, ratio jkevy/redis
#               with its min-max over rounds) and replica lag (median over rounds).
#   snapshot    a primary of each server filled with KEYS keys (DEBUG POPULATE KEYS key
#               SNAP_VALUE); RUNS times, a fresh replica with an empty directory is started and
#               timed until its port accepts connections and until it is in sync (link up, no sync in
#               progress, DBSIZE = KEYS). Alternates jkevy and redis like above.
# Environment (defaults finish in a few minutes on 2 cores):
#   N=200000 RUNS=3 KEYS=1000000 CLIENTS=50 KEYSPACE=100000 VALUE=3 SNAP_VALUE=32
#   PIPELINES="1 16" REPLICAS="0 1 2" WARMUP=N (pipelined SETs per primary and replica
#   count before measuring; 0 = none) SECTIONS="throughput snapshot"
#   FORMAT=csv|md (md: markdown tables for docs/benchmarks.md)
#   REDIS_DISKLESS=yes|no (redis-server repl-diskless-sync; its delay is always 0)
#   JKEVY_ARGS / REDIS_ARGS: extra server options for every node of that server
#   JKEVY_JAVA_OPTS: JVM options (passed through to ./jkevy)
#   LOGDIR=dir: keep server logs, raw per-run rows and lag samples there (default: a temp dir,
#   removed at exit)
#   TIMEOUT=120: seconds any wait (start, sync, catch-up) may take before the run is given up
# Output: the tables on stdout; progress, per-run rows and server log excerpts on stderr.
# Every process the script starts is killed when it exits (normally, on error or on Ctrl-C).
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RB=${REDIS_BENCHMARK:-redis-benchmark} RCLI=${REDIS_CLI:-redis-cli} RSERVER=${REDIS_SERVER:-redis-server}
N=${N:-200000} RUNS=${RUNS:-3} KEYS=${KEYS:-1000000} CLIENTS=${CLIENTS:-50} KEYSPACE=${KEYSPACE:-100000}
VALUE=${VALUE:-3} SNAP_VALUE=${SNAP_VALUE:-32} PIPELINES=${PIPELINES:-1 16} REPLICAS=${REPLICAS:-0 1 2}
WARMUP=${WARMUP:-$N} SECTIONS=${SECTIONS:-throughput snapshot} FORMAT=${FORMAT:-csv}
REDIS_DISKLESS=${REDIS_DISKLESS:-yes} JKEVY_ARGS=${JKEVY_ARGS:-} REDIS_ARGS=${REDIS_ARGS:-}
TIMEOUT=${TIMEOUT:-120}

log() { printf '# %4ss %s\n' "$SECONDS" "$*" >&2; }   # progress on stderr, seconds since the start
die() { printf 'replication.sh: %s\n' "$*" >&2; exit 2; }

if [ -n "${LOGDIR:-}" ]; then mkdir -p "$LOGDIR" || die "cannot create $LOGDIR"; W=$(cd "$LOGDIR" && pwd); KEEP=1
else W=$(mktemp -d); KEEP=0; fi

PIDS=()        # every server started, killed at exit
SAMPLER=""     # the running lag sampler (a subshell), killed at exit
declare -A PID_OF PORT_OF LPORT_OF   # node name -> pid, client port, jkevy replication listen port
cleanup() {
  local p
  for p in ${PIDS[@]+"${PIDS[@]}"}; do kill "$p" 2>/dev/null; done
  for p in ${PIDS[@]+"${PIDS[@]}"}; do
    for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$p" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$p" 2>/dev/null
  done
  [ -n "$SAMPLER" ] && kill "$SAMPLER" 2>/dev/null
  wait ${PIDS[@]+"${PIDS[@]}"} 2>/dev/null
  if [ "$KEEP" = 0 ]; then rm -rf "$W"; else log "logs and raw data kept in $W"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
trap ':' PIPE   # a write to a server that went away fails (and closes that connection) instead of
                # killing the script; a handler, not an ignore, so the programs started don't inherit it

[ -n "${EPOCHREALTIME:-}" ] || die "needs bash 5 or later (EPOCHREALTIME)"
for t in "$RB" "$RCLI" "$RSERVER"; do command -v "$t" >/dev/null 2>&1 || die "$t not found"; done
[ -x "$ROOT/jkevy" ] || die "$ROOT/jkevy not found"
case $FORMAT in csv|md) ;; *) die "FORMAT must be csv or md" ;; esac

# ---- ports and processes ---------------------------------------------------------------------

USED_PORTS=" " FREE_PORT=""
free_port() {  # FREE_PORT := a random loopback port that nothing listens on and we have not used,
  # in 20000-32000: below Linux's default ephemeral range (32768-60999), where client sockets'
  # local ports would make a bind fail although nothing listens
  local p i
  for i in $(seq 1 200); do
    p=$((20000 + RANDOM % 12000))
    case $USED_PORTS in *" $p "*) continue ;; esac
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then USED_PORTS="$USED_PORTS$p "; FREE_PORT=$p; return 0; fi
  done
  die "no free port found"
}

cli() { timeout 10 "$RCLI" -h 127.0.0.1 -p "$@" 2>/dev/null; }   # cli PORT ARGS...

start_node() {  # start_node NAME jk|rd [UPSTREAM_NAME] : start a server (a replica of UPSTREAM_NAME if given)
  local name=$1 kind=$2 up=${3:-} port dir=$W/$1 pid
  free_port; port=$FREE_PORT
  rm -rf "$dir"; mkdir -p "$dir"
  if [ "$kind" = jk ]; then
    local lport role=(--replication.role primary); free_port; lport=$FREE_PORT
    [ -n "$up" ] && role=(--replication.role replica --replication.upstream "127.0.0.1:${LPORT_OF[$up]}")
    # shellcheck disable=SC2086
    "$ROOT/jkevy" server --port "$port" --bind 127.0.0.1 --dir "$dir" --appendonly no --save '' \
      "${role[@]}" --replication.listen_port "$lport" $JKEVY_ARGS >"$W/$name.log" 2>&1 </dev/null &
    pid=$!; LPORT_OF[$name]=$lport
  else
    local repl=(); [ -n "$up" ] && repl=(--replicaof 127.0.0.1 "${PORT_OF[$up]}")
    # shellcheck disable=SC2086
    "$RSERVER" --port "$port" --bind 127.0.0.1 --dir "$dir" --appendonly no --save '' \
      --repl-diskless-sync "$REDIS_DISKLESS" --repl-diskless-sync-delay 0 --enable-debug-command local \
      "${repl[@]}" --logfile "$W/$name.log" $REDIS_ARGS </dev/null >/dev/null 2>&1 &
    pid=$!
  fi
  PIDS+=("$pid"); PID_OF[$name]=$pid; PORT_OF[$name]=$port
}

stop_node() {  # stop_node NAME : kill it and forget it
  local name=$1 pid=${PID_OF[$1]}
  conn_close "$name"
  kill "$pid" 2>/dev/null
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
  unset "PID_OF[$name]"
  [ "$KEEP" = 0 ] && rm -rf "${W:?}/$name"
}

# ---- talking to the servers without a process per request ---------------------------------------
# Lag samples, catch-up and sync checks go through one persistent bash /dev/tcp connection per
# node (inline commands, replies read by length), so a sample costs a round trip, not a fork of
# redis-cli: the 100 ms sampling and the ~10 ms catch-up polling then measure the servers.

declare -A FD                                # node name -> connection fd (per shell)
exec {NAP}<> <(:)                            # a pipe nobody writes: `read -t S -u $NAP` sleeps S seconds
nap() { read -r -t "$1" -u "$NAP" _; }
US0=0

us_since() { local t=${EPOCHREALTIME/./}; US0=$((t - $1)); }   # US0 := microseconds since $1

conn_close() { local fd=${FD[$1]:-}; [ -n "$fd" ] && exec {fd}>&-; unset "FD[$1]"; return 0; }
rsend() {  # rsend NAME INLINE-COMMAND : send one command (opens the connection when needed)
  local fd=${FD[$1]:-}
  if [ -z "$fd" ]; then { exec {fd}<>"/dev/tcp/127.0.0.1/${PORT_OF[$1]}"; } 2>/dev/null || return 1; FD[$1]=$fd; fi
  { printf '%s\r\n' "$2" 1>&"$fd"; } 2>/dev/null || { conn_close "$1"; return 1; }
}
REPLY=""
rread() {  # rread NAME : REPLY := the reply (+/-/: line without its type byte, or a bulk's text); 1 on failure
  local fd=${FD[$1]:-} line len got=0 text=""
  REPLY=""
  [ -n "$fd" ] || return 1
  IFS= read -r -t 10 -u "$fd" line || { conn_close "$1"; return 1; }
  line=${line%$'\r'}
  case $line in
    '$-1') return 0 ;;
    '$'*) len=${line#?}
          while [ "$got" -lt "$len" ]; do
            IFS= read -r -t 10 -u "$fd" line || { conn_close "$1"; return 1; }
            got=$((got + ${#line} + 1)); text+=$'\n'"${line%$'\r'}"
          done
          IFS= read -r -t 10 -u "$fd" line || { conn_close "$1"; return 1; }   # the bulk's CRLF
          REPLY=$text ;;
    [-+:]*) REPLY=${line#?}; [ "${line:0:1}" = - ] && return 1 ;;
    *) conn_close "$1"; return 1 ;;
  esac
  return 0
}
rcall() { rsend "$1" "$2" && rread "$1"; }   # rcall NAME COMMAND : REPLY := reply
FIELD=""
field() {  # field TEXT NAME : FIELD := value of the INFO line "NAME:value" (empty when absent)
  local t=$'\n'"$1"$'\n'
  FIELD=""
  case $t in *$'\n'"$2:"*) t=${t#*$'\n'"$2:"}; FIELD=${t%%$'\n'*} ;; esac
}

wait_pong() {  # wait_pong NAME [SECONDS] : until it answers PONG; dies when it exits or times out
  local name=$1 limit=${2:-$TIMEOUT} t0=${EPOCHREALTIME/./}
  until rcall "$name" PING && [ "$REPLY" = PONG ]; do
    conn_close "$name"
    kill -0 "${PID_OF[$name]}" 2>/dev/null || { tail -n 5 "$W/$name.log" >&2; die "$name exited"; }
    us_since "$t0"; [ "$US0" -gt $((limit * 1000000)) ] && { tail -n 5 "$W/$name.log" >&2; die "$name: no PONG after ${limit}s"; }
    nap 0.01
  done
}

in_sync() {  # in_sync NAME [KEYS] : replica link up, no sync in progress (and DBSIZE = KEYS if given)
  rcall "$1" "INFO replication" || return 1
  field "$REPLY" master_link_status; [ "$FIELD" = up ] || return 1
  field "$REPLY" master_sync_in_progress; [ "$FIELD" = 0 ] || return 1
  [ -z "${2:-}" ] || { rcall "$1" DBSIZE && [ "$REPLY" = "$2" ]; }
}

wait_sync() {  # wait_sync NAME [KEYS]
  local t0=${EPOCHREALTIME/./}
  until in_sync "$@"; do
    kill -0 "${PID_OF[$1]}" 2>/dev/null || { tail -n 5 "$W/$1.log" >&2; die "$1 exited"; }
    us_since "$t0"; [ "$US0" -gt $((TIMEOUT * 1000000)) ] && { tail -n 5 "$W/$1.log" >&2; die "$1: not in sync after ${TIMEOUT}s"; }
    nap 0.01
  done
}

# ---- replication offsets ---------------------------------------------------------------------
# Both servers report the primary's position as master_repl_offset and a replica's as
# slave_repl_offset; jkevy counts frames (one per write), redis-server counts bytes of the stream.

OFFS=()
offsets() {  # offsets PRIMARY REPLICA... : OFFS := (primary_offset replica_offset...), NA when unknown;
  # INFO goes to every node before any reply is read, so the values are from (nearly) one instant
  local n i=0 v
  OFFS=()
  for n in "$@"; do rsend "$n" "INFO replication" || true; done
  for n in "$@"; do
    v=NA
    if rread "$n"; then
      if [ $i -eq 0 ]; then field "$REPLY" master_repl_offset; else field "$REPLY" slave_repl_offset; fi
      v=${FIELD:-NA}
    fi
    OFFS+=("$v"); i=$((i + 1))
  done
}

sampler() {  # sampler STOPFILE OUT PRIMARY REPLICA... : "t_us primary replicas..." every 100 ms until STOPFILE exists
  local stop=$1 out=$2 t; shift 2
  FD=()   # own connections: this runs in a subshell beside the main shell
  trap ':' PIPE
  while [ ! -e "$stop" ] && [ -d "$W" ]; do
    t=${EPOCHREALTIME/./}; offsets "$@"
    echo "$t ${OFFS[*]}" >>"$out"
    nap 0.1
  done
  for t in "$@"; do conn_close "$t"; done
}

MIN=NA
min_of() {  # min_of VALUE... : MIN := the smallest, NA if any is NA or there are none
  local x; MIN=${1:-NA}
  for x in "$@"; do [ "$x" = NA ] && { MIN=NA; return; }; [ "$x" -lt "$MIN" ] && MIN=$x; done
}

caught_up() {  # caught_up PRIMARY REPLICA... : wait until every replica reached the primary's offset now
  local target t0=${EPOCHREALTIME/./} n
  offsets "$1"; target=${OFFS[0]}
  [ "$target" = NA ] && return 1
  while :; do
    offsets "$@"
    min_of "${OFFS[@]:1}"
    [ "$MIN" != NA ] && [ "$MIN" -ge "$target" ] && return 0
    for n in "$@"; do kill -0 "${PID_OF[$n]}" 2>/dev/null || { tail -n 5 "$W/$n.log" >&2; die "$n exited"; }; done
    us_since "$t0"; [ "$US0" -gt $((TIMEOUT * 1000000)) ] && return 1
    nap 0.005
  done
}

# ---- section 1+2: throughput with replicas, and replica lag -------------------------------------

declare -A NREP=([jk]=0 [rd]=0)
set_replicas() {  # set_replicas jk|rd COUNT
  local s=$1 k=$2 i
  while [ "${NREP[$s]}" -gt "$k" ]; do stop_node "$s-r${NREP[$s]}"; NREP[$s]=$((NREP[$s] - 1)); done
  while [ "${NREP[$s]}" -lt "$k" ]; do
    i=$((NREP[$s] + 1)); start_node "$s-r$i" "$s" "$s-p"; NREP[$s]=$i
  done
  for i in $(seq 1 "$k"); do wait_pong "$s-r$i"; wait_sync "$s-r$i"; done
  log "$s: $k replica(s) in sync"
}

replica_names() { local i; for i in $(seq 1 "${NREP[$1]}"); do printf '%s ' "$1-r$i"; done; }

rb_set() {  # rb_set PORT PIPELINE COUNT -> ops/s (redis-benchmark's figure)
  "$RB" -h 127.0.0.1 -p "$1" -t set -n "$3" -c "$CLIENTS" -P "$2" -r "$KEYSPACE" -d "$VALUE" --csv \
      2>>"$W/redis-benchmark.err" </dev/null | tr -d '"' | awk -F, 'NR > 1 && NF >= 2 { r = $2 } END { if (r == "") exit 1; print r }'
}

measure() {  # measure jk|rd PIPELINE ROUND : one load run -> appends a row to $W/raw.csv
  local s=$1 p=$2 round=$3 reps o0 o1 t0 t1 rps caught=NA stop=$W/.stop samples
  read -r -a reps <<<"$(replica_names "$s")"
  local k=${#reps[@]}
  local nodes=("$s-p" ${reps[@]+"${reps[@]}"})
  if [ "$k" -gt 0 ]; then caught_up "${nodes[@]}" || log "$s: replicas not caught up before the run"; fi
  offsets "${nodes[@]}"; o0=("${OFFS[@]}")
  samples=$W/samples.$s.k$k.p$p.r$round; : >"$samples"; rm -f "$stop"
  sampler "$stop" "$samples" "${nodes[@]}" & SAMPLER=$!
  t0=${EPOCHREALTIME/./}
  rps=$(rb_set "${PORT_OF[$s-p]}" "$p" "$N") || rps=NA
  t1=${EPOCHREALTIME/./}
  # the offsets right when the load ended, then the wait until every replica reaches the primary
  offsets "${nodes[@]}"; o1=("${OFFS[@]}")
  if [ "$k" -gt 0 ]; then
    if caught_up "${nodes[@]}"; then us_since "$t1"; caught=$((US0 / 1000)); else log "$s: replicas did not catch up within ${TIMEOUT}s"; fi
  fi
  touch "$stop"; wait "$SAMPLER" 2>/dev/null; SAMPLER=""
  # max lag over the samples taken during the load (and the one at its end): primary offset
  # minus the slowest replica's
  # and the longest time without a sample (a node slow to answer INFO leaves the lag unseen)
  local maxlag=NA nsamp gap
  read -r nsamp gap < <(awk -v a="$t0" -v b="$t1" '
    $1 >= a && $1 <= b { n++; if ($1 - p > g) g = $1 - p; p = $1 }
    BEGIN { p = a } END { if (b - p > g) g = b - p; printf "%d %d\n", n, g / 1000 }' "$samples")
  if [ "$k" -gt 0 ]; then
    maxlag=$( { cat "$samples"; echo "$t1 ${o1[*]}"; } | awk -v a="$t0" -v b="$t1" '
      $1 >= a && $1 <= b { m = -1; for (i = 3; i <= NF; i++) { if ($i == "NA") next; if (m < 0 || $i + 0 < m) m = $i + 0 }
                if ($2 == "NA") next; l = $2 - m; if (l < 0) l = 0; if (l > x) x = l; seen = 1 }
      END { if (seen) printf "%d", x; else print "NA" }')
  fi
  local load_ms=$(( (t1 - t0) / 1000 )) r0=NA r1=NA
  if [ "$k" -gt 0 ]; then min_of "${o0[@]:1}"; r0=$MIN; min_of "${o1[@]:1}"; r1=$MIN; fi
  echo "$s,$k,$p,$round,$rps,$load_ms,${o0[0]},${o1[0]},$r0,$r1,$maxlag,$caught,$nsamp,$gap" >>"$W/raw.csv"
  log "k=$k P=$p round $round $s: ops/s=$rps load=${load_ms}ms primary_offset ${o0[0]}->${o1[0]} slowest_replica $r0->$r1 max_lag=$maxlag catchup_ms=$caught samples=$nsamp max_gap_ms=$gap"
}

section_throughput() {
  echo "server,replicas,pipeline,round,ops_s,load_ms,p_off0,p_off1,r_off0,r_off1,max_lag,catchup_ms,samples,max_gap_ms" >"$W/raw.csv"
  start_node jk-p jk; start_node rd-p rd
  wait_pong jk-p 600; wait_pong rd-p   # the first jkevy start may build the jar
  log "primaries up: jkevy on ${PORT_OF[jk-p]}, redis-server on ${PORT_OF[rd-p]}"
  local k p round s
  for k in $REPLICAS; do
    for s in jk rd; do
      set_replicas "$s" "$k"
      if [ "$WARMUP" -gt 0 ]; then   # warm the primary's and the fresh replicas' code paths
        rb_set "${PORT_OF[$s-p]}" 16 "$WARMUP" >/dev/null
        [ "$k" -gt 0 ] && { read -r -a nodes <<<"$s-p $(replica_names "$s")"; caught_up "${nodes[@]}"; }
        log "$s: warm-up done ($WARMUP SETs, pipeline 16)"
      fi
    done
    for p in $PIPELINES; do
      for round in $(seq 1 "$RUNS"); do
        local order="jk rd"; [ $((round % 2)) -eq 0 ] && order="rd jk"
        for s in $order; do measure "$s" "$p" "$round"; done
      done
    done
  done
  for s in jk rd; do set_replicas "$s" 0; stop_node "$s-p"; done
  log "throughput section done"
}

MED='function med(a, n,   i, j, t) { if (n == 0) return "NA"
       for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
       return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }'

report_throughput() {
  echo "replicas,pipeline,runs,jkevy_ops_s,redis_ops_s,ratio_jkevy_redis,ratio_min,ratio_max"
  awk -F, "$MED"'
    NR > 1 { key = $2 "," $3; if (!(key in seen)) { seen[key] = 1; order[++nk] = key }
             ops[$1, key, $4] = $5; if ($4 > R) R = $4 }
    END {
      for (q = 1; q <= nk; q++) {
        key = order[q]; na = nb = nr = 0; lo = 1e18; hi = 0; delete A; delete B
        for (r = 1; r <= R; r++) {
          x = ops["jk", key, r]; y = ops["rd", key, r]
          if (x != "NA" && x != "") A[++na] = x
          if (y != "NA" && y != "") B[++nb] = y
          if (x != "NA" && x != "" && y != "NA" && y > 0) { v = x / y; if (v < lo) lo = v; if (v > hi) hi = v; nr++ }
        }
        ma = med(A, na); mb = med(B, nb)
        if (na && nb) printf "%s,%d,%.0f,%.0f,%.2f,%.2f,%.2f\n", key, R, ma, mb, ma / mb, lo, hi
        else printf "%s,%d,%s,%s,NA,NA,NA\n", key, R, ma, mb
      }
    }' "$W/raw.csv"
}

report_lag() {
  # per server, replica count and pipeline, medians over rounds of:
  #   writes        = primary offset advance during the run (jkevy: frames; redis: bytes)
  #   max_lag       = the largest (primary offset - slowest replica offset) seen during the load
  #   max_lag_writes= max_lag in writes (redis: bytes / (stream bytes per write of that run))
  #   catchup_ms    = from the end of the load until every replica reached the primary's offset
  #   applied_per_s = writes the slowest replica applied during the load / load duration
  #   written_per_s = writes the primary made / load duration
  #   samples, max_gap_ms = lag samples inside the load, longest stretch of it without one
  echo "server,replicas,pipeline,runs,lag_unit,max_lag,max_lag_writes,catchup_ms,applied_writes_s,primary_writes_s,bytes_per_write,samples,max_gap_ms"
  awk -F, -v N="$N" "$MED"'
    NR > 1 && $2 > 0 {
      key = $1 "," $2 "," $3; if (!(key in seen)) { seen[key] = 1; order[++nk] = key }
      n = ++cnt[key]
      if ($7 == "NA" || $8 == "NA" || $9 == "NA" || $10 == "NA" || $6 <= 0) { bad[key]++; next }
      w = $8 - $7; bpw = (w > 0 ? w / N : 1); if ($1 == "jk") bpw = 1
      m = ++ok[key]
      BPW[key, m] = bpw
      if ($11 != "NA") { ML[key, ++nml[key]] = $11; MW[key, nml[key]] = $11 / bpw }
      if ($12 != "NA") CU[key, ++ncu[key]] = $12
      AP[key, m] = ($10 - $9) / bpw / ($6 / 1000); WR[key, m] = w / bpw / ($6 / 1000)
      SM[key, m] = $13; GP[key, m] = $14
    }
    function col(arr, key, n,   i, t) { delete t; for (i = 1; i <= n; i++) t[i] = arr[key, i]; return med(t, n) }
    END {
      for (q = 1; q <= nk; q++) {
        key = order[q]; split(key, f, ","); m = ok[key] + 0
        unit = f[1] == "jk" ? "frames" : "bytes"
        name = f[1] == "jk" ? "jkevy" : "redis"
        ml = col(ML, key, nml[key] + 0); mw = col(MW, key, nml[key] + 0); cu = col(CU, key, ncu[key] + 0)
        ap = col(AP, key, m); wr = col(WR, key, m); bp = col(BPW, key, m); sm = col(SM, key, m); gp = col(GP, key, m)
        printf "%s,%s,%s,%d,%s,%s,%s,%s,%s,%s,%s,%s,%s\n", name, f[2], f[3], cnt[key], unit,
          (ml == "NA" ? ml : sprintf("%.0f", ml)), (mw == "NA" ? mw : sprintf("%.0f", mw)),
          (cu == "NA" ? cu : sprintf("%.0f", cu)), (ap == "NA" ? ap : sprintf("%.0f", ap)),
          (wr == "NA" ? wr : sprintf("%.0f", wr)), (bp == "NA" ? bp : sprintf("%.1f", bp)),
          (sm == "NA" ? sm : sprintf("%.0f", sm)), (gp == "NA" ? gp : sprintf("%.0f", gp))
      }
    }' "$W/raw.csv"
}

# ---- section 3: snapshot ship time ------------------------------------------------------------

fill() {  # fill NAME : KEYS keys on the (replica-less) primary
  local port=${PORT_OF[$1]} r
  r=$(timeout "$TIMEOUT" "$RCLI" -h 127.0.0.1 -p "$port" debug populate "$KEYS" key "$SNAP_VALUE" 2>&1)
  if [ "$r" != OK ] || [ "$(cli "$port" dbsize)" != "$KEYS" ]; then
    log "$1: DEBUG POPULATE answered '$r'; loading with redis-cli --pipe instead"
    cli "$port" flushall >/dev/null
    awk -v n="$KEYS" -v s="$SNAP_VALUE" 'BEGIN { v = sprintf("%" s "s", ""); gsub(/ /, "v", v)
      for (i = 0; i < n; i++) { k = "key:" i; printf "*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n", length(k), k, s, v } }' |
      timeout "$TIMEOUT" "$RCLI" -h 127.0.0.1 -p "$port" --pipe >/dev/null 2>&1
  fi
  [ "$(cli "$port" dbsize)" = "$KEYS" ] || die "$1: could not load $KEYS keys"
}

wait_listen() {  # wait_listen NAME : until its client port accepts a connection
  local t0=${EPOCHREALTIME/./} fd
  until { exec {fd}<>"/dev/tcp/127.0.0.1/${PORT_OF[$1]}"; } 2>/dev/null; do
    kill -0 "${PID_OF[$1]}" 2>/dev/null || { tail -n 5 "$W/$1.log" >&2; die "$1 exited"; }
    us_since "$t0"; [ "$US0" -gt $((TIMEOUT * 1000000)) ] && die "$1: not listening after ${TIMEOUT}s"
    nap 0.005
  done
  exec {fd}>&-
}

snap_round() {  # snap_round jk|rd ROUND : a fresh replica of $s-s, timed -> row in $W/snap.csv (ROUND 0 = warm-up)
  local s=$1 round=$2 name=$1-sr$2 t0 up total
  t0=${EPOCHREALTIME/./}
  start_node "$name" "$s" "$s-s"
  wait_listen "$name"; us_since "$t0"; up=$((US0 / 1000))
  wait_sync "$name" "$KEYS"; us_since "$t0"; total=$((US0 / 1000))
  [ "$round" -gt 0 ] && echo "$s,$round,$up,$((total - up)),$total" >>"$W/snap.csv"
  log "snapshot round $round$([ "$round" = 0 ] && echo ' (warm-up, not counted)') $s: listening after ${up} ms, in sync with $KEYS keys after ${total} ms"
  if [ "$s" = jk ]; then grep -h "snapshot of .* shipped in\|snapshot from .* loaded" "$W/jk-s.log" "$W/$name.log" 2>/dev/null | tail -n 2 | sed 's/^/#   /' >&2
  else grep -h "Synchronization with replica .* succeeded" "$W/rd-s.log" 2>/dev/null | tail -n 1 | sed 's/^/#   /' >&2
       grep -h "MASTER <-> REPLICA sync: receiving\|Finished with success" "$W/$name.log" 2>/dev/null | tail -n 2 | sed 's/^/#   /' >&2; fi
  stop_node "$name"
}

section_snapshot() {
  echo "server,round,listen_ms,sync_ms,total_ms" >"$W/snap.csv"
  start_node jk-s jk; start_node rd-s rd
  wait_pong jk-s 600; wait_pong rd-s
  local s round t1
  for s in jk rd; do
    t1=${EPOCHREALTIME/./}; fill "$s-s"; us_since "$t1"; log "$s primary filled with $KEYS keys in $((US0 / 1000)) ms"
  done
  # one uncounted round each first: the primary's snapshot code runs for the first time there
  for s in jk rd; do snap_round "$s" 0; done
  for round in $(seq 1 "$RUNS"); do
    local order="jk rd"; [ $((round % 2)) -eq 0 ] && order="rd jk"
    for s in $order; do snap_round "$s" "$round"; done
  done
  stop_node jk-s; stop_node rd-s
}

report_snapshot() {
  echo "server,keys,runs,listen_ms,sync_ms,total_ms"
  awk -F, -v K="$KEYS" "$MED"'
    NR > 1 { n = ++c[$1]; U[$1, n] = $3; S[$1, n] = $4; T[$1, n] = $5 }
    function col(arr, s, n,   i, t) { delete t; for (i = 1; i <= n; i++) t[i] = arr[s, i]; return med(t, n) }
    END { split("jk rd", ss, " ")
      for (q = 1; q <= 2; q++) { s = ss[q]; n = c[s] + 0; if (!n) continue
        printf "%s,%d,%d,%.0f,%.0f,%.0f\n", (s == "jk" ? "jkevy" : "redis"), K, n, col(U, s, n), col(S, s, n), col(T, s, n) } }' "$W/snap.csv"
}

# ---- main -----------------------------------------------------------------------------------

emit() {  # emit TITLE : a CSV table on stdin, as CSV or markdown
  if [ "$FORMAT" = md ]; then
    printf '\n%s\n\n' "$1"
    awk -F, 'NR == 1 { h = "|"; s = "|"; for (i = 1; i <= NF; i++) { h = h " " $i " |"; s = s "---|" } print h; print s; next }
             { l = "|"; for (i = 1; i <= NF; i++) l = l " " $i " |"; print l }'
  else
    printf '# %s\n' "$1"; cat; echo
  fi
}

log "$("$RB" --version | head -n 1), $("$RSERVER" --version | awk '{print $3}'); N=$N RUNS=$RUNS KEYS=$KEYS clients=$CLIENTS keyspace=$KEYSPACE value=${VALUE}B pipelines='$PIPELINES' replicas='$REPLICAS' redis diskless=$REDIS_DISKLESS; loadavg $(cut -d' ' -f1-3 /proc/loadavg)"
for sec in $SECTIONS; do
  case $sec in
    throughput)
      section_throughput
      report_throughput | emit "Primary SET throughput (median ops/s of $RUNS rounds, N=$N, $CLIENTS clients)"
      report_lag | emit "Replica lag during the SET load (medians of $RUNS rounds)" ;;
    snapshot)
      section_snapshot
      report_snapshot | emit "Fresh replica of a primary with $KEYS keys (medians of $RUNS rounds)" ;;
    *) die "unknown section $sec (throughput, snapshot)" ;;
  esac
done
