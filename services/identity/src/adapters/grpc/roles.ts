import type { UserRole } from '@medspa/auth';
import { Role } from '@medspa/contracts/medspa.identity.v1';
import { errors } from '@medspa/errors';

const TO_PROTO: Record<UserRole, Role> = {
  owner: Role.ROLE_OWNER,
  manager: Role.ROLE_MANAGER,
  provider: Role.ROLE_PROVIDER,
  front_desk: Role.ROLE_FRONT_DESK,
  billing: Role.ROLE_BILLING,
  compliance_officer: Role.ROLE_COMPLIANCE_OFFICER,
  patient: Role.ROLE_PATIENT,
};
const FROM_PROTO = new Map<Role, UserRole>(Object.entries(TO_PROTO).map(([k, v]) => [v, k as UserRole]));

export const roleToProto = (role: UserRole): Role => TO_PROTO[role];

/** The role a request names; ROLE_INVALID for UNSPECIFIED or an unknown number. */
export function roleFromProto(role: Role): UserRole {
  const mapped = FROM_PROTO.get(role);
  if (mapped === undefined) {
    throw errors.validation('ROLE_INVALID', 'The request is invalid', {
      violations: [{ field: 'role', message: 'must be a known role' }],
    });
  }
  return mapped;
}
