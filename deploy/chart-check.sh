#!/usr/bin/env bash
# The chart's checks (part of `make test`): helm lint --strict, helm template in three configurations
# (defaults, local, aws) validated offline against the Kubernetes 1.32 schemas with kubeconform
# -strict, and the chart's unit tests (security context, probes, NetworkPolicies against the peers
# the services' code reads, no inlined secret). helm and kubeconform are built once into a cache.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=deploy/tools.sh
source deploy/tools.sh
exec node_modules/.bin/vitest run --config deploy/vitest.config.ts --project chart "$@"
