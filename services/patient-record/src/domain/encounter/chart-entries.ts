import { errors } from '@medspa/errors';
import { checkId, checkObjectKey, checkText } from '../shared/text.js';
import { localDateOf } from '../shared/time.js';
import { Violations } from '../shared/violations.js';
import { checkGoodFaithExam, normaliseGoodFaithExam, type GoodFaithExamDetails } from './good-faith-exam.js';
import { PHOTO_CONTENT_TYPES, type Chart, type EncounterEvent, type PhotoReference } from './encounter.js';
import { checkProductUse, normaliseProductUse, type ProductUseDetails } from './products.js';

export type RecordTreatmentNote = {
  type: 'RecordTreatmentNote';
  noteId: string;
  authorId: string;
  text: string;
  at: string;
};
export type ReviseTreatmentNote = {
  type: 'ReviseTreatmentNote';
  noteId: string;
  revisedBy: string;
  text: string;
  at: string;
};
export type RecordProductUse = {
  type: 'RecordProductUse';
  productUseId: string;
  productUse: ProductUseDetails;
  at: string;
};
export type RemoveProductUse = { type: 'RemoveProductUse'; productUseId: string; at: string };
export type AttachPhoto = { type: 'AttachPhoto'; photoId: string; photo: PhotoReference; at: string };
export type RecordGoodFaithExam = {
  type: 'RecordGoodFaithExam';
  examId: string;
  exam: GoodFaithExamDetails;
  at: string;
};

/** Commands that add to or correct an unsigned chart. */
export type ChartEntryCommand =
  | RecordTreatmentNote
  | ReviseTreatmentNote
  | RecordProductUse
  | RemoveProductUse
  | AttachPhoto
  | RecordGoodFaithExam;

export const MAX_NOTE_LENGTH = 20_000;

const alreadyRecorded = () =>
  errors.conflict('ENTRY_ALREADY_RECORDED', 'An entry with this id is already on the chart');

/** Decides a chart entry on an open (unsigned) chart. */
export function decideChartEntry(command: ChartEntryCommand, c: Chart): EncounterEvent[] {
  const base = { encounterId: c.encounterId, patientId: c.patientId, at: command.at };
  const v = new Violations();
  switch (command.type) {
    case 'RecordTreatmentNote': {
      checkId(v, command.noteId, 'noteId');
      checkId(v, command.authorId, 'authorId');
      checkText(v, command.text, 'text', { max: MAX_NOTE_LENGTH, reason: 'INVALID_NOTE' });
      v.throwIfAny('The note is invalid');
      if (c.notes.some((n) => n.noteId === command.noteId)) throw alreadyRecorded();
      const { noteId, authorId } = command;
      return [
        { type: 'TreatmentNoteRecorded', data: { ...base, noteId, authorId, text: command.text.trim() } },
      ];
    }
    case 'ReviseTreatmentNote': {
      checkId(v, command.revisedBy, 'revisedBy');
      checkText(v, command.text, 'text', { max: MAX_NOTE_LENGTH, reason: 'INVALID_NOTE' });
      v.throwIfAny('The note is invalid');
      const note = c.notes.find((n) => n.noteId === command.noteId);
      if (note === undefined) throw errors.notFound('NOTE_NOT_FOUND', 'Note not found');
      const text = command.text.trim();
      if (note.text === text) return [];
      return [
        {
          type: 'TreatmentNoteRevised',
          data: { ...base, noteId: note.noteId, revisedBy: command.revisedBy, text },
        },
      ];
    }
    case 'RecordProductUse': {
      checkId(v, command.productUseId, 'productUseId');
      checkProductUse(v, command.productUse, localDateOf(command.at, c.timeZone));
      v.throwIfAny('The product use is invalid');
      if (c.productUses.some((u) => u.productUseId === command.productUseId)) throw alreadyRecorded();
      if (c.goodFaithExam?.outcome === 'not_approved') {
        throw errors.precondition('TREATMENT_NOT_APPROVED', 'The good-faith exam did not approve treatment');
      }
      const use = normaliseProductUse(command.productUse);
      return [{ type: 'ProductUsed', data: { ...base, productUseId: command.productUseId, ...use } }];
    }
    case 'RemoveProductUse':
      if (!c.productUses.some((u) => u.productUseId === command.productUseId)) {
        throw errors.notFound('PRODUCT_USE_NOT_FOUND', 'Product use not found');
      }
      return [{ type: 'ProductUseRemoved', data: { ...base, productUseId: command.productUseId } }];
    case 'AttachPhoto': {
      checkId(v, command.photoId, 'photoId');
      checkObjectKey(v, command.photo.objectKey, 'photo.objectKey');
      if (command.photo.kind !== 'before' && command.photo.kind !== 'after') {
        v.add('INVALID_PHOTO', 'photo.kind', 'must be before or after');
      }
      if (!PHOTO_CONTENT_TYPES.includes(command.photo.contentType)) {
        v.add('INVALID_PHOTO', 'photo.contentType', `must be one of ${PHOTO_CONTENT_TYPES.join(', ')}`);
      }
      v.throwIfAny('The photo reference is invalid');
      if (c.photos.some((p) => p.photoId === command.photoId)) throw alreadyRecorded();
      const { kind, objectKey, contentType } = command.photo;
      return [
        { type: 'PhotoAttached', data: { ...base, photoId: command.photoId, kind, objectKey, contentType } },
      ];
    }
    case 'RecordGoodFaithExam': {
      checkId(v, command.examId, 'examId');
      checkGoodFaithExam(v, command.exam);
      v.throwIfAny('The good-faith exam is invalid');
      if (c.goodFaithExam !== undefined) {
        throw errors.conflict(
          'GOOD_FAITH_EXAM_ALREADY_RECORDED',
          'This encounter already has a good-faith exam',
        );
      }
      const exam = normaliseGoodFaithExam(command.exam);
      return [{ type: 'GoodFaithExamRecorded', data: { ...base, examId: command.examId, ...exam } }];
    }
    default: {
      const _exhaustive: never = command;
      return [];
    }
  }
}
