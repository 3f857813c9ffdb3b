# Sourced by the bench/ scripts that run the operator module's test code: operator_classpath SCOPE
# prints one class path of operator/target/test-classes, operator/target/classes and the module's
# dependencies of SCOPE (test or runtime). Build the module first.

operator_classpath() {
  local scope=$1 root cp_file deps
  root=$(pwd)
  cp_file=$(mktemp)
  ./mvnw -B -q -pl operator dependency:build-classpath -Dmdep.includeScope="$scope" \
    -Dmdep.outputFile="$cp_file" >/dev/null || { rm -f "$cp_file"; return 1; }
  deps=$(cat "$cp_file")
  rm -f "$cp_file"
  echo "$root/operator/target/test-classes:$root/operator/target/classes:$deps"
}
