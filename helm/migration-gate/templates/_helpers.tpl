{{- define "migration-gate.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "migration-gate.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "migration-gate.labels" -}}
app.kubernetes.io/name: {{ include "migration-gate.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "migration-gate.selectorLabels" -}}
app.kubernetes.io/name: {{ include "migration-gate.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: operator
{{- end -}}

{{- define "migration-gate.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "migration-gate.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "migration-gate.image" -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}
{{- end -}}

{{/* What the operator needs on MigrationRequests and the objects it owns, in a watched namespace. */}}
{{- define "migration-gate.namespacedRules" -}}
- apiGroups: ["migrationgate.io"]
  resources: ["migrationrequests"]
  verbs: ["get", "list", "watch", "patch"]
- apiGroups: ["migrationgate.io"]
  resources: ["migrationrequests/status"]
  verbs: ["update", "patch"]
{{- if .Values.inlineDatabases.enabled }}
# An inline database's Jobs and ConfigMaps are owned by the request with blockOwnerDeletion, which
# the OwnerReferencesPermissionEnforcement admission plugin allows only with this right.
- apiGroups: ["migrationgate.io"]
  resources: ["migrationrequests/finalizers"]
  verbs: ["update"]
# An inline database's Jobs, pods, snapshot and evidence live beside its request.
- apiGroups: ["batch"]
  resources: ["jobs"]
  verbs: ["get", "list", "watch", "create", "delete", "patch"]
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["get", "list", "watch"]
- apiGroups: [""]
  resources: ["pods/log"]
  verbs: ["get"]
- apiGroups: [""]
  resources: ["configmaps"]
  verbs: ["get", "list", "watch", "create"]
{{- else }}
# Only the scripts' source ConfigMap is read here; a target request's Jobs, pods, snapshot and
# evidence are in the runs namespace.
- apiGroups: [""]
  resources: ["configmaps"]
  verbs: ["get"]
{{- end }}
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create", "get", "patch"]
{{- end -}}

{{/* The username the API server gives the operator's ServiceAccount; the admission policies key on it. */}}
{{- define "migration-gate.serviceAccountUser" -}}
{{- printf "system:serviceaccount:%s:%s" .Release.Namespace (include "migration-gate.serviceAccountName" .) -}}
{{- end -}}

{{/* The one image runner Jobs may use: the operator's MG_RUNNER_IMAGE and the runner-Job policy agree. */}}
{{- define "migration-gate.runnerImage" -}}
{{- default (include "migration-gate.image" .) .Values.runner.image -}}
{{- end -}}

{{/*
blockedNamespaces.matchLabels / matchExpressions in kubectl's selector syntax, for the operator's
MG_BLOCKED_NAMESPACE_SELECTOR. The production guard's binding uses the same values as they are, so
the operator and the admission policy cannot disagree about which namespaces are blocked.
*/}}
{{- define "migration-gate.blockedSelector" -}}
{{- $clauses := list -}}
{{- range $key, $value := .Values.blockedNamespaces.matchLabels -}}
{{- $clauses = append $clauses (printf "%s=%s" $key $value) -}}
{{- end -}}
{{- range .Values.blockedNamespaces.matchExpressions -}}
{{- if has .operator (list "In" "NotIn") -}}
{{- if not .values -}}
{{- fail (printf "blockedNamespaces.matchExpressions: %s %s needs at least one value; an empty set would block nothing" .key .operator) -}}
{{- end -}}
{{- $clauses = append $clauses (printf "%s %s (%s)" .key (lower .operator) (join "," .values)) -}}
{{- else if eq .operator "Exists" -}}
{{- $clauses = append $clauses .key -}}
{{- else if eq .operator "DoesNotExist" -}}
{{- $clauses = append $clauses (printf "!%s" .key) -}}
{{- else -}}
{{- fail (printf "blockedNamespaces.matchExpressions: unknown operator %s" .operator) -}}
{{- end -}}
{{- end -}}
{{- if not $clauses -}}
{{- fail "blockedNamespaces needs matchLabels or matchExpressions: an empty selector would block every namespace" -}}
{{- end -}}
{{- join "," $clauses -}}
{{- end -}}

{{/*
CEL for one migrationgate.io/ annotation of the object or the oldObject, '' when it is absent (and
for the oldObject of a CREATE). Takes (list "object"|"oldObject" "approved-by").
*/}}
{{- define "migration-gate.annotationOrBlank" -}}
{{- $object := index . 0 -}}
{{- $key := printf "migrationgate.io/%s" (index . 1) -}}
{{- if eq $object "oldObject" }}oldObject != null && {{ end -}}
has({{ $object }}.metadata.annotations) && '{{ $key }}' in {{ $object }}.metadata.annotations ? {{ $object }}.metadata.annotations['{{ $key }}'] : ''
{{- end -}}

{{/*
"true" when the API server stamps requested-by: wanted (approval.stampRequestedBy) and served
(MutatingAdmissionPolicy in admissionregistration.k8s.io/v1, Kubernetes 1.36+). Otherwise the
approvals policy makes the creator declare themselves. The policies and NOTES.txt ask this one place.
*/}}
{{- define "migration-gate.stampsRequestedBy" -}}
{{- if and .Values.approval.stampRequestedBy (.Capabilities.APIVersions.Has "admissionregistration.k8s.io/v1/MutatingAdmissionPolicy") -}}
true
{{- end -}}
{{- end -}}

{{/* How a new request gets its requested-by here, for messages that ask for a request to be created again. */}}
{{- define "migration-gate.requesterFix" -}}
{{- if include "migration-gate.stampsRequestedBy" . -}}
create it again, and the API server records its creator in migrationgate.io/requested-by
{{- else -}}
create it again with migrationgate.io/requested-by set to the username of its creator
{{- end -}}
{{- end -}}

{{/* The Secret holding the record signing key: the platform's (records.signingKeySecret) or the chart's. */}}
{{- define "migration-gate.recordSigningSecret" -}}
{{- default (printf "%s-record-signing-key" (include "migration-gate.fullname" .)) .Values.records.signingKeySecret -}}
{{- end -}}
