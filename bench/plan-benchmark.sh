#!/usr/bin/env bash
# What one plan costs as a process, as a plan Job starts it: the jar of this checkout with the Job's
# JVM options and class-data archive, against the same jar without them and, for each git ref in
# BEFORE, against the jar of that ref started as Jobs were before the Job got the image's JVM flags. Prints figures; it is
# not a test and asserts nothing beyond "every plan succeeded" (docs/benchmarks.md, "The plan
# program's cost").
#
#   bench/plan-benchmark.sh                                # 15 rounds
#   ROUNDS=10 BEFORE="d4fbcb1 4ec1141" bench/plan-benchmark.sh
set -euo pipefail
ROUNDS=${ROUNDS:-15}
cd "$(dirname "$0")/.."
ROOT=$(pwd)

# package also trains and dumps the class-data archive beside the jar (RunnerClassDataArchive)
./mvnw -B -q -pl operator package -DskipTests
JAR="$ROOT/operator/target/migration-gate.jar"
source bench/lib/operator-classpath.sh
TEST_CP=$(operator_classpath test)

OLDER=()
TREES=()
cleanup() {
  for tree in "${TREES[@]}"; do git worktree remove --force "$tree"; done
}
trap cleanup EXIT
for ref in ${BEFORE:-}; do
  tree=$(mktemp -d)
  TREES+=("$tree")
  git worktree add --quiet --detach "$tree" "$ref"
  (cd "$tree" && ./mvnw -B -q -pl operator package -Dmaven.test.skip=true)
  OLDER+=("$ref=$tree/operator/target/migration-gate.jar")
done

java -cp "$TEST_CP" io.migrationgate.runner.PlanCostBenchmark "$ROUNDS" "$JAR" "${OLDER[@]}"
