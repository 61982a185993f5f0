#!/usr/bin/env bash
# Fails when proto/ breaks wire or source compatibility (buf FILE rules) against a git ref.
# Usage: libs/contracts/breaking.sh [ref]   (default HEAD~1; in CI pass the PR's base, e.g. origin/main)
# Skips, saying so, when the ref does not exist (first commit, shallow clone) or has no proto
# workspace yet (the commit that introduces proto/).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
ref="${1:-HEAD~1}"
if ! git rev-parse --verify --quiet "${ref}^{commit}" >/dev/null; then
  echo "buf breaking: skipped, ${ref} does not exist (first commit or shallow clone)" >&2
  exit 0
fi
if ! git cat-file -e "${ref}:proto/buf.yaml" 2>/dev/null; then
  echo "buf breaking: skipped, ${ref} has no proto/buf.yaml (contracts are new)" >&2
  exit 0
fi
node_modules/.bin/buf breaking proto --against ".git#ref=${ref},subdir=proto"
