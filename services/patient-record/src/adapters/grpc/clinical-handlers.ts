import type { PatientRecordServiceService } from '@medspa/contracts/medspa.patient_record.v1';
import type { ServiceHandlers } from '@medspa/grpc';
import {
  recordAllergy,
  recordMedication,
  resolveAllergy,
  stopMedication,
} from '../../app/clinical-list-commands.js';
import { getClinicalLists } from '../../app/clinical-queries.js';
import type { AppDeps } from '../../app/deps.js';
import { attachPhoto, recordGoodFaithExam } from '../../app/encounter-commands.js';
import { INJECTION_SITES, type PhotoContentType } from '../../domain/index.js';
import { photoKind } from '../proto-codes.js';
import { requestContextOf } from './call.js';
import {
  allergyFromProto,
  allergyToProto,
  examFromProto,
  medicationFromProto,
  medicationToProto,
} from './clinical-mapping.js';

type Service = typeof PatientRecordServiceService;
type ClinicalMethods =
  | 'recordAllergy'
  | 'resolveAllergy'
  | 'recordMedication'
  | 'stopMedication'
  | 'getClinicalLists'
  | 'attachPhoto'
  | 'recordGoodFaithExam'
  | 'listInjectionSites';

// The code system is public reference data (no PHI): computed once.
const sites = INJECTION_SITES.map((s) => ({ code: s.code, display: s.display, region: s.region }));

/** Allergies, medications, photos, the good-faith exam and the injection-site codes. */
export function clinicalHandlers(deps: AppDeps): Pick<ServiceHandlers<Service>, ClinicalMethods> {
  return {
    async recordAllergy(r, call) {
      const allergy = allergyFromProto(r);
      return { allergyId: await recordAllergy(deps, requestContextOf(call), r.patientId, allergy) };
    },
    async resolveAllergy(r, call) {
      await resolveAllergy(deps, requestContextOf(call), r.patientId, r.allergyId);
      return {};
    },
    async recordMedication(r, call) {
      const medication = medicationFromProto(r);
      return { medicationId: await recordMedication(deps, requestContextOf(call), r.patientId, medication) };
    },
    async stopMedication(r, call) {
      await stopMedication(deps, requestContextOf(call), r.patientId, r.medicationId);
      return {};
    },
    async getClinicalLists(r, call) {
      const lists = await getClinicalLists(deps, requestContextOf(call), r.patientId);
      return {
        allergies: lists.allergies.map(allergyToProto),
        medications: lists.medications.map(medicationToProto),
      };
    },
    async attachPhoto(r, call) {
      const photoId = await attachPhoto(deps, requestContextOf(call), r.encounterId, {
        kind: photoKind.required(r.kind),
        objectKey: r.objectKey,
        // The domain checks the type against its list and names the field.
        contentType: r.contentType as PhotoContentType,
      });
      return { photoId };
    },
    async recordGoodFaithExam(r, call) {
      const exam = examFromProto(r.exam);
      return { examId: await recordGoodFaithExam(deps, requestContextOf(call), r.encounterId, exam) };
    },
    listInjectionSites() {
      return Promise.resolve({ sites });
    },
  };
}
