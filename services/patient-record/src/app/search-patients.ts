import { can, requirePermission } from '@medspa/auth';
import { isKeyShredded, normaliseDateOfBirth, normalisePhone } from '@medspa/crypto';
import { errors } from '@medspa/errors';
import type { PersonName } from '../domain/index.js';
import {
  blindIndexFor,
  directoryField,
  indexField,
  nameMatches,
  type SearchKind,
} from '../projections/patient-directory/fields.js';
import { findByTokens, type DirectoryRow } from '../projections/patient-directory/queries.js';
import { recordAllowed } from './access.js';
import type { AppDeps } from './deps.js';
import type { RequestContext } from './request-context.js';

export interface PatientSearch {
  namePrefix: string;
  phone: string;
  dateOfBirth: string;
  pageSize: number;
  pageToken: string;
}

export interface FoundPatient {
  patientId: string;
  name: PersonName;
  dateOfBirth: string;
  /** Only for callers who may read contact details. */
  phone: string | undefined;
}

const MAX_NAME_TOKENS = 4;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const invalid = (reason: string, field: string, message: string) =>
  errors.validation(reason, message, { violations: [{ field, message }] });

/**
 * Finds patients by name prefix, phone and/or date of birth (all given must match) on blind-index
 * tokens alone, then decrypts only the page returned. Every patient returned is an access event.
 */
export async function searchPatients(
  deps: AppDeps,
  ctx: RequestContext,
  q: PatientSearch,
): Promise<{ patients: FoundPatient[]; nextPageToken: string }> {
  const { tenantId } = ctx.principal;
  if (requirePermission(ctx.principal, 'patient.demographics:read') === 'own') {
    throw errors.forbidden('PERMISSION_DENIED', 'Searching patients is for clinic staff');
  }
  const pageSize = q.pageSize === 0 ? 20 : q.pageSize;
  if (pageSize < 1 || pageSize > 50)
    throw invalid('INVALID_PAGE_SIZE', 'pageSize', 'must be between 1 and 50');
  if (q.pageToken !== '' && !UUID.test(q.pageToken)) {
    throw invalid('INVALID_PAGE_TOKEN', 'pageToken', 'is not a token this search returned');
  }
  const index = await blindIndexFor(deps.keyring, tenantId);
  const tokens: { kind: SearchKind; token: string }[] = [];
  if (q.namePrefix.trim() !== '') {
    const typed = index.namePrefixQuery(indexField.name, q.namePrefix);
    if (typed.length === 0) {
      throw invalid('SEARCH_TOO_SHORT', 'namePrefix', 'type at least 3 letters of a name');
    }
    // Each token is one more join of the search; words past these few are still confirmed on the
    // decrypted names below (nameMatches), they just do not narrow the index read.
    tokens.push(...typed.slice(0, MAX_NAME_TOKENS).map((token) => ({ kind: 'name_prefix' as const, token })));
  }
  const phone = q.phone.trim() === '' ? undefined : normalisePhone(q.phone);
  if (phone !== undefined) tokens.push({ kind: 'phone', token: index.phone(indexField.phone, phone) });
  const dateOfBirth = q.dateOfBirth.trim() === '' ? undefined : normaliseDateOfBirth(q.dateOfBirth);
  if (dateOfBirth !== undefined) {
    tokens.push({ kind: 'date_of_birth', token: index.dateOfBirth(indexField.dateOfBirth, dateOfBirth) });
  }
  if (tokens.length === 0) {
    throw invalid('SEARCH_CRITERIA_REQUIRED', 'namePrefix', 'give a name prefix, a phone or a date of birth');
  }

  const rows = await findByTokens(deps.pool, deps.schema, {
    tenantId,
    tokens,
    after: q.pageToken === '' ? undefined : q.pageToken,
    limit: pageSize,
  });
  const withPhone = can(ctx.principal, 'patient.contact:read');
  // The page's keys in one query rather than one per patient (a page is mostly cache misses).
  await deps.fields.preload(
    tenantId,
    rows.map((r) => r.patientId),
  );
  const decrypted = await Promise.all(rows.map((r) => open(deps, tenantId, r, withPhone)));
  // Truncated HMAC tokens may collide: confirm every hit on the decrypted values.
  const patients = decrypted.filter(
    (p): p is FoundPatient & { phoneClear: string | undefined } =>
      p !== undefined &&
      (q.namePrefix.trim() === '' || nameMatches(p.name, q.namePrefix)) &&
      (phone === undefined || p.phoneClear === phone) &&
      (dateOfBirth === undefined || p.dateOfBirth === dateOfBirth),
  );
  await recordAllowed(
    deps,
    ctx,
    patients.map((p) => ({
      patientId: p.patientId,
      resourceType: 'Patient',
      resourceId: p.patientId,
      action: 'search',
    })),
  );
  const last = rows.at(-1);
  return {
    patients: patients.map(({ phoneClear: _clear, ...p }) => p),
    nextPageToken: rows.length === pageSize && last !== undefined ? last.patientId : '',
  };
}

async function open(deps: AppDeps, tenantId: string, row: DirectoryRow, withPhone: boolean) {
  try {
    const cipher = await deps.fields.forSubject(tenantId, row.patientId);
    const read = <T>(field: string, ct: string): T => JSON.parse(cipher.decrypt(field, ct)) as T;
    const phoneClear = row.phoneCt === null ? undefined : read<string>(directoryField.phone, row.phoneCt);
    return {
      patientId: row.patientId,
      name: read<PersonName>(directoryField.name, row.nameCt),
      dateOfBirth: read<string>(directoryField.dateOfBirth, row.dateOfBirthCt),
      phone: withPhone ? phoneClear : undefined,
      phoneClear,
    };
  } catch (e) {
    // Shredded after the page was read: leave the patient out.
    if (isKeyShredded(e)) return undefined;
    throw e;
  }
}
