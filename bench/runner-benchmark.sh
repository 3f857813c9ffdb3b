#!/usr/bin/env bash
# Whole-process time of the runner jar against a bare flyway-core program, both migrating the
# same generated scripts into a fresh database of one embedded PostgreSQL. Prints figures; it is
# not a test and asserts nothing beyond "both applied every script".
#
#   bench/runner-benchmark.sh            # 5 runs of 200 scripts
#   RUNS=9 SCRIPTS=500 bench/runner-benchmark.sh
set -euo pipefail
RUNS=${RUNS:-5}
SCRIPTS=${SCRIPTS:-200}
cd "$(dirname "$0")/.."
ROOT=$(pwd)

./mvnw -B -q -pl operator package -DskipTests
JAR="$ROOT/operator/target/migration-gate.jar"
source bench/lib/operator-classpath.sh
TEST_CP=$(operator_classpath test)
# Same logging for both: the bare program configures the runner's (RunnerLogging) too.
BARE_CP=$(operator_classpath runtime)

WORK=$(mktemp -d)
LAUNCHER_PID=""
cleanup() {
  touch "$WORK/pg/stop" 2>/dev/null || true
  if [ -n "$LAUNCHER_PID" ]; then wait "$LAUNCHER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

mkdir -p "$WORK/scripts" "$WORK/pg"
for i in $(seq 1 "$SCRIPTS"); do
  cat >"$WORK/scripts/V${i}__create_table_${i}.sql" <<SQL
create table bench_t${i} (id bigint primary key, name varchar(100) not null, created_at timestamp default now());
insert into bench_t${i} (id, name) values (1, 'row ${i}');
SQL
done

DATABASES=()
for i in $(seq 1 "$RUNS"); do DATABASES+=("bench_runner_$i" "bench_bare_$i"); done
java -cp "$TEST_CP" io.migrationgate.bench.EmbeddedPostgresLauncher "$WORK/pg" "${DATABASES[@]}" >"$WORK/launcher.log" 2>&1 &
LAUNCHER_PID=$!
for _ in $(seq 1 300); do [ -f "$WORK/pg/port" ] && break; sleep 0.2; done
PORT=$(cat "$WORK/pg/port")

millis() { date +%s%3N; }
# CPU time (user + sys) of the process, less disturbed than wall time on a shared machine.
cpu_millis() { awk '{printf "%d", ($1 + $2) * 1000}' "$1"; }
TIME=/usr/bin/time
RUNNER_TIMES=(); BARE_TIMES=(); CONNECT_TIMES=(); RUNNER_CPU=(); BARE_CPU=()
for i in $(seq 1 "$RUNS"); do
  # Interleaved, so drift in machine load hits both programs alike.
  t0=$(millis)
  MG_DB_USERNAME=postgres $TIME -f "%U %S" -o "$WORK/runner.cpu" java -jar "$JAR" run --scripts="$WORK/scripts" \
    --url="jdbc:postgresql://127.0.0.1:$PORT/bench_runner_$i" --report-file=- \
    >"$WORK/runner.out" 2>"$WORK/runner.err" </dev/null || true
  t1=$(millis)
  grep -q "\"appliedTotal\":$SCRIPTS" "$WORK/runner.out" || { echo "runner run $i did not apply $SCRIPTS scripts:"; cat "$WORK/runner.err"; exit 1; }
  RUNNER_TIMES+=($((t1 - t0)))
  RUNNER_CPU+=("$(cpu_millis "$WORK/runner.cpu")")
  CONNECT_TIMES+=("$(sed -n 's/.*first database connection \([0-9]*\) ms after process start.*/\1/p' "$WORK/runner.err")")

  t0=$(millis)
  $TIME -f "%U %S" -o "$WORK/bare.cpu" java -cp "$BARE_CP" io.migrationgate.bench.BareFlywayMigrate \
    "jdbc:postgresql://127.0.0.1:$PORT/bench_bare_$i" postgres "$WORK/scripts" \
    >"$WORK/bare.out" 2>"$WORK/bare.err" </dev/null
  t1=$(millis)
  grep -q "applied $SCRIPTS" "$WORK/bare.out" || { echo "bare run $i did not apply $SCRIPTS scripts:"; cat "$WORK/bare.err"; exit 1; }
  BARE_TIMES+=($((t1 - t0)))
  BARE_CPU+=("$(cpu_millis "$WORK/bare.cpu")")
  echo "run $i: runner ${RUNNER_TIMES[-1]} ms wall / ${RUNNER_CPU[-1]} ms cpu (first connection at ${CONNECT_TIMES[-1]} ms), bare flyway ${BARE_TIMES[-1]} ms wall / ${BARE_CPU[-1]} ms cpu"
done

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print int((a[NR/2]+a[NR/2+1])/2)}'; }
R=$(median "${RUNNER_TIMES[@]}"); B=$(median "${BARE_TIMES[@]}"); C=$(median "${CONNECT_TIMES[@]}")
echo "scripts: $SCRIPTS, runs: $RUNS, java: $(java -version 2>&1 | head -1)"
echo "runner whole process: median $R ms (runs: ${RUNNER_TIMES[*]})"
echo "bare flyway-core:     median $B ms (runs: ${BARE_TIMES[*]})"
echo "runner/bare ratio:    $(awk -v r="$R" -v b="$B" 'BEGIN {printf "%.2f", r / b}')"
RC=$(median "${RUNNER_CPU[@]}"); BC=$(median "${BARE_CPU[@]}")
echo "cpu time (user+sys): runner median $RC ms, bare median $BC ms, ratio $(awk -v r="$RC" -v b="$BC" 'BEGIN {printf "%.2f", r / b}')"
echo "runner first database connection after process start: median $C ms (runs: ${CONNECT_TIMES[*]})"
