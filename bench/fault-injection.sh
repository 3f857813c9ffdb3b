#!/usr/bin/env bash
# The long fault-injection run: two operator replicas on the local control plane, 200
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

source bench/lib/local-cluster-main.sh
./mvnw -B -q -pl operator package -DskipTests
run_local_cluster_main io.migrationgate.localcluster.faults.FaultInjection "$@"
