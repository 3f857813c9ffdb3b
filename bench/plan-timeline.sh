#!/usr/bin/env bash
# Where one request's database plan spends its time on the local cluster (process kubelet): request
# seen, plan Job, pod, container running and ended, Job complete, AwaitingApproval; then the same
# requests without a plan. Prints each request's steps and their medians (docs/benchmarks.md, "The
# plan program's cost"); it asserts nothing.
#
#   flock /tmp/mg-e2e.lock bench/plan-timeline.sh                       # 5 requests with a plan, 5 without
#   flock /tmp/mg-e2e.lock bench/plan-timeline.sh --requests 9 --jar /elsewhere/migration-gate.jar
#
# With --jar the jar is not rebuilt; the runner pods run that jar too (and the class-data archive
# beside it, if there is one). One control plane at a time on a shared machine: run it under flock.
set -euo pipefail
cd "$(dirname "$0")/.."

source bench/lib/local-cluster-main.sh
package_operator_unless_jar_given "$@"
run_local_cluster_main io.migrationgate.localcluster.bench.PlanTimeline "$@"
