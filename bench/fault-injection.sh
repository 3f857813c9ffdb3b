#!/usr/bin/env bash
# Issue 9's long fault-injection run: two operator replicas on the local control plane, 200
# requests approved in waves of 20 while leaders are killed (also inside the launch's crash
# windows), SIGTERM'd, the API server restarted, stalled and made to end watches early, etcd
# restarted, Jobs and pods deleted, namespaces relabelled production and approvals revoked.
# Prints the seed first, one line per check and a summary line; exits 1 when a guarantee broke.
#
#   bench/fault-injection.sh                         # 200 requests, a new seed
#   bench/fault-injection.sh --seed 42               # replays the plan of seed 42
#   bench/fault-injection.sh --requests 60 --wave-size 10 --launch-pause-ms 500
#
# Needs the Kubernetes binaries (local-cluster/kube-binaries.sh). One control plane at a time on
# a shared machine: run it under flock /tmp/mg-e2e.lock.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

./mvnw -B -q -pl operator package -DskipTests
./mvnw -B -q -pl local-cluster compile
CP_FILE=$(mktemp)
trap 'rm -f "$CP_FILE"' EXIT
./mvnw -B -q -pl local-cluster dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile="$CP_FILE" >/dev/null

start=$(date +%s)
status=0
java -cp "$ROOT/local-cluster/target/classes:$(cat "$CP_FILE")" \
  io.migrationgate.localcluster.faults.FaultInjection --repo "$ROOT" "$@" || status=$?
echo "wall time $(( $(date +%s) - start )) s"
exit "$status"
