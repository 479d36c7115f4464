#!/usr/bin/env bash
# features.sh - throughput of the issue-4 features, A/B against redis-server in the same run.
#
# Usage: features.sh [options] A_HOST:PORT B_HOST:PORT
#   Alternates A and B per workload and round (A first in odd rounds) and prints one CSV row
#   per workload: median rps of each side and the ratio A/B with its min-max over rounds.
# Workloads:
#   evalsha     EVALSHA of `return redis.call('GET', KEYS[1])` on random keys (pipeline 1)
#   publish50   PUBLISH to a channel with 50 subscribers (redis-cli processes that read every
#               message), pipeline 1; the row also checks every subscriber got them all
#   tls_set     SET over TLS (pipeline 1), needs --tls-ports
#   tls_get     GET over TLS (pipeline 1), needs --tls-ports
# Options:
#   --rounds R          rounds (default 3)
#   -n N                requests per run (default 100000)
#   -c C                redis-benchmark clients (default 50)
#   --workloads LIST    comma-separated subset (default: all that can run)
#   --tls-ports PA,PB   TLS ports of A and B (same hosts)
#   --cacert F --cert F --key F   TLS files for redis-benchmark (client cert optional)
set -uo pipefail
RB=${REDIS_BENCHMARK:-redis-benchmark} RCLI=${REDIS_CLI:-redis-cli}
ROUNDS=3 N=100000 C=50 ONLY="" TLSP="" CACERT="" CERT="" KEY=""
log() { printf '%s\n' "$*" >&2; }
die() { log "features.sh: $*"; exit 2; }
while [ $# -gt 0 ]; do
  case $1 in
    --rounds) ROUNDS=$2; shift ;;
    -n) N=$2; shift ;;
    -c) C=$2; shift ;;
    --workloads) ONLY=$2; shift ;;
    --tls-ports) TLSP=$2; shift ;;
    --cacert) CACERT=$2; shift ;;
    --cert) CERT=$2; shift ;;
    --key) KEY=$2; shift ;;
    -h|--help) sed -n '2,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) die "unknown option $1" ;;
    *) break ;;
  esac
  shift
done
[ $# -eq 2 ] || die "need A_HOST:PORT B_HOST:PORT (see --help)"
HOSTS=("${1%:*}" "${2%:*}") PORTS=("${1##*:}" "${2##*:}")
TLSPORTS=()
[ -n "$TLSP" ] && IFS=, read -r -a TLSPORTS <<<"$TLSP"
ALL="evalsha publish50"
[ ${#TLSPORTS[@]} -eq 2 ] && ALL="$ALL tls_set tls_get"
[ -n "$ONLY" ] && ALL=$(tr ',' ' ' <<<"$ONLY")
TMP=$(mktemp -d); SUBS=()
cleanup() { for p in ${SUBS[@]+"${SUBS[@]}"}; do kill "$p" 2>/dev/null; done; rm -rf "$TMP"; }
trap cleanup EXIT
SCRIPT="return redis.call('GET', KEYS[1])"

tls_args() {  # the TLS options of redis-benchmark / redis-cli
  local a=(--tls)
  [ -n "$CACERT" ] && a+=(--cacert "$CACERT")
  [ -n "$CERT" ] && a+=(--cert "$CERT" --key "$KEY")
  printf '%s\n' "${a[@]}"
}

bench() {  # bench HOST PORT ARGS... -> rps
  local h=$1 p=$2; shift 2
  "$RB" -h "$h" -p "$p" -c "$C" -n "$N" --csv "$@" 2>"$TMP/err" </dev/null | tr -d '"' |
    awk -F, 'NR > 1 && NF >= 2 { r = $2 } END { if (r == "") exit 1; print r }'
}

run() {  # run WORKLOAD SIDE -> rps or NA
  local w=$1 s=$2 h=${HOSTS[$2]} p=${PORTS[$2]} r
  case $w in
    evalsha)
      "$RCLI" -h "$h" -p "$p" SET key:__rand_int__ v >/dev/null
      local sha; sha=$("$RCLI" -h "$h" -p "$p" SCRIPT LOAD "$SCRIPT")
      [ ${#sha} -eq 40 ] || { log "# SCRIPT LOAD on $h:$p failed: $sha"; echo NA; return; }
      r=$(bench "$h" "$p" -r 100000 EVALSHA "$sha" 1 key:__rand_int__) || r=NA ;;
    publish50)
      local i; SUBS=()
      for i in $(seq 1 50); do
        "$RCLI" -h "$h" -p "$p" SUBSCRIBE bench:ch >"$TMP/sub.$i" 2>&1 & SUBS+=($!)
      done
      for i in $(seq 1 100); do
        [ "$("$RCLI" -h "$h" -p "$p" PUBSUB NUMSUB bench:ch | tail -n 1)" = 50 ] && break; sleep 0.1
      done
      r=$(bench "$h" "$p" PUBLISH bench:ch hello) || r=NA
      sleep 1
      local short=0
      for i in $(seq 1 50); do
        [ "$(grep -c '^hello$' "$TMP/sub.$i")" -ge "$N" ] || short=$((short + 1))
      done
      for i in ${SUBS[@]+"${SUBS[@]}"}; do kill "$i" 2>/dev/null; done; wait 2>/dev/null; SUBS=()
      [ $short -eq 0 ] || log "# publish50 on $h:$p: $short subscribers missed messages" ;;
    tls_set|tls_get)
      local t=${w#tls_} args; mapfile -t args < <(tls_args)
      r=$(bench "$h" "${TLSPORTS[$s]}" "${args[@]}" -r 100000 -t "$t") || r=NA ;;
    *) die "unknown workload $w" ;;
  esac
  [ "$r" = NA ] && log "# $w on side $s failed: $(head -c 300 "$TMP/err" 2>/dev/null)"
  echo "$r"
}

log "# $("$RB" --version | head -n 1); n=$N clients=$C rounds=$ROUNDS; loadavg $(cut -d' ' -f1-3 /proc/loadavg)"
echo "workload,rounds,rps_a,rps_b,ratio_a_over_b,ratio_min,ratio_max"
for w in $ALL; do
  : >"$TMP/raw"
  for round in $(seq 1 "$ROUNDS"); do
    order="0 1"; [ $((round % 2)) -eq 0 ] && order="1 0"
    for s in $order; do
      r=$(run "$w" "$s"); echo "$round,$s,$r" >>"$TMP/raw"; log "# round $round $w side $s rps=$r"
    done
  done
  awk -F, -v w="$w" -v R="$ROUNDS" '
    { rps[$1, $2] = $3 }
    function med(a, n,   i, j, t) { for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
      return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
    END {
      na = nb = nr = 0; lo = 1e18; hi = 0
      for (k = 1; k <= R; k++) {
        x = rps[k, 0]; y = rps[k, 1]
        if (x != "NA" && x != "") A[++na] = x
        if (y != "NA" && y != "") B[++nb] = y
        if (x != "NA" && y != "NA" && x != "" && y > 0) { q = x / y; if (q < lo) lo = q; if (q > hi) hi = q; nr++ }
      }
      if (na == 0 || nb == 0) { printf "%s,%d,NA,NA,NA,NA,NA\n", w, R; exit }
      ma = med(A, na); mb = med(B, nb)
      printf "%s,%d,%.0f,%.0f,%.2f,%.2f,%.2f\n", w, R, ma, mb, ma / mb, (nr ? lo : 0), (nr ? hi : 0)
    }' "$TMP/raw"
done
