import type { ChartSigned, EncounterEvent, EncounterOpened, ProductUsed } from '../encounter/encounter.js';
import type { ProductUseDetails } from '../encounter/products.js';
import { ids } from './ids.js';

const base = { encounterId: ids.encounter, patientId: ids.patient };

export const opened: EncounterOpened = {
  type: 'EncounterOpened',
  data: {
    ...base,
    providerId: ids.provider,
    locationId: ids.location,
    timeZone: 'America/Los_Angeles',
    appointmentId: ids.appointment,
    serviceName: 'Neurotoxin, upper face',
    at: ids.at(17),
  },
};

export const neurotoxin: ProductUseDetails = {
  product: { name: 'Botox Cosmetic', category: 'neurotoxin', manufacturer: 'Allergan' },
  lotNumber: 'C1234A',
  expiresOn: '2026-04',
  quantity: { value: 40, unit: 'U' },
  injections: [
    { site: 'glabella', amount: 20 },
    { site: 'forehead', amount: 10, point: { x: 0.5, y: 0.2 } },
    { site: 'crow_feet_left', amount: 5 },
    { site: 'crow_feet_right', amount: 5 },
  ],
};

export const productUsed: ProductUsed = {
  type: 'ProductUsed',
  data: { ...base, productUseId: ids.productUse, ...neurotoxin, at: ids.at(17) },
};

export const noteRecorded: EncounterEvent = {
  type: 'TreatmentNoteRecorded',
  data: {
    ...base,
    noteId: ids.note,
    authorId: ids.provider,
    text: 'Consent reviewed. Glabella and forehead treated; tolerated well.',
    at: ids.at(18),
  },
};

export const examRecorded: EncounterEvent = {
  type: 'GoodFaithExamRecorded',
  data: {
    ...base,
    examId: ids.exam,
    examinerId: ids.otherProvider,
    examinerName: 'Dr. Lee Park',
    examinerCredentials: 'MD',
    modality: 'telehealth',
    findings: 'Dynamic glabellar lines; no contraindications.',
    outcome: 'approved',
    approvedTreatments: ['Neurotoxin to glabella, forehead and lateral canthal lines'],
    at: ids.at(16),
  },
};

export const chartSigned: ChartSigned = {
  type: 'ChartSigned',
  data: { ...base, providerId: ids.provider, at: ids.at(19) },
};
