import type { Violations } from './violations.js';
import { checkText } from './text.js';

/**
 * A clinical concept as text, optionally coded (RxNorm for a medication, SNOMED CT for a
 * substance): what the clinic typed stays the truth, codes are added when known.
 */
export interface CodedText {
  text: string;
  coding?: { system: string; code: string; display?: string }[];
}

/** Adds `reason` for blank text or a coding without an absolute system URI and a code. */
export function checkCodedText(
  violations: Violations,
  value: CodedText,
  field: string,
  reason: string,
): void {
  checkText(violations, value.text, `${field}.text`, { max: 500, reason });
  (value.coding ?? []).forEach((c, i) => {
    if (!/^[a-z][a-z0-9+.-]*:\S+$/i.test(c.system) || c.code.trim() === '' || /\s/.test(c.code.trim())) {
      violations.add(reason, `${field}.coding.${i}`, 'needs an absolute system URI and a code');
    }
  });
}
