import { checkId, checkText, tidy } from '../shared/text.js';
import type { Violations } from '../shared/violations.js';

/**
 * A good-faith exam: where state law requires one (e.g. California), a physician, NP or PA
 * examines the Patient and approves the treatment before a nurse or aesthetician performs it.
 * The examiner need not be the treating provider and may examine by telehealth.
 */
export interface GoodFaithExamDetails {
  examinerId: string;
  examinerName: string;
  /** `MD`, `NP`, `PA`: what the law asks of the examiner, recorded as stated. */
  examinerCredentials: string;
  modality: 'in_person' | 'telehealth';
  findings: string;
  outcome: 'approved' | 'not_approved';
  /** What the examiner approved, in the clinic's words (`Neurotoxin to glabella and forehead`). */
  approvedTreatments: string[];
}

/** Adds every problem with an exam record. */
export function checkGoodFaithExam(v: Violations, e: GoodFaithExamDetails): void {
  const reason = 'INVALID_GOOD_FAITH_EXAM';
  checkId(v, e.examinerId, 'exam.examinerId');
  checkText(v, e.examinerName, 'exam.examinerName', { max: 200, reason });
  checkText(v, e.examinerCredentials, 'exam.examinerCredentials', { max: 50, reason });
  checkText(v, e.findings, 'exam.findings', { max: 10_000, reason });
  if (e.modality !== 'in_person' && e.modality !== 'telehealth') {
    v.add(reason, 'exam.modality', 'must be in_person or telehealth');
  }
  if (e.outcome !== 'approved' && e.outcome !== 'not_approved') {
    v.add(reason, 'exam.outcome', 'must be approved or not_approved');
  }
  if (e.outcome === 'approved' && e.approvedTreatments.every((t) => t.trim() === '')) {
    v.add(reason, 'exam.approvedTreatments', 'must name what was approved');
  }
  if (e.outcome === 'not_approved' && e.approvedTreatments.length > 0) {
    v.add(reason, 'exam.approvedTreatments', 'must be empty when nothing was approved');
  }
}

export function normaliseGoodFaithExam(e: GoodFaithExamDetails): GoodFaithExamDetails {
  return {
    ...e,
    examinerName: tidy(e.examinerName),
    examinerCredentials: tidy(e.examinerCredentials),
    findings: e.findings.trim(),
    approvedTreatments: e.approvedTreatments.map(tidy).filter((t) => t !== ''),
  };
}
