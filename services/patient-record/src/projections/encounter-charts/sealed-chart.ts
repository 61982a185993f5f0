import type { SubjectCipher } from '@medspa/crypto';
import type { EncounterState } from '../../domain/index.js';

/**
 * The field name a sealed chart is bound to (with tenant and patient, which every field
 * ciphertext binds): its encounter and the stream version it reflects, so a row moved to another
 * encounter, or given another version, no longer opens. A row put back to an older version with
 * its older ciphertext still opens, and the reader then folds every event after that version:
 * the chart shown stays whole.
 */
export const chartField = (encounterId: string, version: number): string =>
  `encounter.chart.${encounterId}.v${version}`;

/** The folded encounter as one ciphertext under the patient's data key. */
export const sealChart = (
  cipher: SubjectCipher,
  encounterId: string,
  version: number,
  state: EncounterState,
): string => cipher.encrypt(chartField(encounterId, version), JSON.stringify(state));

/** The folded encounter back; throws CIPHERTEXT_INVALID for another encounter's, version's or patient's. */
export const openChart = (
  cipher: SubjectCipher,
  encounterId: string,
  version: number,
  sealed: string,
): EncounterState => JSON.parse(cipher.decrypt(chartField(encounterId, version), sealed)) as EncounterState;
