#!/usr/bin/env bash
# demo.sh - try Migration Gate on this machine: builds what is missing (Kubernetes binaries, the
# operator jar and image, this module), then starts a real control plane, the process kubelet and
# PostgreSQL, installs the chart with helm (its operator runs as the pod of its Deployment, from the
# built image), applies examples/ and prints the kubectl commands to approve and watch.
# Ctrl-C stops everything. --once approves, waits for Ready, prints the result and stops.
set -euo pipefail
cd "$(dirname "$0")/.."

bash local-cluster/kube-binaries.sh >/dev/null

jar=operator/target/migration-gate.jar
image=operator/target/image/index.json
classes=local-cluster/target/classes
if [[ ! -f "$jar" || ! -f "$image" || ! -d "$classes" ]] ||
   [[ -n "$(find pom.xml operator/pom.xml operator/src local-cluster/pom.xml local-cluster/src -newer "$jar" -print -quit)" ]]; then
  # package is enough: the demo runs the jar, the image and the classes from target/
  echo "Building the operator jar, its image and local-cluster (./mvnw -B -q -DskipTests package) ..."
  ./mvnw -B -q -DskipTests package
fi

exec ./mvnw -B -q -pl local-cluster exec:java -Dexec.args="$*"
