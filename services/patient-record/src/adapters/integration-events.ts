import {
  AddendumSigned,
  ChartEntryKind,
  ChartEntryRecorded,
  ChartSigned,
  ClinicalListChange,
  CommunicationConsentChanged,
  ConsentDocumentChange,
  ConsentDocumentChanged,
  EncounterOpened,
  IntakeFormChange,
  IntakeFormChanged,
  IntakeFormTemplateChange,
  IntakeFormTemplateChanged,
  PatientClinicalListChanged,
  PatientContactDetailsChanged,
  PatientDemographicsChanged,
  PatientErased,
  PatientMerged,
  PatientRegistered,
} from '@medspa/contracts/medspa.patient_record.v1';
import { createOutboxMapper, integrationEvent, type IntegrationEventMapping } from '@medspa/messaging';
import type { PatientRecordEvent } from '../domain/index.js';
import { toProto } from './proto-enums.js';

export const SERVICE_NAME = 'patient-record';
const PKG = 'medspa.patient_record.v1';
const at = (iso: string): Date => new Date(iso);

const chartEntry = (
  d: { encounterId: string; patientId: string; at: string },
  entryId: string,
  kind: ChartEntryKind,
) =>
  integrationEvent(`${PKG}.ChartEntryRecorded`, ChartEntryRecorded, {
    encounterId: d.encounterId,
    patientId: d.patientId,
    entryId,
    kind,
    recordedAt: at(d.at),
  });

const clinicalList = (d: { patientId: string; at: string }, entryId: string, change: ClinicalListChange) =>
  integrationEvent(`${PKG}.PatientClinicalListChanged`, PatientClinicalListChanged, {
    patientId: d.patientId,
    entryId,
    change,
    changedAt: at(d.at),
  });

/**
 * THE mapping of patient-record's domain events to integration events: ids, codes and instants
 * only. The PHI fields of each event (phi-fields.ts) are never read here.
 */
export const patientRecordIntegrationEvent: IntegrationEventMapping<PatientRecordEvent> = ({ event }) => {
  switch (event.type) {
    case 'PatientRegistered':
      return integrationEvent(`${PKG}.PatientRegistered`, PatientRegistered, {
        patientId: event.data.patientId,
        registeredAt: at(event.data.at),
      });
    case 'PatientDemographicsChanged':
      return integrationEvent(`${PKG}.PatientDemographicsChanged`, PatientDemographicsChanged, {
        patientId: event.data.patientId,
        changedAt: at(event.data.at),
      });
    case 'PatientContactDetailsChanged':
      return integrationEvent(`${PKG}.PatientContactDetailsChanged`, PatientContactDetailsChanged, {
        patientId: event.data.patientId,
        changedAt: at(event.data.at),
      });
    case 'CommunicationConsentGranted':
    case 'CommunicationConsentRevoked':
      return integrationEvent(`${PKG}.CommunicationConsentChanged`, CommunicationConsentChanged, {
        patientId: event.data.patientId,
        channel: toProto.channel(event.data.channel),
        granted: event.type === 'CommunicationConsentGranted',
        source: toProto.source(event.data.source),
        changedAt: at(event.data.at),
      });
    case 'AllergyRecorded':
      return clinicalList(
        event.data,
        event.data.allergyId,
        ClinicalListChange.CLINICAL_LIST_CHANGE_ALLERGY_RECORDED,
      );
    case 'AllergyResolved':
      return clinicalList(
        event.data,
        event.data.allergyId,
        ClinicalListChange.CLINICAL_LIST_CHANGE_ALLERGY_RESOLVED,
      );
    case 'MedicationRecorded':
      return clinicalList(
        event.data,
        event.data.medicationId,
        ClinicalListChange.CLINICAL_LIST_CHANGE_MEDICATION_RECORDED,
      );
    case 'MedicationStopped':
      return clinicalList(
        event.data,
        event.data.medicationId,
        ClinicalListChange.CLINICAL_LIST_CHANGE_MEDICATION_STOPPED,
      );
    case 'PatientMerged':
      return integrationEvent(`${PKG}.PatientMerged`, PatientMerged, {
        survivorPatientId: event.data.patientId,
        duplicatePatientId: event.data.duplicatePatientId,
        mergedBy: event.data.mergedBy,
        mergedAt: at(event.data.at),
      });
    case 'PatientMergedInto':
      return integrationEvent(`${PKG}.PatientMerged`, PatientMerged, {
        survivorPatientId: event.data.survivorPatientId,
        duplicatePatientId: event.data.patientId,
        mergedBy: event.data.mergedBy,
        mergedAt: at(event.data.at),
      });
    case 'PatientErased':
      return integrationEvent(`${PKG}.PatientErased`, PatientErased, {
        patientId: event.data.patientId,
        erasedBy: event.data.erasedBy,
        erasedAt: at(event.data.at),
      });
    case 'EncounterOpened':
      return integrationEvent(`${PKG}.EncounterOpened`, EncounterOpened, {
        encounterId: event.data.encounterId,
        patientId: event.data.patientId,
        providerId: event.data.providerId,
        locationId: event.data.locationId,
        appointmentId: event.data.appointmentId ?? '',
        openedAt: at(event.data.at),
      });
    case 'TreatmentNoteRecorded':
      return chartEntry(event.data, event.data.noteId, ChartEntryKind.CHART_ENTRY_KIND_NOTE_RECORDED);
    case 'TreatmentNoteRevised':
      return chartEntry(event.data, event.data.noteId, ChartEntryKind.CHART_ENTRY_KIND_NOTE_REVISED);
    case 'ProductUsed':
      return chartEntry(event.data, event.data.productUseId, ChartEntryKind.CHART_ENTRY_KIND_PRODUCT_USED);
    case 'ProductUseRemoved':
      return chartEntry(
        event.data,
        event.data.productUseId,
        ChartEntryKind.CHART_ENTRY_KIND_PRODUCT_USE_REMOVED,
      );
    case 'PhotoAttached':
      return chartEntry(event.data, event.data.photoId, ChartEntryKind.CHART_ENTRY_KIND_PHOTO_ATTACHED);
    case 'GoodFaithExamRecorded':
      return chartEntry(
        event.data,
        event.data.examId,
        ChartEntryKind.CHART_ENTRY_KIND_GOOD_FAITH_EXAM_RECORDED,
      );
    case 'ChartSigned':
      return integrationEvent(`${PKG}.ChartSigned`, ChartSigned, {
        encounterId: event.data.encounterId,
        patientId: event.data.patientId,
        providerId: event.data.providerId,
        signedAt: at(event.data.at),
      });
    case 'AddendumSigned':
      return integrationEvent(`${PKG}.AddendumSigned`, AddendumSigned, {
        encounterId: event.data.encounterId,
        patientId: event.data.patientId,
        addendumId: event.data.addendumId,
        authorId: event.data.authorId,
        signedAt: at(event.data.at),
      });
    case 'ConsentDocumentSigned':
    case 'ConsentDocumentWithdrawn':
      return integrationEvent(`${PKG}.ConsentDocumentChanged`, ConsentDocumentChanged, {
        consentDocumentId: event.data.consentDocumentId,
        patientId: event.data.patientId,
        change:
          event.type === 'ConsentDocumentSigned'
            ? ConsentDocumentChange.CONSENT_DOCUMENT_CHANGE_SIGNED
            : ConsentDocumentChange.CONSENT_DOCUMENT_CHANGE_WITHDRAWN,
        changedAt: at(event.data.at),
      });
    case 'IntakeFormTemplateVersionPublished':
    case 'IntakeFormTemplateRetired':
      return integrationEvent(`${PKG}.IntakeFormTemplateChanged`, IntakeFormTemplateChanged, {
        templateId: event.data.templateId,
        change:
          event.type === 'IntakeFormTemplateVersionPublished'
            ? IntakeFormTemplateChange.INTAKE_FORM_TEMPLATE_CHANGE_VERSION_PUBLISHED
            : IntakeFormTemplateChange.INTAKE_FORM_TEMPLATE_CHANGE_RETIRED,
        changedAt: at(event.data.at),
      });
    case 'IntakeFormSubmitted':
    case 'IntakeFormReviewed':
      return integrationEvent(`${PKG}.IntakeFormChanged`, IntakeFormChanged, {
        intakeFormId: event.data.intakeFormId,
        patientId: event.data.patientId,
        change:
          event.type === 'IntakeFormSubmitted'
            ? IntakeFormChange.INTAKE_FORM_CHANGE_SUBMITTED
            : IntakeFormChange.INTAKE_FORM_CHANGE_REVIEWED,
        changedAt: at(event.data.at),
      });
    default: {
      const _exhaustive: never = event;
      throw new Error('unmapped patient-record event');
    }
  }
};

/** The event store's `toOutbox` for patient-record. */
export const patientRecordOutbox = (topicPrefix = '') =>
  createOutboxMapper<PatientRecordEvent>({
    service: SERVICE_NAME,
    topicPrefix,
    map: patientRecordIntegrationEvent,
  });
