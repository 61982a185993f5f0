#!/usr/bin/env bash
# deploy/build-service.sh <service> <outdir>: the Dockerfile's stages without Docker.
#   1. install: npm ci (only when node_modules is missing: a clean checkout, or the Dockerfile) and
#               the generated contracts
#   2. build:   transpile the service and the libs it uses to JavaScript under <outdir>, with the
#               assets they read at run time (SQL migrations, word lists, proto/ for reflection)
#   3. prune:   npm install --omit=dev (from the lockfile) for just those workspaces, inside <outdir>
# Run it: `node <outdir>/main.js serve|migrate|rebuild`.
set -euo pipefail
if [[ $# -ne 2 ]]; then
  echo "usage: $0 <service> <outdir>" >&2
  exit 2
fi
cd "$(dirname "$0")/.."
[[ -d node_modules ]] || npm ci --no-audit --no-fund
[[ -f libs/contracts/src/gen/index.ts ]] || bash libs/contracts/generate.sh
exec node deploy/build-service.mjs "$1" "$2"
