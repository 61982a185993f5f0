import type { PatientRecordServiceService } from '@medspa/contracts/medspa.patient_record.v1';
import { errors } from '@medspa/errors';
import type { ServiceHandlers } from '@medspa/grpc';
import type { AppDeps } from '../../app/deps.js';
import { erasePatient, mergePatients } from '../../app/merge-and-erase.js';
import {
  changeCommunicationConsent,
  changeContactDetails,
  changeDemographics,
  registerPatient,
} from '../../app/patient-commands.js';
import { getPatient, getPatientAsOf } from '../../app/patient-queries.js';
import { searchPatients } from '../../app/search-patients.js';
import type { ConsentSource } from '../../domain/index.js';
import { fromProto } from '../proto-enums.js';
import { requestContextOf, required } from './call.js';
import {
  contactFromProto,
  demographicsFromProto,
  patientRecordToProto,
  personNameToProto,
} from './patient-mapping.js';

type Service = typeof PatientRecordServiceService;
type PatientMethods =
  | 'registerPatient'
  | 'changeContactDetails'
  | 'grantCommunicationConsent'
  | 'revokeCommunicationConsent'
  | 'getPatient'
  | 'searchPatients'
  | 'getPatientAsOf'
  | 'changeDemographics'
  | 'mergePatients'
  | 'erasePatient';

export function asOfFromProto(asOf: Date | undefined): Date {
  const at = required(asOf, 'asOf');
  if (Number.isNaN(at.getTime())) {
    throw errors.validation('INVALID_INSTANT', 'asOf must be an instant', {
      violations: [{ field: 'asOf', message: 'must be an instant' }],
    });
  }
  return at;
}

/** Demographics, contact details, consents, search and the compliance replay. */
export function patientHandlers(deps: AppDeps): Pick<ServiceHandlers<Service>, PatientMethods> {
  const consent =
    (grant: boolean) =>
    async (
      r: { patientId: string; channel: number; source: number },
      call: Parameters<ServiceHandlers<Service>['getPatient']>[1],
    ) => {
      await changeCommunicationConsent(deps, requestContextOf(call), {
        patientId: r.patientId,
        channel: fromProto.channel(r.channel),
        // contact_changed is the service's own source; callers cannot claim it (the domain refuses it).
        source: fromProto.source(r.source) as ConsentSource,
        grant,
      });
      return {};
    };
  return {
    async registerPatient(r, call) {
      const patientId = await registerPatient(deps, requestContextOf(call), {
        demographics: demographicsFromProto(r.demographics),
        contact: contactFromProto(r.contact),
      });
      return { patientId };
    },
    async changeContactDetails(r, call) {
      await changeContactDetails(deps, requestContextOf(call), r.patientId, contactFromProto(r.contact));
      return {};
    },
    async changeDemographics(r, call) {
      const demographics = demographicsFromProto(r.demographics);
      await changeDemographics(deps, requestContextOf(call), r.patientId, demographics);
      return {};
    },
    async mergePatients(r, call) {
      await mergePatients(deps, requestContextOf(call), {
        survivorPatientId: r.survivorPatientId,
        duplicatePatientId: r.duplicatePatientId,
      });
      return {};
    },
    async erasePatient(r, call) {
      await erasePatient(deps, requestContextOf(call), r.patientId);
      return {};
    },
    grantCommunicationConsent: consent(true),
    revokeCommunicationConsent: consent(false),
    async getPatient(r, call) {
      return { patient: patientRecordToProto(await getPatient(deps, requestContextOf(call), r.patientId)) };
    },
    async getPatientAsOf(r, call) {
      const view = await getPatientAsOf(deps, requestContextOf(call), r.patientId, asOfFromProto(r.asOf));
      return { patient: patientRecordToProto(view) };
    },
    async searchPatients(r, call) {
      const found = await searchPatients(deps, requestContextOf(call), {
        namePrefix: r.namePrefix,
        phone: r.phone,
        dateOfBirth: r.dateOfBirth,
        pageSize: r.pageSize,
        pageToken: r.pageToken,
      });
      return {
        patients: found.patients.map((p) => ({
          patientId: p.patientId,
          name: personNameToProto(p.name),
          dateOfBirth: p.dateOfBirth,
          phone: p.phone ?? '',
        })),
        nextPageToken: found.nextPageToken,
      };
    },
  };
}
