import { describe, it } from 'vitest';
import { deciderSpec } from '@medspa/testing';
import {
  chartSigned,
  examRecorded,
  neurotoxin,
  noteRecorded,
  opened,
  productUsed,
} from '../test-fixtures/encounter.js';
import { ids } from '../test-fixtures/ids.js';
import { encounterDecider, type EncounterCommand } from './decide.js';

const spec = deciderSpec(encounterDecider);
const base = { encounterId: ids.encounter, patientId: ids.patient };
const sign = {
  type: 'SignChart',
  providerId: ids.provider,
  goodFaithExamRequired: true,
  at: ids.at(19),
} as const;
const signedChart = [opened, examRecorded, productUsed, noteRecorded, chartSigned];
const addendum = {
  type: 'SignAddendum',
  addendumId: ids.addendum,
  authorId: ids.provider,
  text: 'Patient called: mild bruising at left crow feet, resolved.',
  at: ids.at(10, '2025-06-05'),
} as const;

describe('Encounter: signing locks the chart; addenda only after', () => {
  it("signs a complete chart as the encounter's provider", () => {
    spec.given([opened, examRecorded, productUsed, noteRecorded]).when(sign).then([chartSigned]);
  });

  it('refuses a signature by another provider', () => {
    spec
      .given([opened, examRecorded, noteRecorded])
      .when({ ...sign, providerId: ids.otherProvider })
      .thenThrows('SIGNER_NOT_ENCOUNTER_PROVIDER');
  });

  it('needs a treatment note, and an approving exam where the law asks for one', () => {
    spec.given([opened, examRecorded]).when(sign).thenThrows('TREATMENT_NOTE_REQUIRED');
    spec.given([opened, noteRecorded]).when(sign).thenThrows('GOOD_FAITH_EXAM_REQUIRED');
    spec
      .given([opened, noteRecorded])
      .when({ ...sign, goodFaithExamRequired: false })
      .then([chartSigned]);
  });

  const changes: EncounterCommand[] = [
    {
      type: 'RecordTreatmentNote',
      noteId: ids.addendum,
      authorId: ids.provider,
      text: 'Late note',
      at: ids.at(20),
    },
    {
      type: 'ReviseTreatmentNote',
      noteId: ids.note,
      revisedBy: ids.provider,
      text: 'Changed',
      at: ids.at(20),
    },
    { type: 'RecordProductUse', productUseId: ids.productUse2, productUse: neurotoxin, at: ids.at(20) },
    { type: 'RemoveProductUse', productUseId: ids.productUse, at: ids.at(20) },
    {
      type: 'AttachPhoto',
      photoId: ids.photo,
      photo: { kind: 'after', objectKey: 'photos/a.jpg', contentType: 'image/jpeg' },
      at: ids.at(20),
    },
    sign,
  ];
  it.each(changes.map((c) => [c.type, c] as const))(
    'refuses %s on a signed chart with CHART_LOCKED',
    (_t, command) => {
      spec.given(signedChart).when(command).thenThrows('CHART_LOCKED');
    },
  );

  it('adds a signed addendum to a signed chart', () => {
    spec
      .given(signedChart)
      .when(addendum)
      .then([
        {
          type: 'AddendumSigned',
          data: {
            ...base,
            addendumId: ids.addendum,
            authorId: ids.provider,
            text: addendum.text,
            at: addendum.at,
          },
        },
      ]);
  });

  it('refuses an addendum before the chart is signed, and the same addendum twice', () => {
    spec.given([opened, noteRecorded]).when(addendum).thenThrows('CHART_NOT_SIGNED');
    const added = {
      type: 'AddendumSigned' as const,
      data: {
        ...base,
        addendumId: ids.addendum,
        authorId: ids.provider,
        text: addendum.text,
        at: addendum.at,
      },
    };
    spec
      .given([...signedChart, added])
      .when(addendum)
      .thenThrows('ENTRY_ALREADY_RECORDED');
  });
});
