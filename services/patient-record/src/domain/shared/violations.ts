import { errors, type FieldViolation } from '@medspa/errors';

/**
 * Collects every problem with a command before refusing it, so a form shows all its errors at
 * once. The error's reason is the first problem's, so callers can still branch on one code.
 * Messages name the field and the rule, never the value: values here are PHI.
 */
export class Violations {
  private readonly found: { reason: string; violation: FieldViolation }[] = [];

  add(reason: string, field: string, message: string): void {
    this.found.push({ reason, violation: { field, message } });
  }

  get isEmpty(): boolean {
    return this.found.length === 0;
  }

  /** Throws a validation error listing every problem, if there is any. */
  throwIfAny(message: string): void {
    const first = this.found[0];
    if (first === undefined) return;
    throw errors.validation(first.reason, message, { violations: this.found.map((f) => f.violation) });
  }
}

/** Refuses a command for one reason at one field. */
export function refuse(reason: string, field: string, message: string): never {
  throw errors.validation(reason, message, { violations: [{ field, message }] });
}
