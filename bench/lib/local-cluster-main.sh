# Sourced by the bench/ scripts: run_local_cluster_main CLASS ARGS... compiles local-cluster, runs
# CLASS on its runtime class path with --repo set to this checkout (an --repo in ARGS wins), prints
# the wall time and exits with CLASS's exit code. The caller builds the operator jar first if needed,
# with package_operator_unless_jar_given ARGS... where ARGS may name a jar built elsewhere (--jar).

package_operator_unless_jar_given() {
  local arg
  for arg in "$@"; do
    if [[ "$arg" == "--jar" ]]; then return 0; fi
  done
  ./mvnw -B -q -pl operator package -DskipTests
}

run_local_cluster_main() {
  local main_class=$1
  shift
  local root
  root=$(pwd)
  ./mvnw -B -q -pl local-cluster compile
  local cp_file
  cp_file=$(mktemp)
  # shellcheck disable=SC2064 # the path is fixed now, on purpose
  trap "rm -f '$cp_file'" EXIT
  ./mvnw -B -q -pl local-cluster dependency:build-classpath -Dmdep.includeScope=runtime \
    -Dmdep.outputFile="$cp_file" >/dev/null
  local start status=0
  start=$(date +%s)
  java -cp "$root/local-cluster/target/classes:$(cat "$cp_file")" "$main_class" --repo "$root" "$@" || status=$?
  echo "wall time $(( $(date +%s) - start )) s"
  exit "$status"
}
