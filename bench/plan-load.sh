#!/usr/bin/env bash
# The load test of the default path: the chart installed with helm, the operator as the
# chart's ServiceAccount with the chart's settings (the database plan on), the process kubelet
# running every plan and run Job. N requests on M databases in K namespaces are created at once by
# the requester with kubectl, all approved pinned to their plan digest, and must all succeed.
# Prints one line per figure with the load average; exits 1 on a spurious failure, two run Jobs at
# once on a database, a request that did not succeed, or plan Jobs above the chart's limits.
#
#   bench/plan-load.sh                                               # N=200, M=10, K=4, 8 kubectl at a time
#   bench/plan-load.sh --requests 40 --databases 1 --namespaces 1    # the small run: one database, one namespace
#   bench/plan-load.sh --seed 42 --parallel 16 --timeout-s 900
#
# Needs the Kubernetes binaries (local-cluster/kube-binaries.sh). One control plane at a time on
# a shared machine: run it under flock /tmp/mg-e2e.lock.
set -euo pipefail
cd "$(dirname "$0")/.."

source bench/lib/local-cluster-main.sh
./mvnw -B -q -pl operator package -DskipTests
echo "commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- operator helm || echo ', operator or chart changed since')"
run_local_cluster_main io.migrationgate.localcluster.planload.PlanLoad "$@"
