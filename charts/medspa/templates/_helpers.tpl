{{/* The release-scoped name of the chart (used as a prefix for every object). */}}
{{- define "medspa.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* The object name of one service: dict "root" $ "name" "patient-record". */}}
{{- define "medspa.serviceName" -}}
{{- printf "%s-%s" (include "medspa.fullname" .root) .name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* `patient-record` -> `PATIENT_RECORD`, the prefix of a service's environment keys. */}}
{{- define "medspa.envPrefix" -}}
{{- . | upper | replace "-" "_" -}}
{{- end -}}

{{- define "medspa.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/part-of: medspa
{{ include "medspa.selectorLabels" . }}
{{- end -}}

{{/* Selector labels of one service; NetworkPolicies select peers by these. */}}
{{- define "medspa.selectorLabels" -}}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end -}}

{{- define "medspa.image" -}}
{{- $img := .root.Values.image -}}
{{- $repo := printf "%s-%s" $img.repository .name -}}
{{- if $img.registry }}{{ $repo = printf "%s/%s" $img.registry $repo }}{{ end -}}
{{- printf "%s:%s" $repo (default .root.Chart.AppVersion $img.tag) -}}
{{- end -}}

{{/* The port a service listens on: `grpc` services on ports.grpc, the gateway on ports.http. */}}
{{- define "medspa.servicePort" -}}
{{- if eq .svc.protocol "http" }}{{ .root.Values.ports.http }}{{ else }}{{ .root.Values.ports.grpc }}{{ end -}}
{{- end -}}

{{- define "medspa.portName" -}}
{{- if eq .svc.protocol "http" }}http{{ else }}grpc{{ end -}}
{{- end -}}

{{/* Refuses settings that would carry data in plaintext when requireTransportEncryption is set. */}}
{{- define "medspa.validate" -}}
{{- $v := .Values -}}
{{- if not $v.secrets.name -}}
{{- fail "secrets.name is required: the Secret holding the database URLs (never inline secret values)" -}}
{{- end -}}
{{- if $v.requireTransportEncryption -}}
{{- if not $v.postgres.requireTls }}{{ fail "requireTransportEncryption: set postgres.requireTls=true" }}{{ end -}}
{{- if not $v.kafka.tls }}{{ fail "requireTransportEncryption: set kafka.tls=true" }}{{ end -}}
{{- if not $v.redis.tls }}{{ fail "requireTransportEncryption: set redis.tls=true" }}{{ end -}}
{{- if not $v.grpcTls.enabled }}{{ fail "requireTransportEncryption: set grpcTls.enabled=true (mutual TLS between services)" }}{{ end -}}
{{- if and $v.ingress.enabled (not $v.ingress.tls.secretName) }}{{ fail "requireTransportEncryption: set ingress.tls.secretName" }}{{ end -}}
{{- end -}}
{{- if and $v.grpcTls.enabled (not $v.grpcTls.secretName) }}{{ fail "grpcTls.enabled needs grpcTls.secretName" }}{{ end -}}
{{- if and (eq $v.kms.mode "local") (not $v.secrets.kmsKeysSecret) -}}
{{- range $name, $svc := $v.services }}{{ if and $svc.create $svc.kmsKeys }}{{ fail (printf "%s needs secrets.kmsKeysSecret (kms.mode=local)" $name) }}{{ end }}{{ end -}}
{{- end -}}
{{- if eq $v.kms.mode "aws" -}}
{{- range $name, $svc := $v.services }}{{ if and $svc.create $svc.kmsKeys (not (default $v.kms.keyArn $svc.kmsKeyArn)) }}{{ fail (printf "kms.mode=aws: %s needs services.%s.kmsKeyArn or kms.keyArn" $name $name) }}{{ end }}{{ end -}}
{{- end -}}
{{- if and $v.services.audit.create (not $v.secrets.auditSigningKeySecret) }}{{ fail "the audit service needs secrets.auditSigningKeySecret" }}{{ end -}}
{{- range $name, $svc := $v.services -}}
{{- range $peer := $svc.peers -}}
{{- if not (hasKey $v.services $peer) }}{{ fail (printf "services.%s.peers: unknown service %s" $name $peer) }}{{ end -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* The pod's security context: non-root, seccomp RuntimeDefault. */}}
{{- define "medspa.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 10001
runAsGroup: 10001
fsGroup: 10001
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* Every container: read-only root, no privilege escalation, every capability dropped. */}}
{{- define "medspa.containerSecurityContext" -}}
runAsNonRoot: true
runAsUser: 10001
runAsGroup: 10001
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
privileged: false
capabilities:
  drop: ["ALL"]
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* Environment from the service's ConfigMap and the referenced Secret (by key, never by value). */}}
{{- define "medspa.env" -}}
{{- $v := .root.Values -}}
{{- $prefix := include "medspa.envPrefix" .name -}}
envFrom:
  - configMapRef:
      name: {{ include "medspa.serviceName" . }}
env:
{{- if .svc.database }}
  - name: DATABASE_URL
    valueFrom:
      secretKeyRef: { name: {{ $v.secrets.name | quote }}, key: {{ printf "%s_DATABASE_URL" $prefix }} }
  - name: MIGRATION_DATABASE_URL
    valueFrom:
      secretKeyRef: { name: {{ $v.secrets.name | quote }}, key: {{ printf "%s_MIGRATION_DATABASE_URL" $prefix }} }
{{- end }}
{{- if .svc.redis }}
  - name: REDIS_URL
    valueFrom:
      secretKeyRef: { name: {{ $v.secrets.name | quote }}, key: REDIS_URL }
{{- end }}
{{- if and .svc.kafka $v.kafka.sasl.mechanism }}
  - name: KAFKA_SASL_PASSWORD
    valueFrom:
      secretKeyRef: { name: {{ $v.secrets.name | quote }}, key: KAFKA_SASL_PASSWORD }
{{- end }}
{{- range $key := (.svc.secretEnv | default list) }}
  - name: {{ $key }}
    valueFrom:
      secretKeyRef: { name: {{ $v.secrets.name | quote }}, key: {{ printf "%s_%s" $prefix $key }} }
{{- end }}
{{- end -}}

{{/* Mounts every container gets: a writable /tmp, and the TLS and key material it needs. */}}
{{- define "medspa.volumeMounts" -}}
- name: tmp
  mountPath: /tmp
{{- if .root.Values.grpcTls.enabled }}
- name: grpc-tls
  mountPath: /var/run/medspa/grpc-tls
  readOnly: true
{{- end }}
{{- if .root.Values.trustedCaSecret }}
- name: trusted-ca
  mountPath: /var/run/medspa/ca
  readOnly: true
{{- end }}
{{- range (include "medspa.privateDirs" . | fromJsonArray) }}
- name: {{ .dir }}-files
  mountPath: /var/run/medspa/{{ .dir }}
  readOnly: true
{{- end }}
{{- end -}}

{{/* Services whose key files must be private (0600, owned by the process): the local KMS's KEKs and
the audit signing key. Both services refuse a group-readable key, and a Secret volume is always
group-readable under fsGroup, so an init container copies them into a memory emptyDir. */}}
{{- define "medspa.privateDirs" -}}
{{- $dirs := list -}}
{{- if and .svc.kmsKeys (eq .root.Values.kms.mode "local") }}{{ $dirs = append $dirs (dict "dir" "kms" "secret" .root.Values.secrets.kmsKeysSecret) }}{{ end -}}
{{- if eq .name "audit" }}{{ $dirs = append $dirs (dict "dir" "audit" "secret" .root.Values.secrets.auditSigningKeySecret) }}{{ end -}}
{{- toJson $dirs -}}
{{- end -}}

{{- define "medspa.privateFilesInit" -}}
{{- $dirs := include "medspa.privateDirs" . | fromJsonArray -}}
{{- if $dirs }}
- name: private-files
  image: {{ include "medspa.image" . }}
  imagePullPolicy: {{ .root.Values.image.pullPolicy }}
  command:
    - sh
    - -c
    - for d in {{ range $dirs }}{{ .dir }} {{ end }}; do cp -L /var/run/medspa/src/$d/* /var/run/medspa/$d/ && chmod 0600 /var/run/medspa/$d/*; done
  securityContext:
    {{- include "medspa.containerSecurityContext" . | nindent 4 }}
  resources:
    requests: { cpu: 10m, memory: 16Mi }
    limits: { memory: 64Mi }
  volumeMounts:
    {{- range $dirs }}
    - name: {{ .dir }}-files
      mountPath: /var/run/medspa/{{ .dir }}
    - name: {{ .dir }}-source
      mountPath: /var/run/medspa/src/{{ .dir }}
      readOnly: true
    {{- end }}
{{- end }}
{{- end -}}

{{- define "medspa.volumes" -}}
- name: tmp
  emptyDir:
    sizeLimit: 64Mi
{{- if .root.Values.grpcTls.enabled }}
- name: grpc-tls
  secret:
    secretName: {{ .root.Values.grpcTls.secretName }}
    defaultMode: 0440
{{- end }}
{{- if .root.Values.trustedCaSecret }}
- name: trusted-ca
  secret:
    secretName: {{ .root.Values.trustedCaSecret }}
    defaultMode: 0444
{{- end }}
{{- range (include "medspa.privateDirs" . | fromJsonArray) }}
- name: {{ .dir }}-files
  emptyDir:
    medium: Memory
    sizeLimit: 1Mi
- name: {{ .dir }}-source
  secret:
    secretName: {{ .secret }}
    defaultMode: 0440
{{- end }}
{{- end -}}
