import type { PatientRecordServiceService } from '@medspa/contracts/medspa.patient_record.v1';
import type { ServiceHandlers } from '@medspa/grpc';
import type { AppDeps } from '../../app/deps.js';
import {
  openEncounter,
  recordProductUse,
  recordTreatmentNote,
  signAddendum,
  signChart,
} from '../../app/encounter-commands.js';
import { getEncounter, getEncounterAsOf, listEncounters } from '../../app/encounter-queries.js';
import { exportPatientFhir } from '../../app/fhir-export.js';
import { optional, requestContextOf } from './call.js';
import { encounterToProto, productUseFromProto } from './encounter-mapping.js';
import { asOfFromProto } from './patient-handlers.js';

type Service = typeof PatientRecordServiceService;
type EncounterMethods =
  | 'openEncounter'
  | 'recordTreatmentNote'
  | 'recordProductUse'
  | 'signChart'
  | 'signAddendum'
  | 'getEncounter'
  | 'getEncounterAsOf'
  | 'listEncounters'
  | 'exportPatientFhir';

/** Charting: encounters, notes, products with lots, signing and addenda; and the FHIR export. */
export function encounterHandlers(deps: AppDeps): Pick<ServiceHandlers<Service>, EncounterMethods> {
  return {
    async openEncounter(r, call) {
      const providerId = optional(r.providerId);
      const appointmentId = optional(r.appointmentId);
      const encounterId = await openEncounter(deps, requestContextOf(call), {
        patientId: r.patientId,
        opening: {
          ...(providerId !== undefined ? { providerId } : {}),
          locationId: r.locationId,
          timeZone: r.timeZone,
          ...(appointmentId !== undefined ? { appointmentId } : {}),
          serviceName: r.serviceName,
        },
      });
      return { encounterId };
    },
    async recordTreatmentNote(r, call) {
      return { noteId: await recordTreatmentNote(deps, requestContextOf(call), r.encounterId, r.text) };
    },
    async recordProductUse(r, call) {
      const use = productUseFromProto(r);
      return { productUseId: await recordProductUse(deps, requestContextOf(call), r.encounterId, use) };
    },
    async signChart(r, call) {
      await signChart(deps, requestContextOf(call), r.encounterId);
      return {};
    },
    async signAddendum(r, call) {
      return { addendumId: await signAddendum(deps, requestContextOf(call), r.encounterId, r.text) };
    },
    async getEncounter(r, call) {
      return { encounter: encounterToProto(await getEncounter(deps, requestContextOf(call), r.encounterId)) };
    },
    async listEncounters(r, call) {
      const encounters = await listEncounters(deps, requestContextOf(call), r.patientId);
      return { encounters: encounters.map(encounterToProto) };
    },
    async getEncounterAsOf(r, call) {
      const state = await getEncounterAsOf(
        deps,
        requestContextOf(call),
        r.encounterId,
        asOfFromProto(r.asOf),
      );
      return { encounter: encounterToProto(state) };
    },
    async exportPatientFhir(r, call) {
      return { bundleJson: await exportPatientFhir(deps, requestContextOf(call), r.patientId) };
    },
  };
}
