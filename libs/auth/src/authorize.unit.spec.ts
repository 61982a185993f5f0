import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { can, requirePermission } from './authorize.js';
import { permissionMatrix, renderPermissionMatrixMarkdown, replacePermissionMatrix } from './matrix.js';
import { PERMISSION_NAMES } from './permissions.js';
import type { Principal } from './principal.js';
import { ROLE_PERMISSIONS } from './role-permissions.js';
import { ROLES, type Role } from './roles.js';

const as = (role: Role, userId = 'u-1'): Principal => ({
  userId: role === 'service' ? 'svc:test' : userId,
  tenantId: 't-1',
  role,
  sessionId: 's-1',
  isService: role === 'service',
});

describe('role permissions (minimum necessary)', () => {
  it('lets the front desk see schedules and contact details but not chart notes', () => {
    const desk = as('front_desk');
    expect(can(desk, 'schedule:read')).toBe(true);
    expect(can(desk, 'patient.contact:read')).toBe(true);
    expect(can(desk, 'patient.chart:read')).toBe(false);
  });

  it('lets billing see invoices and names and addresses for receipts, not notes or phone numbers', () => {
    const billing = as('billing');
    expect(can(billing, 'billing.invoice:read')).toBe(true);
    expect(can(billing, 'patient.demographics:read')).toBe(true);
    expect(can(billing, 'patient.contact:read')).toBe(false);
    expect(can(billing, 'patient.chart:read')).toBe(false);
  });

  it('gives the audit log to the compliance officer only', () => {
    for (const permission of ['audit:read', 'audit:export', 'audit:legal_hold'] as const)
      expect(ROLES.filter((r) => can(as(r), permission))).toEqual(['compliance_officer']);
    expect(can(as('compliance_officer'), 'patient.chart:read')).toBe(false);
  });

  it('lets only providers write and sign charts', () => {
    expect(ROLES.filter((r) => can(as(r), 'patient.chart:sign'))).toEqual(['provider']);
    expect(ROLES.filter((r) => can(as(r), 'patient.chart:write'))).toEqual(['provider']);
  });

  it('limits patients to their own records', () => {
    const patient = as('patient', 'patient-user-1');
    expect(Object.values(ROLE_PERMISSIONS.patient).every((s) => s === 'own')).toBe(true);
    expect(can(patient, 'patient.chart:read', { ownerId: 'patient-user-1' })).toBe(true);
    expect(can(patient, 'patient.chart:read', { ownerId: 'someone-else' })).toBe(false);
    expect(requirePermission(patient, 'schedule:read')).toBe('own');
    expect(() => requirePermission(patient, 'billing.invoice:read', { ownerId: 'someone-else' })).toThrow(
      expect.objectContaining({ kind: 'forbidden', reason: 'PERMISSION_DENIED' }),
    );
    expect(can(patient, 'staff:manage')).toBe(false);
  });

  it('keeps service tokens away from charts', () => {
    expect(can(as('service'), 'notification:send')).toBe(true);
    expect(can(as('service'), 'patient.chart:read')).toBe(false);
  });

  it('throws forbidden with PERMISSION_DENIED', () => {
    expect(() => requirePermission(as('front_desk'), 'patient.chart:read')).toThrow(
      expect.objectContaining({ kind: 'forbidden', reason: 'PERMISSION_DENIED' }),
    );
    expect(requirePermission(as('provider'), 'patient.chart:read')).toBe('tenant');
  });

  it('agrees with the table in every cell of the matrix', () => {
    const matrix = permissionMatrix();
    expect(matrix.map((r) => r.permission)).toEqual(PERMISSION_NAMES);
    for (const row of matrix) {
      for (const role of ROLES) {
        expect(can(as(role), row.permission), `${role} ${row.permission}`).toBe(row.grants[role] !== null);
      }
    }
    expect(renderPermissionMatrixMarkdown().split('\n')).toHaveLength(PERMISSION_NAMES.length + 2);
  });

  it('matches the matrix published in the README (regenerate with src/cli/render-permission-matrix.ts)', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    expect(replacePermissionMatrix(readme)).toBe(readme);
  });
});
