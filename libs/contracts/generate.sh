#!/usr/bin/env bash
# Lints proto/ and regenerates libs/contracts/src/gen/ (gitignored) with buf + ts-proto.
# Works offline: buf and the ts-proto plugin both come from node_modules.
# src/index.ts is committed and re-exports gen/index.ts, which ts-proto's outputIndex rebuilds
# from whatever packages exist, so adding a .proto needs no other edit.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
buf=node_modules/.bin/buf
"$buf" lint proto
# buf.gen.yaml has `clean: true`: gen/ is emptied first, so a deleted .proto leaves nothing behind.
"$buf" generate proto --template proto/buf.gen.yaml
