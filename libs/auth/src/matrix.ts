import { PERMISSION_NAMES, PERMISSIONS, type Permission } from './permissions.js';
import { ROLE_PERMISSIONS, type Scope } from './role-permissions.js';
import { ROLES, type Role } from './roles.js';

/** One row of the authorization matrix: a permission and each role's scope (or null). */
export interface PermissionMatrixRow {
  permission: Permission;
  description: string;
  grants: Record<Role, Scope | null>;
}

/** The role table turned around, one row per permission, for docs and the matrix test. */
export function permissionMatrix(): PermissionMatrixRow[] {
  return PERMISSION_NAMES.map((permission) => ({
    permission,
    description: PERMISSIONS[permission],
    grants: Object.fromEntries(
      ROLES.map((role) => [role, ROLE_PERMISSIONS[role][permission] ?? null]),
    ) as Record<Role, Scope | null>,
  }));
}

/** The matrix as a Markdown table for the README (`own` marks own-records-only grants). */
export function renderPermissionMatrixMarkdown(): string {
  const header = `| permission | ${ROLES.join(' | ')} | what it allows |`;
  const rule = `|---|${ROLES.map(() => ':-:').join('|')}|---|`;
  const cell = (s: Scope | null): string => (s === null ? '' : s === 'own' ? 'own' : '✓');
  const rows = permissionMatrix().map(
    (r) =>
      `| \`${r.permission}\` | ${ROLES.map((role) => cell(r.grants[role])).join(' | ')} | ${r.description} |`,
  );
  return [header, rule, ...rows].join('\n');
}

export const MATRIX_START = '<!-- permission-matrix:start (generated from ROLE_PERMISSIONS) -->';
export const MATRIX_END = '<!-- permission-matrix:end -->';

/** A document with the text between the matrix markers replaced by the current matrix. */
export function replacePermissionMatrix(document: string): string {
  const start = document.indexOf(MATRIX_START);
  const end = document.indexOf(MATRIX_END);
  if (start < 0 || end < start) throw new Error('The permission matrix markers are missing');
  const table = renderPermissionMatrixMarkdown();
  return `${document.slice(0, start + MATRIX_START.length)}\n\n${table}\n\n${document.slice(end)}`;
}
