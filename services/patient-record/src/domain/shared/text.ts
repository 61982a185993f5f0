import type { Violations } from './violations.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Characters S3 and GCS call safe in a key; excludes `:` so a URL or a `data:` payload cannot pass.
const OBJECT_KEY = /^[A-Za-z0-9!_.*'()-][A-Za-z0-9!_.*'()/-]*$/;

/** True for a UUID (ids are UUIDv7 chosen by the caller; any version is accepted on read). */
export const isUuid = (value: string): boolean => UUID.test(value);

/** Adds INVALID_ID when `value` is not a UUID. */
export function checkId(violations: Violations, value: string, field: string): void {
  if (!isUuid(value)) violations.add('INVALID_ID', field, 'must be a UUID');
}

/** Adds `reason` when `value` is blank or longer than `max` characters. */
export function checkText(
  violations: Violations,
  value: string,
  field: string,
  options: { max: number; reason?: string },
): void {
  const reason = options.reason ?? 'INVALID_TEXT';
  if (value.trim() === '') violations.add(reason, field, 'is required');
  else if (value.length > options.max)
    violations.add(reason, field, `must be at most ${options.max} characters`);
}

/**
 * Adds INVALID_OBJECT_KEY unless `value` is an object-storage key (`photos/<uuid>.jpg`): images are
 * referenced, never carried, so events stay small and erasure can delete the object.
 */
export function checkObjectKey(violations: Violations, value: string, field: string): void {
  const ok =
    value.length <= 1024 && OBJECT_KEY.test(value) && !value.split('/').some((s) => s === '..' || s === '');
  if (!ok) violations.add('INVALID_OBJECT_KEY', field, 'must be an object key such as photos/<id>.jpg');
}

/** Trims and collapses inner runs of white space: how free-text names and labels are stored. */
export const tidy = (value: string): string => value.trim().replace(/\s+/g, ' ');
