#!/usr/bin/env bash
# kube-binaries.sh - build etcd, kube-apiserver, kube-controller-manager, kubectl
# (Kubernetes 1.36.x) and helm v3 from Go modules, and install them where
# fabric8 kube-api-test expects pre-downloaded binaries in offline mode.
#
# Layout (fabric8 kube-api-test 7.5.x, io.fabric8.kubeapitest.binary.BinaryManager):
#   base dir  : $KUBE_API_TEST_DIR, default $HOME/.kubeapitest
#               (KubeAPIServerConfigBuilder.DIRECTORY_NAME = ".kubeapitest")
#   versions  : <base>/k8s/<version><platformSuffix>, e.g. k8s/1.36.3-linux-amd64
#               - <version> has NO leading "v": it is split on "." and every part
#                 is parsed as an int to pick the newest directory.
#               - platformSuffix = "-" + os.name + "-" + arch ("linux", "amd64").
#               - EVERY entry in <base>/k8s ending in "-linux-amd64" is treated as a
#                 version directory, so nothing else (temp dirs, backups) may be
#                 named like that; this script stages under <base>/.staging-*.
#   binaries  : the version dir must contain exactly these names:
#               etcd, kube-apiserver, kubectl   (Binaries.*_BINARY_NAME)
#   offline   : KUBE_API_TEST_OFFLINE_MODE=true and, optionally,
#               KUBE_API_TEST_API_SERVER_VERSION=1.36.3 (or "1.36.*").
# This script additionally puts kube-controller-manager and helm into the same
# version directory (kube-api-test ignores extra files), plus a stamp file
# ".kube-binaries.stamp" recording what was built.
#
# Usage: local-cluster/kube-binaries.sh [--force]
#   KUBE_API_TEST_DIR  install base (default $HOME/.kubeapitest)
#   K8S_VERSION        Kubernetes version, default pinned below; "1.36" (a minor
#                      only) resolves the newest published 1.36.x patch.
#   HELM_VERSION       helm v3 version, default pinned below; "latest" resolves
#                      the newest v3 release.
#   GO_BUILD_P         go build -p value (default 2)
#   KUBE_GIT_COMMIT    optional git commit to stamp into the k8s binaries
# Go module and build caches are the normal Go defaults (GOPATH, GOCACHE).
set -euo pipefail

DEFAULT_K8S_VERSION="1.36.3"
DEFAULT_HELM_VERSION="v3.22.0"
MIN_GO_MINOR=25   # Go 1.25+

K8S_VERSION="${K8S_VERSION:-$DEFAULT_K8S_VERSION}"
HELM_VERSION="${HELM_VERSION:-$DEFAULT_HELM_VERSION}"
KUBE_API_TEST_DIR="${KUBE_API_TEST_DIR:-$HOME/.kubeapitest}"
GO_BUILD_P="${GO_BUILD_P:-2}"
FORCE=0

log() { printf '[kube-binaries %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { printf '[kube-binaries] ERROR: %s\n' "$*" >&2; exit 1; }

for arg in "$@"; do
  case "$arg" in
    --force) FORCE=1 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $arg (try --help)" ;;
  esac
done

[[ "$(uname -s)" == Linux ]] || die "only linux is supported (kube-api-test layout suffix is -linux-<arch>)"
case "$(uname -m)" in
  x86_64|amd64) ARCH=amd64 ;;
  aarch64|arm64) ARCH=arm64 ;;
  *) die "unsupported CPU architecture $(uname -m)" ;;
esac
PLATFORM="linux-${ARCH}"

# --- resolve versions ---------------------------------------------------------
need_go() {
  command -v go >/dev/null 2>&1 ||
    die "'go' is not on PATH. Install Go 1.${MIN_GO_MINOR}+ and re-run."
  local v minor
  v="$(go env GOVERSION)"          # e.g. go1.26.8
  minor="$(printf '%s' "$v" | sed -E 's/^go1\.([0-9]+).*/\1/')"
  [[ "$minor" =~ ^[0-9]+$ && "$minor" -ge "$MIN_GO_MINOR" ]] ||
    die "found $v, need Go 1.${MIN_GO_MINOR}+ on PATH"
}

K8S_VERSION="${K8S_VERSION#v}"
if [[ "$K8S_VERSION" =~ ^[0-9]+\.[0-9]+$ ]]; then
  need_go
  minor_prefix="v${K8S_VERSION}."
  K8S_VERSION="$(go list -m -versions k8s.io/kubernetes | tr ' ' '\n' |
    grep -E "^${minor_prefix//./\\.}[0-9]+$" | sort -t. -k3,3n | tail -n1)"
  [[ -n "$K8S_VERSION" ]] || die "no published k8s.io/kubernetes ${minor_prefix}x found"
  K8S_VERSION="${K8S_VERSION#v}"
fi
[[ "$K8S_VERSION" =~ ^1\.([0-9]+)\.([0-9]+)$ ]] || die "K8S_VERSION must look like 1.36.3, got '$K8S_VERSION'"
K8S_MINOR="${BASH_REMATCH[1]}"
if [[ "$HELM_VERSION" == latest ]]; then
  need_go
  HELM_VERSION="$(go list -m -json helm.sh/helm/v3@latest | sed -n -E 's/^[[:space:]]*"Version": "(.*)",?$/\1/p')"
fi
HELM_VERSION="v${HELM_VERSION#v}"

TARGET_DIR="${KUBE_API_TEST_DIR}/k8s/${K8S_VERSION}-${PLATFORM}"
STAMP_NAME=".kube-binaries.stamp"
BINARIES=(etcd kube-apiserver kube-controller-manager kubectl helm)

# --- fast path: already built --------------------------------------------------
# The stamp records the requested versions; the etcd version is derived from the
# Kubernetes go.mod, so "kubernetes=" + "helm=" + the build recipe identify it.
RECIPE_REV=1   # bump when build flags change in a way that should force a rebuild
wanted_stamp_key="kubernetes=v${K8S_VERSION} helm=${HELM_VERSION} platform=${PLATFORM} recipe=${RECIPE_REV}"
is_installed() {
  local b
  [[ -f "$TARGET_DIR/$STAMP_NAME" ]] || return 1
  grep -qxF "key: ${wanted_stamp_key}" "$TARGET_DIR/$STAMP_NAME" || return 1
  for b in "${BINARIES[@]}"; do [[ -x "$TARGET_DIR/$b" ]] || return 1; done
}
if [[ $FORCE -eq 0 ]] && is_installed; then
  log "up to date: $TARGET_DIR ($wanted_stamp_key)"
  echo "$TARGET_DIR"
  exit 0
fi

need_go
mkdir -p "$KUBE_API_TEST_DIR/k8s"

# One build at a time per base dir.
if command -v flock >/dev/null 2>&1; then
  exec 9>"$KUBE_API_TEST_DIR/.kube-binaries.lock"
  flock 9
  if [[ $FORCE -eq 0 ]] && is_installed; then   # someone else just finished it
    log "up to date: $TARGET_DIR"; echo "$TARGET_DIR"; exit 0
  fi
fi

# Staging dir on the same filesystem as the target (so the final mv is a rename)
# and deliberately NOT inside k8s/ and NOT ending in -linux-<arch>.
STAGE="$(mktemp -d "$KUBE_API_TEST_DIR/.staging-XXXXXX")"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/kube-binaries-XXXXXX")"
BUILD_PID=
cleanup() { rm -rf "$STAGE" "$WORK"; }
on_signal() {
  # Stop a running go build too, or it may still write into $STAGE after cleanup.
  if [[ -n "$BUILD_PID" ]]; then
    kill -TERM "$BUILD_PID" 2>/dev/null || true
    wait "$BUILD_PID" 2>/dev/null || true
  fi
  log "interrupted; nothing installed"
  exit 130
}
trap cleanup EXIT
trap on_signal INT TERM HUP

export CGO_ENABLED=0 GOOS=linux GOARCH="$ARCH"
# Wrapper modules must be allowed to fill in go.mod/go.sum on the fly.
export GOFLAGS="${GOFLAGS:+$GOFLAGS }-mod=mod"
BUILD_TAGS="selinux,notest,grpcnotrace"
BUILD_DATE="$(date -u ${SOURCE_DATE_EPOCH:+--date=@$SOURCE_DATE_EPOCH} +%Y-%m-%dT%H:%M:%SZ)"

gobuild() { # gobuild <module dir> <ldflags> <output dir or file> <packages...>
  local dir="$1" ldflags="$2" out="$3" rc=0; shift 3
  # Run in the background and wait, so that on_signal can fire and stop it.
  (cd "$dir" && exec nice -n 19 go build -p "$GO_BUILD_P" -trimpath -tags "$BUILD_TAGS" \
    -ldflags "$ldflags" -o "$out" "$@") &
  BUILD_PID=$!
  wait "$BUILD_PID" || rc=$?
  BUILD_PID=
  return "$rc"
}

# Prints the path of the go.mod file of module@version (downloads the module).
gomod_of() {
  (cd "$WORK" && GOFLAGS= go mod download -json "$1" |
    sed -n -E 's/^[[:space:]]*"GoMod": "(.*)",?$/\1/p')
}

# Prints "<version>" of a module required in a go.mod file.
required_version() { # required_version <go.mod> <module path>
  awk -v m="$2" '
    /^require[[:space:]]*\(/ { inreq=1; next }
    inreq && /^\)/ { inreq=0; next }
    inreq && $1 == m { print $2; exit }
    /^require[[:space:]]/ && $2 == m { print $3; exit }' "$1"
}

go_directive() { awk '$1 == "go" { print $2; exit }' "$1"; }

# --- Kubernetes ------------------------------------------------------------------
log "resolving k8s.io/kubernetes v${K8S_VERSION}"
K8S_GOMOD="$(gomod_of "k8s.io/kubernetes@v${K8S_VERSION}")"
[[ -f "$K8S_GOMOD" ]] || die "cannot download k8s.io/kubernetes@v${K8S_VERSION}"
STAGING_VERSION="v0.${K8S_VERSION#1.}"      # 1.36.3 -> v0.36.3
ETCD_VERSION="$(required_version "$K8S_GOMOD" go.etcd.io/etcd/server/v3)"
[[ -n "$ETCD_VERSION" ]] || die "k8s.io/kubernetes v${K8S_VERSION} go.mod does not mention go.etcd.io/etcd/server/v3"

# k8s.io/kubernetes requires its staging modules at v0.0.0 and replaces them with
# ./staging/...; replace directives of dependencies are ignored, so the wrapper
# module maps every such requirement to the published v0.<minor>.<patch> tag.
mapfile -t STAGING_MODULES < <(awk '
  /^require[[:space:]]*\(/ { inreq=1; next }
  inreq && /^\)/ { inreq=0; next }
  inreq && $2 == "v0.0.0" { print $1 }
  /^require[[:space:]]/ && $3 == "v0.0.0" { print $2 }' "$K8S_GOMOD")
[[ ${#STAGING_MODULES[@]} -gt 0 ]] || die "found no v0.0.0 requirements in $K8S_GOMOD"
log "kubernetes v${K8S_VERSION}: ${#STAGING_MODULES[@]} staging modules -> ${STAGING_VERSION}; etcd ${ETCD_VERSION}"

KMOD="$WORK/kubernetes"
mkdir -p "$KMOD"
{
  echo "module local.invalid/kube-binaries/kubernetes"
  echo
  echo "go $(go_directive "$K8S_GOMOD")"
  awk '$1 == "godebug" { print; exit }' "$K8S_GOMOD"
  echo
  echo "require k8s.io/kubernetes v${K8S_VERSION}"
  echo
  echo "replace ("
  for m in "${STAGING_MODULES[@]}"; do echo "	$m => $m $STAGING_VERSION"; done
  echo ")"
} > "$KMOD/go.mod"

K8S_LDFLAGS="-s -w"
add_kube_ldflag() {
  K8S_LDFLAGS+=" -X 'k8s.io/component-base/version.$1=$2' -X 'k8s.io/client-go/pkg/version.$1=$2'"
}
add_kube_ldflag gitVersion "v${K8S_VERSION}"
add_kube_ldflag gitMajor "1"
add_kube_ldflag gitMinor "${K8S_MINOR}"
add_kube_ldflag buildDate "${BUILD_DATE}"
# Module zips carry no git metadata; do not leave the "$Format:%H$" placeholder.
add_kube_ldflag gitCommit "${KUBE_GIT_COMMIT:-}"
add_kube_ldflag gitTreeState "clean"

log "building kube-apiserver, kube-controller-manager, kubectl (this is the slow part)"
gobuild "$KMOD" "$K8S_LDFLAGS" "$STAGE/" \
  k8s.io/kubernetes/cmd/kube-apiserver \
  k8s.io/kubernetes/cmd/kube-controller-manager \
  k8s.io/kubernetes/cmd/kubectl

# --- etcd --------------------------------------------------------------------------
ETCD_GOMOD="$(gomod_of "go.etcd.io/etcd/server/v3@${ETCD_VERSION}")"
EMOD="$WORK/etcd"
mkdir -p "$EMOD"
{
  echo "module local.invalid/kube-binaries/etcd"
  echo
  echo "go $(go_directive "$ETCD_GOMOD")"
  echo
  echo "require go.etcd.io/etcd/server/v3 ${ETCD_VERSION}"
} > "$EMOD/go.mod"
log "building etcd ${ETCD_VERSION}"
gobuild "$EMOD" "-s -w" "$STAGE/etcd" go.etcd.io/etcd/server/v3

# --- helm ----------------------------------------------------------------------------
HELM_GOMOD="$(gomod_of "helm.sh/helm/v3@${HELM_VERSION}")"
HELM_CLIENT_GO="$(required_version "$HELM_GOMOD" k8s.io/client-go)"   # e.g. v0.37.0
HMOD="$WORK/helm"
mkdir -p "$HMOD"
{
  echo "module local.invalid/kube-binaries/helm"
  echo
  echo "go $(go_directive "$HELM_GOMOD")"
  echo
  echo "require helm.sh/helm/v3 ${HELM_VERSION}"
} > "$HMOD/go.mod"
HELM_LDFLAGS="-s -w -X helm.sh/helm/v3/internal/version.version=${HELM_VERSION}"
HELM_LDFLAGS+=" -X helm.sh/helm/v3/internal/version.gitTreeState=clean"
if [[ "$HELM_CLIENT_GO" =~ ^v0\.([0-9]+)\. ]]; then
  # Same as helm's Makefile: default .Capabilities.KubeVersion follows client-go.
  for p in pkg/lint/rules pkg/chartutil; do
    HELM_LDFLAGS+=" -X helm.sh/helm/v3/$p.k8sVersionMajor=1 -X helm.sh/helm/v3/$p.k8sVersionMinor=${BASH_REMATCH[1]}"
  done
fi
log "building helm ${HELM_VERSION}"
gobuild "$HMOD" "$HELM_LDFLAGS" "$STAGE/helm" helm.sh/helm/v3/cmd/helm

# --- verify + stamp + atomic install -----------------------------------------------
for b in "${BINARIES[@]}"; do [[ -x "$STAGE/$b" ]] || die "build produced no $b"; done
"$STAGE/kube-apiserver" --version | grep -qF "v${K8S_VERSION}" || die "kube-apiserver reports the wrong version"
{
  echo "key: ${wanted_stamp_key}"
  echo "kubernetes: v${K8S_VERSION}"
  echo "staging-modules: ${STAGING_VERSION}"
  echo "etcd: ${ETCD_VERSION}"
  echo "helm: ${HELM_VERSION}"
  echo "go: $(go env GOVERSION)"
  echo "built: ${BUILD_DATE}"
  echo "tags: ${BUILD_TAGS}"
} > "$STAGE/$STAMP_NAME"
chmod 755 "$STAGE"

if [[ -e "$TARGET_DIR" ]]; then
  OLD="$(mktemp -d "$KUBE_API_TEST_DIR/.old-XXXXXX")"
  mv "$TARGET_DIR" "$OLD/"
  mv "$STAGE" "$TARGET_DIR"
  rm -rf "$OLD"
else
  mv "$STAGE" "$TARGET_DIR"
fi
log "installed into $TARGET_DIR"
echo "$TARGET_DIR"
