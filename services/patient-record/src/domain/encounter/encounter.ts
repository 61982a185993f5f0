import type { DomainEvent } from '@medspa/eventstore';
import type { PhiFields } from '../shared/phi.js';
import type { GoodFaithExamDetails } from './good-faith-exam.js';
import type { ProductUseDetails } from './products.js';

type Base = { encounterId: string; patientId: string; at: string };

export interface EncounterOpening {
  providerId: string;
  locationId: string;
  /** The location's IANA zone: the clinic's day decides whether a product has expired. */
  timeZone: string;
  appointmentId?: string;
  /** The service booked, in the clinic's words (`Neurotoxin, upper face`). */
  serviceName: string;
}

export type PhotoKind = 'before' | 'after';
export const PHOTO_CONTENT_TYPES = ['image/jpeg', 'image/png', 'image/heic', 'image/webp'] as const;
export type PhotoContentType = (typeof PHOTO_CONTENT_TYPES)[number];
export interface PhotoReference {
  kind: PhotoKind;
  /** Where the image lives in object storage; the bytes never enter an event. */
  objectKey: string;
  contentType: PhotoContentType;
}

export type EncounterOpened = DomainEvent<'EncounterOpened', Base & EncounterOpening>;
export type TreatmentNoteRecorded = DomainEvent<
  'TreatmentNoteRecorded',
  Base & { noteId: string; authorId: string; text: string }
>;
export type TreatmentNoteRevised = DomainEvent<
  'TreatmentNoteRevised',
  Base & { noteId: string; revisedBy: string; text: string }
>;
export type ProductUsed = DomainEvent<'ProductUsed', Base & { productUseId: string } & ProductUseDetails>;
/** A product use charted by mistake, taken out before signing. */
export type ProductUseRemoved = DomainEvent<'ProductUseRemoved', Base & { productUseId: string }>;
export type PhotoAttached = DomainEvent<'PhotoAttached', Base & { photoId: string } & PhotoReference>;
export type GoodFaithExamRecorded = DomainEvent<
  'GoodFaithExamRecorded',
  Base & { examId: string } & GoodFaithExamDetails
>;
/** The provider attests the chart; from here on it changes only by addenda. */
export type ChartSigned = DomainEvent<'ChartSigned', Base & { providerId: string }>;
/** A correction or late entry on a signed chart, signed by its author as it is added. */
export type AddendumSigned = DomainEvent<
  'AddendumSigned',
  Base & { addendumId: string; authorId: string; text: string }
>;

export type EncounterEvent =
  | EncounterOpened
  | TreatmentNoteRecorded
  | TreatmentNoteRevised
  | ProductUsed
  | ProductUseRemoved
  | PhotoAttached
  | GoodFaithExamRecorded
  | ChartSigned
  | AddendumSigned;

/** Which fields of each Encounter event are PHI (see PhiFields). */
export const encounterPhiFields: PhiFields<EncounterEvent> = {
  EncounterOpened: ['serviceName'],
  TreatmentNoteRecorded: ['text'],
  TreatmentNoteRevised: ['text'],
  ProductUsed: ['product', 'lotNumber', 'expiresOn', 'quantity', 'injections'],
  ProductUseRemoved: [],
  PhotoAttached: ['objectKey'],
  GoodFaithExamRecorded: ['findings', 'approvedTreatments'],
  ChartSigned: [],
  AddendumSigned: ['text'],
};

export interface TreatmentNote {
  noteId: string;
  authorId: string;
  text: string;
  at: string;
  revisedAt?: string;
}
export type ProductUse = ProductUseDetails & { productUseId: string; at: string };
export type Photo = PhotoReference & { photoId: string; at: string };
export type GoodFaithExam = GoodFaithExamDetails & { examId: string; at: string };
export interface Addendum {
  addendumId: string;
  authorId: string;
  text: string;
  at: string;
}

/** The chart of one Encounter: what was done, with what, where, and on whose approval. */
export interface Chart extends EncounterOpening {
  encounterId: string;
  patientId: string;
  openedAt: string;
  notes: TreatmentNote[];
  productUses: ProductUse[];
  photos: Photo[];
  goodFaithExam?: GoodFaithExam;
  addenda: Addendum[];
}

export type EncounterState =
  | { status: 'not_opened' }
  | { status: 'open'; chart: Chart }
  | { status: 'signed'; chart: Chart; signature: { providerId: string; at: string } };

export const initialEncounterState = (): EncounterState => ({ status: 'not_opened' });

export function evolveEncounter(state: EncounterState, event: EncounterEvent): EncounterState {
  if (event.type === 'EncounterOpened') {
    const { encounterId, patientId, at, ...opening } = event.data;
    const chart: Chart = {
      ...opening,
      encounterId,
      patientId,
      openedAt: at,
      notes: [],
      productUses: [],
      photos: [],
      addenda: [],
    };
    return { status: 'open', chart };
  }
  if (state.status === 'not_opened') return state;
  if (event.type === 'ChartSigned') {
    return {
      status: 'signed',
      chart: state.chart,
      signature: { providerId: event.data.providerId, at: event.data.at },
    };
  }
  return { ...state, chart: evolveChart(state.chart, event) };
}

function evolveChart(c: Chart, event: Exclude<EncounterEvent, EncounterOpened | ChartSigned>): Chart {
  switch (event.type) {
    case 'TreatmentNoteRecorded': {
      const { noteId, authorId, text, at } = event.data;
      return { ...c, notes: [...c.notes, { noteId, authorId, text, at }] };
    }
    case 'TreatmentNoteRevised': {
      const { noteId, text, at } = event.data;
      return { ...c, notes: c.notes.map((n) => (n.noteId === noteId ? { ...n, text, revisedAt: at } : n)) };
    }
    case 'ProductUsed': {
      const { encounterId: _e, patientId: _p, ...use } = event.data;
      return { ...c, productUses: [...c.productUses, use] };
    }
    case 'ProductUseRemoved':
      return { ...c, productUses: c.productUses.filter((u) => u.productUseId !== event.data.productUseId) };
    case 'PhotoAttached': {
      const { encounterId: _e, patientId: _p, ...photo } = event.data;
      return { ...c, photos: [...c.photos, photo] };
    }
    case 'GoodFaithExamRecorded': {
      const { encounterId: _e, patientId: _p, ...exam } = event.data;
      return { ...c, goodFaithExam: exam };
    }
    case 'AddendumSigned': {
      const { addendumId, authorId, text, at } = event.data;
      return { ...c, addenda: [...c.addenda, { addendumId, authorId, text, at }] };
    }
    default: {
      const _exhaustive: never = event;
      return c;
    }
  }
}
