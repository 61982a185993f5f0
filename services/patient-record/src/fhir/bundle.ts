import { errors } from '@medspa/errors';
import type { Bundle, BundleEntry, Patient as FhirPatient, Resource } from '@medplum/fhirtypes';
import { isInstant } from '../domain/shared/time.js';
import { toFhirConsent, type ExportableConsentDocument } from './consent.js';
import { toFhirAllergyIntolerance, toFhirMedicationStatement } from './clinical-lists.js';
import { toFhirEncounter, type ExportableEncounter } from './encounter.js';
import { toFhirGoodFaithExam } from './observation.js';
import { toFhirPatient, type ExportablePatient } from './patient.js';
import { toFhirProcedures } from './procedure.js';
import { inBundle } from './references.js';

/** A Patient's record as the handler folded it from the streams: the input of the export. */
export interface PatientRecordForExport {
  patient: ExportablePatient;
  /** Signed and unsigned; an unsigned chart exports as in progress. */
  encounters: ExportableEncounter[];
  consentDocuments: ExportableConsentDocument[];
}

/**
 * The record as a FHIR R4 Bundle of type `collection`. Not `document`: a document Bundle is one
 * attested composition (a Composition first, sections, one author and attester), whereas this is
 * a set of resources gathered on request across many encounters, each chart signed on its own
 * (the signatures are in the log and in each Procedure's status). `exportedAt` is the Bundle's
 * timestamp, passed in because the export, like the domain, reads no clock.
 */
export function exportPatientRecord(record: PatientRecordForExport, options: { exportedAt: string }): Bundle {
  if (!isInstant(options.exportedAt)) {
    throw errors.validation('INVALID_INSTANT', 'exportedAt must be a UTC instant', {
      violations: [{ field: 'exportedAt', message: 'must be a UTC instant' }],
    });
  }
  const p = record.patient.patient;
  guardOnePerson(record);
  const subject = inBundle<FhirPatient>(p.patientId);
  const resources: Resource[] = [
    toFhirPatient(record.patient),
    ...p.allergies.map((a) => toFhirAllergyIntolerance(a, subject)),
    ...p.medications.map((m) => toFhirMedicationStatement(m, subject)),
    ...record.consentDocuments.map((d) => toFhirConsent(d, subject)),
    ...record.encounters.flatMap((e) => [
      toFhirEncounter(e, subject),
      ...toFhirProcedures(e, subject),
      ...(e.chart.goodFaithExam !== undefined
        ? [toFhirGoodFaithExam(e.chart.goodFaithExam, e.chart, subject)]
        : []),
    ]),
  ];
  return {
    resourceType: 'Bundle',
    type: 'collection',
    timestamp: options.exportedAt,
    entry: resources.map((resource): BundleEntry => ({ fullUrl: `urn:uuid:${resource.id}`, resource })),
  };
}

/**
 * Every chart and consent must belong to this Patient or to a duplicate merged into it (whose
 * streams keep the duplicate's id): anything else is a handler bug that would disclose another
 * person's record, so the export refuses rather than filters.
 */
function guardOnePerson(record: PatientRecordForExport): void {
  const p = record.patient.patient;
  const owners = new Set([p.patientId, ...p.mergedFrom.map((m) => m.patientId)]);
  const strangers = [
    ...record.encounters.map((e) => e.chart.patientId),
    ...record.consentDocuments.map((d) => d.document.patientId),
  ].filter((id) => !owners.has(id));
  if (strangers.length > 0) {
    throw errors.internal('EXPORT_RECORD_MISMATCH', 'The record holds entries of another patient');
  }
}
