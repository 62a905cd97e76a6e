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
