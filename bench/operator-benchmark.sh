#!/usr/bin/env bash
# The operator benchmark: the operator (run with the image's JVM flags and the chart's memory
# limit) beside a minimal watch-then-create controller, on one local control plane without a kubelet.
# Prints a table per N and round and one summary line per figure; exits 1 when a figure could not be
# measured. docs/benchmarks.md explains each figure.
#
#   bench/operator-benchmark.sh                                   # N=1000, 200 approvals, 300 s idle
#   bench/operator-benchmark.sh --requests 1000,10000 --rounds 3
#   bench/operator-benchmark.sh --jar /elsewhere/migration-gate.jar   # measure another build
#
# The JVM flags come from --repo's Dockerfile and chart (default: this checkout). With --jar the
# jar is not rebuilt. Needs the Kubernetes binaries (local-cluster/kube-binaries.sh) and a JDK
# (jcmd). One control plane at a time on a shared machine: run it under flock /tmp/mg-e2e.lock.
set -euo pipefail
cd "$(dirname "$0")/.."

source bench/lib/local-cluster-main.sh
package_operator_unless_jar_given "$@"
run_local_cluster_main io.migrationgate.localcluster.bench.OperatorBenchmark "$@"
