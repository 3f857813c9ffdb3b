#!/usr/bin/env bash
# smoke-test.sh - start the binaries installed by kube-binaries.sh (etcd +
# kube-apiserver) on loopback, run "kubectl get ns", and stop them again.
# Then start kube-controller-manager and wait until it has created the
# "default" ServiceAccount. Only a smoke check; it documents the minimal flags a launcher needs.
#
# Usage: local-cluster/smoke-test.sh [version-dir]
#   version-dir defaults to the newest $KUBE_API_TEST_DIR/k8s/*-linux-<arch>.
#   ETCD_PORT / ETCD_PEER_PORT / API_PORT / KCM_PORT override the loopback ports.
set -euo pipefail

KUBE_API_TEST_DIR="${KUBE_API_TEST_DIR:-$HOME/.kubeapitest}"
BIN="${1:-$(ls -d "$KUBE_API_TEST_DIR"/k8s/*-linux-* 2>/dev/null | sort -V | tail -n1)}"
[[ -n "$BIN" && -x "$BIN/kube-apiserver" ]] || { echo "no binaries found; run kube-binaries.sh first" >&2; exit 1; }
ETCD_PORT="${ETCD_PORT:-23790}"
ETCD_PEER_PORT="${ETCD_PEER_PORT:-23800}"
API_PORT="${API_PORT:-26443}"
KCM_PORT="${KCM_PORT:-26257}"
command -v openssl >/dev/null || { echo "openssl is needed for the service-account key" >&2; exit 1; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/kube-smoke-XXXXXX")"
ETCD_PID= API_PID= KCM_PID=
stop() {
  [[ -n "$KCM_PID" ]] && kill "$KCM_PID" 2>/dev/null && wait "$KCM_PID" 2>/dev/null || true
  [[ -n "$API_PID" ]] && kill "$API_PID" 2>/dev/null && wait "$API_PID" 2>/dev/null || true
  [[ -n "$ETCD_PID" ]] && kill "$ETCD_PID" 2>/dev/null && wait "$ETCD_PID" 2>/dev/null || true
  if [[ "${KEEP_WORK:-0}" == 1 ]]; then echo "logs kept in $WORK"; else rm -rf "$WORK"; fi
}
trap stop EXIT

# Service-account signing key pair and a static bearer token in system:masters.
openssl genrsa -out "$WORK/sa.key" 2048 2>/dev/null
openssl rsa -in "$WORK/sa.key" -pubout -out "$WORK/sa.pub" 2>/dev/null
TOKEN="$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
echo "${TOKEN},admin,admin-uid,system:masters" > "$WORK/tokens.csv"

"$BIN/etcd" \
  --name smoke \
  --data-dir "$WORK/etcd-data" \
  --listen-client-urls "http://127.0.0.1:${ETCD_PORT}" \
  --advertise-client-urls "http://127.0.0.1:${ETCD_PORT}" \
  --listen-peer-urls "http://127.0.0.1:${ETCD_PEER_PORT}" \
  --initial-advertise-peer-urls "http://127.0.0.1:${ETCD_PEER_PORT}" \
  --initial-cluster "smoke=http://127.0.0.1:${ETCD_PEER_PORT}" \
  > "$WORK/etcd.log" 2>&1 &
ETCD_PID=$!

"$BIN/kube-apiserver" \
  --etcd-servers "http://127.0.0.1:${ETCD_PORT}" \
  --bind-address 127.0.0.1 \
  --advertise-address 127.0.0.1 \
  --secure-port "${API_PORT}" \
  --cert-dir "$WORK/certs" \
  --service-cluster-ip-range 10.0.0.0/24 \
  --service-account-issuer https://kubernetes.default.svc.cluster.local \
  --service-account-key-file "$WORK/sa.pub" \
  --service-account-signing-key-file "$WORK/sa.key" \
  --token-auth-file "$WORK/tokens.csv" \
  --authorization-mode RBAC \
  > "$WORK/apiserver.log" 2>&1 &
API_PID=$!

KUBECTL=("$BIN/kubectl" --server "https://127.0.0.1:${API_PORT}" --token "$TOKEN"
  --insecure-skip-tls-verify=true --kubeconfig /dev/null)
start=$(date +%s)
until "${KUBECTL[@]}" get --raw /readyz >/dev/null 2>&1; do
  if ! kill -0 "$API_PID" 2>/dev/null; then
    echo "kube-apiserver exited:" >&2; tail -n 30 "$WORK/apiserver.log" >&2; exit 1
  fi
  if (( $(date +%s) - start > 120 )); then
    echo "kube-apiserver not ready after 120s:" >&2; tail -n 30 "$WORK/apiserver.log" >&2; exit 1
  fi
  sleep 1
done
echo "kube-apiserver ready after $(( $(date +%s) - start ))s"
"${KUBECTL[@]}" version
"${KUBECTL[@]}" get ns

# kube-controller-manager talks to the API server through a kubeconfig.
cat > "$WORK/kcm.kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: smoke
  cluster:
    server: https://127.0.0.1:${API_PORT}
    insecure-skip-tls-verify: true
users:
- name: admin
  user:
    token: ${TOKEN}
contexts:
- name: smoke
  context: {cluster: smoke, user: admin}
current-context: smoke
EOF
"$BIN/kube-controller-manager" \
  --kubeconfig "$WORK/kcm.kubeconfig" \
  --bind-address 127.0.0.1 \
  --secure-port "${KCM_PORT}" \
  --leader-elect=false \
  --service-account-private-key-file "$WORK/sa.key" \
  --use-service-account-credentials=true \
  > "$WORK/kcm.log" 2>&1 &
KCM_PID=$!
start=$(date +%s)
until "${KUBECTL[@]}" -n default get serviceaccount default >/dev/null 2>&1; do
  if ! kill -0 "$KCM_PID" 2>/dev/null; then
    echo "kube-controller-manager exited:" >&2; tail -n 30 "$WORK/kcm.log" >&2; exit 1
  fi
  if (( $(date +%s) - start > 120 )); then
    echo "no default ServiceAccount after 120s:" >&2; tail -n 30 "$WORK/kcm.log" >&2; exit 1
  fi
  sleep 1
done
echo "kube-controller-manager created the default ServiceAccount after $(( $(date +%s) - start ))s"
"${KUBECTL[@]}" -n default get serviceaccounts
