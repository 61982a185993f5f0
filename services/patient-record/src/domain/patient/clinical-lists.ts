import { checkCodedText, type CodedText } from '../shared/coding.js';
import { tidy } from '../shared/text.js';
import { isCalendarDate } from '../shared/time.js';
import type { Violations } from '../shared/violations.js';

/** FHIR AllergyIntolerance category, criticality and reaction severity codes. */
export const ALLERGY_CATEGORIES = ['food', 'medication', 'environment', 'biologic'] as const;
export type AllergyCategory = (typeof ALLERGY_CATEGORIES)[number];
export const ALLERGY_CRITICALITIES = ['low', 'high', 'unable-to-assess'] as const;
export type AllergyCriticality = (typeof ALLERGY_CRITICALITIES)[number];
export const REACTION_SEVERITIES = ['mild', 'moderate', 'severe'] as const;
export type ReactionSeverity = (typeof REACTION_SEVERITIES)[number];

export interface AllergyReaction {
  /** What happened, in words (`hives`, `anaphylaxis`). */
  manifestation: string;
  severity?: ReactionSeverity;
}

/** An allergy as charted: lidocaine and hyaluronidase allergies change what a provider may inject. */
export interface AllergyDetails {
  substance: CodedText;
  category?: AllergyCategory;
  criticality?: AllergyCriticality;
  reactions: AllergyReaction[];
}

/** A medication the Patient takes; anticoagulants and supplements matter for bruising risk. */
export interface MedicationDetails {
  medication: CodedText;
  /** As the Patient reports it (`81 mg daily`). */
  dosage?: string;
  /** YYYY, YYYY-MM or YYYY-MM-DD: patients often remember only the year. */
  startedOn?: string;
}

const oneOf = (values: readonly string[], v: string | undefined) => v === undefined || values.includes(v);

/** Adds every problem with an allergy. */
export function checkAllergy(violations: Violations, a: AllergyDetails): void {
  const reason = 'INVALID_ALLERGY';
  checkCodedText(violations, a.substance, 'substance', reason);
  if (!oneOf(ALLERGY_CATEGORIES, a.category)) violations.add(reason, 'category', 'is not a FHIR category');
  if (!oneOf(ALLERGY_CRITICALITIES, a.criticality)) {
    violations.add(reason, 'criticality', 'is not a FHIR criticality');
  }
  a.reactions.forEach((r, i) => {
    if (r.manifestation.trim() === '' || r.manifestation.length > 200) {
      violations.add(reason, `reactions.${i}.manifestation`, 'is required (at most 200 characters)');
    }
    if (!oneOf(REACTION_SEVERITIES, r.severity)) {
      violations.add(reason, `reactions.${i}.severity`, 'must be mild, moderate or severe');
    }
  });
}

/** Adds every problem with a medication, as of the day `today` (YYYY-MM-DD). */
export function checkMedication(violations: Violations, m: MedicationDetails, today: string): void {
  const reason = 'INVALID_MEDICATION';
  checkCodedText(violations, m.medication, 'medication', reason);
  if (m.dosage !== undefined && m.dosage.length > 200) {
    violations.add(reason, 'dosage', 'must be at most 200 characters');
  }
  if (m.startedOn !== undefined) {
    const s = m.startedOn;
    const partial = /^\d{4}(-(0[1-9]|1[0-2]))?$/.test(s);
    if (!(partial || isCalendarDate(s)) || s > today) {
      violations.add(reason, 'startedOn', 'must be a past YYYY, YYYY-MM or YYYY-MM-DD');
    }
  }
}

const tidyCoded = (c: CodedText): CodedText => ({
  text: tidy(c.text),
  ...(c.coding !== undefined && c.coding.length > 0
    ? { coding: c.coding.map((x) => ({ ...x, code: x.code.trim() })) }
    : {}),
});

export function normaliseAllergy(a: AllergyDetails): AllergyDetails {
  return {
    substance: tidyCoded(a.substance),
    ...(a.category !== undefined ? { category: a.category } : {}),
    ...(a.criticality !== undefined ? { criticality: a.criticality } : {}),
    reactions: a.reactions.map((r) => ({
      manifestation: tidy(r.manifestation),
      ...(r.severity !== undefined ? { severity: r.severity } : {}),
    })),
  };
}

export function normaliseMedication(m: MedicationDetails): MedicationDetails {
  const dosage = m.dosage === undefined ? '' : tidy(m.dosage);
  return {
    medication: tidyCoded(m.medication),
    ...(dosage !== '' ? { dosage } : {}),
    ...(m.startedOn !== undefined ? { startedOn: m.startedOn } : {}),
  };
}
