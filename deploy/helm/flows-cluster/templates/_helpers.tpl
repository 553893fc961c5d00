{{/* Chart name, truncated to 63 characters (a DNS label). */}}
{{- define "flows-cluster.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Fully qualified app name: release-chart, unless the release name already contains the chart name.
Truncated so that the longest suffix used below ("-worker-orleans-hosting", 23) still fits 63.
*/}}
{{- define "flows-cluster.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 40 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 40 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* Chart name and version, as used by the helm.sh/chart label. */}}
{{- define "flows-cluster.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Common labels. */}}
{{- define "flows-cluster.labels" -}}
helm.sh/chart: {{ include "flows-cluster.chart" . }}
{{ include "flows-cluster.selectorLabels" . }}
{{- if .Chart.AppVersion }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: flows
{{- end }}

{{/* Selector labels (immutable once deployed: keep them few). */}}
{{- define "flows-cluster.selectorLabels" -}}
app.kubernetes.io/name: {{ include "flows-cluster.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* Labels Orleans' Kubernetes hosting reads: they select "the pods of this cluster". */}}
{{- define "flows-cluster.orleansLabels" -}}
orleans/serviceId: {{ .Values.serviceId | quote }}
orleans/clusterId: {{ .Values.clusterId | quote }}
{{- end }}

{{/* Service account of the workers. */}}
{{- define "flows-cluster.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (printf "%s-worker" (include "flows-cluster.fullname" .)) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The workers' and flow runs' image. */}}
{{- define "flows-cluster.image" -}}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) }}
{{- end }}

{{/* HOST:PORT of the membership Redis. */}}
{{- define "flows-cluster.redisAddress" -}}
{{- if .Values.redis.deploy }}
{{- printf "%s-redis:6379" (include "flows-cluster.fullname" .) }}
{{- else }}
{{- required "redis.address (HOST:PORT) is required when redis.deploy is false" .Values.redis.address }}
{{- end }}
{{- end }}

{{/* The TLS environment variables (FLOWS_TLS_CERTIFICATE / FLOWS_TLS_PASSWORD); callers check tls.enabled. */}}
{{- define "flows-cluster.tlsEnv" -}}
- name: FLOWS_TLS_CERTIFICATE
  value: {{ printf "%s/%s" (.Values.tls.mountPath | trimSuffix "/") .Values.tls.certificateKey | quote }}
- name: FLOWS_TLS_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ .Values.tls.secretName }}
      key: {{ .Values.tls.passwordKey }}
{{- end }}

{{/* The TLS volume mount of a container. */}}
{{- define "flows-cluster.tlsVolumeMount" -}}
- name: flows-tls
  mountPath: {{ .Values.tls.mountPath }}
  readOnly: true
{{- end }}

{{/* The TLS volume of a pod. */}}
{{- define "flows-cluster.tlsVolume" -}}
- name: flows-tls
  secret:
    secretName: {{ .Values.tls.secretName }}
    items:
      - key: {{ .Values.tls.certificateKey }}
        path: {{ .Values.tls.certificateKey }}
{{- end }}

{{/* Pod and container security settings shared by the worker and the flow run. */}}
{{- define "flows-cluster.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 1654
runAsGroup: 1654
{{- end }}

{{- define "flows-cluster.containerSecurityContext" -}}
allowPrivilegeEscalation: false
capabilities:
  drop: ["ALL"]
{{- end }}
