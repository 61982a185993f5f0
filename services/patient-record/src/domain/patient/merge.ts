import { errors } from '@medspa/errors';
import { checkId } from '../shared/text.js';
import { Violations } from '../shared/violations.js';
import type { PatientEvent, PatientState } from './patient.js';

/**
 * Merging is two commands on two streams, issued by one process: the survivor records what it
 * absorbed, the duplicate records where it went. Neither stream's past is rewritten, so each
 * record can still be replayed as it stood before the merge.
 */
export type MergePatient = { type: 'MergePatient'; duplicatePatientId: string; mergedBy: string; at: string };
export type MarkPatientMergedInto = {
  type: 'MarkPatientMergedInto';
  survivorPatientId: string;
  mergedBy: string;
  at: string;
};

type Registered = Exclude<PatientState, { status: 'unregistered' }>;

export function decideMerge(
  command: MergePatient | MarkPatientMergedInto,
  state: Registered,
): PatientEvent[] {
  const { patientId } = state.patient;
  const { mergedBy, at } = command;
  const other = command.type === 'MergePatient' ? command.duplicatePatientId : command.survivorPatientId;
  const v = new Violations();
  checkId(v, other, command.type === 'MergePatient' ? 'duplicatePatientId' : 'survivorPatientId');
  checkId(v, mergedBy, 'mergedBy');
  v.throwIfAny('The merge is invalid');
  if (other === patientId)
    throw errors.validation('CANNOT_MERGE_INTO_SELF', 'A patient cannot be merged with itself');
  switch (command.type) {
    case 'MergePatient':
      if (state.status === 'merged') {
        throw errors.precondition('PATIENT_MERGED', 'A merged record cannot absorb another');
      }
      if (state.patient.mergedFrom.some((m) => m.patientId === other)) return [];
      return [{ type: 'PatientMerged', data: { patientId, duplicatePatientId: other, mergedBy, at } }];
    case 'MarkPatientMergedInto':
      if (state.status === 'merged') {
        if (state.mergedInto.patientId === other) return [];
        throw errors.precondition('PATIENT_MERGED', 'This record was already merged into another');
      }
      return [{ type: 'PatientMergedInto', data: { patientId, survivorPatientId: other, mergedBy, at } }];
    default: {
      const _exhaustive: never = command;
      return [];
    }
  }
}
