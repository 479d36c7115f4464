#!/usr/bin/env bash
# jmh.sh - the embedded-store JMH benchmarks (jkevy-bench), from 1 and 2 threads.
# Usage: bench/jmh.sh [extra JMH args, e.g. a benchmark regex or -wi 1 -i 3]
# Prints JMH's result tables; record them in docs/benchmarks.md with the commit.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAVA=${JAVA:-}
if [ -z "$JAVA" ]; then
  for j in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do
    [ -x "$j/bin/java" ] && "$j/bin/java" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])' && { JAVA="$j/bin/java"; export JAVA_HOME=$j; break; }
  done
fi
[ -n "$JAVA" ] || { echo "jmh.sh: no JDK >= 21 found" >&2; exit 2; }
(cd "$ROOT" && mvn -B -ntp -q -o package -pl jkevy-bench -am -Dmaven.test.skip=true) || \
  (cd "$ROOT" && mvn -B -ntp -q package -pl jkevy-bench -am -Dmaven.test.skip=true)
CP="$ROOT/jkevy-bench/target/classes:$(ls "$ROOT"/jkevy-bench/target/lib/*.jar | tr '\n' ':')"
for t in 1 2; do
  echo "# threads: $t"
  "$JAVA" -cp "$CP" org.openjdk.jmh.Main -t "$t" -rf csv -rff "$ROOT/jkevy-bench/target/jmh-t$t.csv" "$@"
done
