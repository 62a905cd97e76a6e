{{/* Names, labels and the operator's RBAC rules, shared by the templates. */}}

{{- define "cdds-operator.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "cdds-operator.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "cdds-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "cdds-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "cdds-operator.labels" -}}
{{ include "cdds-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "cdds-operator.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}

{{/*
What the operator does in a namespace it watches, and nothing more (see README.md, "RBAC"):
read ExportJobs and write their status; apply CronJobs, create Jobs; list pods for their
termination messages; get the PVCs and Secrets a job names; apply the ServiceAccount, Role and
RoleBinding of each job's export pods (which may only patch that job's status); record Events.
*/}}
{{- define "cdds-operator.rules" -}}
- apiGroups: [cdds.dev]
  resources: [exportjobs]
  # patch: metadata.finalizers only, for spec.output.deleteDataWithJob; spec is never written.
  verbs: [get, list, watch, patch]
- apiGroups: [cdds.dev]
  resources: [exportjobs/status]
  # get: also so that it may grant it to the export pods' Roles (RBAC forbids granting more).
  verbs: [get, patch]
- apiGroups: [batch]
  resources: [cronjobs]
  # delete: the schedule of a job whose data is being deleted with it.
  verbs: [list, watch, create, patch, delete]
- apiGroups: [batch]
  resources: [jobs]
  # patch: to stop a run whose pod waited longer than --pending-timeout to start.
  verbs: [list, watch, create, patch]
- apiGroups: [""]
  resources: [pods]
  verbs: [list]
- apiGroups: [""]
  resources: [persistentvolumeclaims]
  verbs: [get]
- apiGroups: [""]
  resources: [secrets]
  verbs: [get]
  {{- with .Values.rbac.secretNames }}
  resourceNames: {{ toJson . }}
  {{- end }}
# The export pods' identity: list and watch, so that one deleted is restored at once.
- apiGroups: [""]
  resources: [serviceaccounts]
  verbs: [list, watch, create, patch]
- apiGroups: [rbac.authorization.k8s.io]
  resources: [roles, rolebindings]
  verbs: [list, watch, create, patch]
- apiGroups: [""]
  resources: [events]
  verbs: [create]
{{- end -}}

{{/*
The operator's memory, from the capacity table in docs/benchmarks.md: a live heap of 25 MiB + 47 KiB
per ExportJob; the heap twice that (the live set at most half of it, far from the memory guard's
GC overhead), plus 320 MiB for what is not heap (measured: RSS minus heap, about 300 MiB); at
least 512Mi, in steps of 64Mi. In MiB.
*/}}
{{- define "cdds-operator.memoryMi" -}}
{{- $live := add 25 (div (mul .Values.expectedExportJobs 47) 1024) -}}
{{- $limit := max 512 (add (mul $live 2) 320) -}}
{{- mul (div (add $limit 63) 64) 64 -}}
{{- end -}}

{{/* The heap's share of that memory: all but the 320 MiB that is not heap. */}}
{{- define "cdds-operator.heapPercent" -}}
{{- $limit := include "cdds-operator.memoryMi" . | atoi -}}
{{- div (mul (sub $limit 320) 100) $limit -}}
{{- end -}}

{{/* JVM options: the heap's share of the memory limit computed here, unless set by hand. */}}
{{- define "cdds-operator.jvmOptions" -}}
{{- $limits := (.Values.resources | default dict).limits | default dict -}}
{{- if or (contains "MaxRAMPercentage" .Values.jvmOptions) (contains "Xmx" .Values.jvmOptions) -}}
{{- .Values.jvmOptions -}}
{{- else if hasKey $limits "memory" -}}
-XX:MaxRAMPercentage=75 {{ .Values.jvmOptions }}
{{- else -}}
-XX:MaxRAMPercentage={{ include "cdds-operator.heapPercent" . }} {{ .Values.jvmOptions }}
{{- end -}}
{{- end -}}

{{/* resources, with the memory request and limit from expectedExportJobs unless given. */}}
{{- define "cdds-operator.resources" -}}
{{- $resources := deepCopy (.Values.resources | default dict) -}}
{{- $memory := printf "%sMi" (include "cdds-operator.memoryMi" .) -}}
{{- range $kind := list "requests" "limits" -}}
{{- $part := get $resources $kind | default dict -}}
{{- if not (hasKey $part "memory") -}}
{{- $_ := set $part "memory" $memory -}}
{{- end -}}
{{- $_ := set $resources $kind $part -}}
{{- end -}}
{{- toYaml $resources -}}
{{- end -}}
