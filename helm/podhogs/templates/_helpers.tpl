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

{{/* The name of the port of /metrics and health: https-metrics when they are served over TLS. */}}
{{- define "podhogs.scrapePortName" -}}
{{- if .Values.agent.metrics.tlsSecret }}https-metrics{{ else }}http-metrics{{ end }}
{{- end }}

{{/* The kubeRbacProxy values of an earlier chart are refused, not silently ignored. */}}
{{- define "podhogs.noKubeRbacProxy" -}}
{{- if hasKey .Values "kubeRbacProxy" }}
{{- fail "kubeRbacProxy was removed: the agent checks the tokens of /metrics itself (agent.metrics.auth, TokenReview and SubjectAccessReview, as kube-rbac-proxy did), serves its API on 127.0.0.1 only (kubectl podhogs comes through pods/portforward), and serves /metrics over TLS with agent.metrics.tlsSecret; drop the kubeRbacProxy values" }}
{{- end }}
{{- end }}

{{/* The endpoint settings the ServiceMonitor and PodMonitor share, after its port. */}}
{{- define "podhogs.scrapeEndpoint" -}}
path: /metrics
interval: {{ .Values.monitoring.interval }}
scrapeTimeout: {{ .Values.monitoring.scrapeTimeout }}
{{- if .Values.agent.metrics.tlsSecret }}
scheme: https
tlsConfig:
  {{- if .Values.monitoring.tlsConfig }}
  {{- toYaml .Values.monitoring.tlsConfig | nindent 2 }}
  {{- else }}
  insecureSkipVerify: true
  {{- end }}
{{- else }}
scheme: http
{{- end }}
{{- end }}

{{/*
How a monitor ({kind, root}) proves it may read /metrics (agent.metrics.auth=kubernetes): a Secret's
token, the chart's scraper token, or, for a ServiceMonitor, Prometheus's own service account token.
*/}}
{{- define "podhogs.scrapeAuth" -}}
{{- $root := .root }}
{{- if eq $root.Values.agent.metrics.auth "kubernetes" }}
{{- if $root.Values.monitoring.authorizationSecret }}
authorization:
  type: Bearer
  credentials:
    {{- toYaml $root.Values.monitoring.authorizationSecret | nindent 4 }}
{{- else if $root.Values.monitoring.scraperToken.create }}
{{- if not $root.Values.rbac.create }}
{{- fail "monitoring.scraperToken.create needs rbac.create (its account is bound to the metrics-reader ClusterRole), or give monitoring.authorizationSecret" }}
{{- end }}
authorization:
  type: Bearer
  credentials:
    name: {{ include "podhogs.fullname" $root }}-scraper-token
    key: token
{{- else if eq .kind "ServiceMonitor" }}
# Prometheus's own service account token, which must be allowed get on /metrics (the
# metrics-reader ClusterRole; kube-prometheus-stack's Prometheus has that right already).
bearerTokenFile: /var/run/secrets/kubernetes.io/serviceaccount/token
{{- else }}
{{- fail "podMonitor.enabled with agent.metrics.auth=kubernetes needs a token to send: monitoring.authorizationSecret or monitoring.scraperToken.create (a PodMonitor cannot send Prometheus's own token; a ServiceMonitor can)" }}
{{- end }}
{{- end }}
{{- end }}

{{/* A list value as one comma-separated string (SmallRye Config's lists). */}}
{{- define "podhogs.list" -}}
{{- join "," . }}
{{- end }}

{{/* Regular expressions as one list setting: a comma in one is written \, for the agent's config. */}}
{{- define "podhogs.regexList" -}}
{{- $escaped := list }}
{{- range . }}{{ $escaped = append $escaped (replace "," "\\," .) }}{{ end }}
{{- join "," $escaped }}
{{- end }}
