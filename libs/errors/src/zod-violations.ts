import { AppError, type FieldViolation } from './app-error.js';

/** The shape of a zod issue that we read; kept structural so this lib needs no zod dependency. */
interface IssueLike {
  path: readonly PropertyKey[];
  message: string;
}

/** Zod issues as one validation AppError listing every field at once. */
export function validationFromIssues(issues: readonly IssueLike[], reason = 'INVALID_ARGUMENT'): AppError {
  const violations: FieldViolation[] = issues.map((i) => ({
    field: i.path.map(String).join('.') || '(root)',
    message: i.message,
  }));
  return new AppError('validation', reason, 'The request is invalid', { violations });
}
