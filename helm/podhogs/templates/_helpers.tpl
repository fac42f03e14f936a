{{/* The chart's name. */}}
{{- define "podhogs.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The objects' name: the release's, with the chart's appended unless already in it. */}}
{{- define "podhogs.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "podhogs.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels of every object. */}}
{{- define "podhogs.labels" -}}
helm.sh/chart: {{ include "podhogs.chart" . }}
{{ include "podhogs.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/component: agent
{{- end }}

{{/* Labels that select the agent's pods (never change them on upgrade: the selector is immutable). */}}
{{- define "podhogs.selectorLabels" -}}
app.kubernetes.io/name: {{ include "podhogs.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "podhogs.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "podhogs.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The port scrapers reach: the agent's, or the proxy's in front of it. */}}
{{- define "podhogs.scrapePort" -}}
{{- if .Values.kubeRbacProxy.enabled }}{{ .Values.kubeRbacProxy.port }}{{ else }}{{ .Values.agent.port }}{{ end }}
{{- end }}

{{- define "podhogs.scrapePortName" -}}
{{- if .Values.kubeRbacProxy.enabled }}https-metrics{{ else }}http-metrics{{ end }}
{{- end }}

{{/* The Secret with the scraper's bearer token (kubeRbacProxy), as a SecretKeySelector. */}}
{{- define "podhogs.scrapeAuthorization" -}}
{{- if .Values.monitoring.authorizationSecret }}
type: Bearer
credentials:
  {{- toYaml .Values.monitoring.authorizationSecret | nindent 2 }}
{{- else if and .Values.kubeRbacProxy.scraper.create .Values.rbac.create }}
type: Bearer
credentials:
  name: {{ include "podhogs.fullname" . }}-scraper-token
  key: token
{{- else }}
{{- fail "kubeRbacProxy.enabled with a ServiceMonitor or PodMonitor needs kubeRbacProxy.scraper.create with rbac.create, or monitoring.authorizationSecret" }}
{{- end }}
{{- end }}

{{/* The endpoint settings the ServiceMonitor and PodMonitor share, after its port. */}}
{{- define "podhogs.scrapeEndpoint" -}}
path: /metrics
interval: {{ .Values.monitoring.interval }}
scrapeTimeout: {{ .Values.monitoring.scrapeTimeout }}
{{- if .Values.kubeRbacProxy.enabled }}
scheme: https
tlsConfig:
  {{- if .Values.monitoring.tlsConfig }}
  {{- toYaml .Values.monitoring.tlsConfig | nindent 2 }}
  {{- else }}
  insecureSkipVerify: true
  {{- end }}
authorization:
  {{- include "podhogs.scrapeAuthorization" . | trim | nindent 2 }}
{{- else }}
scheme: http
{{- end }}
{{- end }}

{{/* A list value as one comma-separated string (SmallRye Config's lists). */}}
{{- define "podhogs.list" -}}
{{- join "," . }}
{{- end }}
