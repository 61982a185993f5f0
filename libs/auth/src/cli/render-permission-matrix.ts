// Rewrites the permission matrix in libs/auth/README.md from ROLE_PERMISSIONS.
// Run: node_modules/.bin/tsx libs/auth/src/cli/render-permission-matrix.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { replacePermissionMatrix } from '../matrix.js';

const readme = new URL('../../README.md', import.meta.url);
writeFileSync(readme, replacePermissionMatrix(readFileSync(readme, 'utf8')));
