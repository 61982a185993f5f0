#!/usr/bin/env bash
# deploy/local/create-secrets.sh [namespace]: the Secrets values-local.yaml references, for a local
# cluster prepared as deploy/README.md says. Creates each service's schema and roles in the
# CloudNativePG cluster `medspa-pg` (through a port-forward) and the Secret with their URLs; creates the
# KMS keys and the audit signing key only when absent (replacing them would orphan encrypted data).
set -euo pipefail
namespace=${1:-medspa}
cd "$(dirname "$0")/../.."
superuser=$(kubectl -n medspa-data get secret medspa-pg-superuser -o jsonpath='{.data.password}' | base64 -d)
kubectl -n medspa-data port-forward svc/medspa-pg-rw 15432:5432 >/dev/null &
forward=$!
trap 'kill $forward' EXIT
for _ in $(seq 1 50); do (exec 3<>/dev/tcp/127.0.0.1/15432) 2>/dev/null && break; sleep 0.2; done
keys=()
kubectl -n "$namespace" get secret medspa-kms-keys >/dev/null 2>&1 || keys=(--keys)
node_modules/.bin/tsx deploy/local/provision-secrets.ts --namespace "$namespace" \
  --admin-url "postgres://postgres:${superuser}@127.0.0.1:15432/app" "${keys[@]}" | kubectl apply -f -
