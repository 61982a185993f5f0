import { describe, it } from 'vitest';
import { deciderSpec } from '@medspa/testing';
import { neurotoxin, noteRecorded, opened, productUsed } from '../test-fixtures/encounter.js';
import { ids } from '../test-fixtures/ids.js';
import { encounterDecider } from './decide.js';
import type { ProductUseDetails } from './products.js';

const spec = deciderSpec(encounterDecider);
const base = { encounterId: ids.encounter, patientId: ids.patient };
const use = (productUse: ProductUseDetails, at = ids.at(17)) =>
  ({ type: 'RecordProductUse', productUseId: ids.productUse, productUse, at }) as const;

describe('Encounter: charting products, lots and injection sites', () => {
  it('opens an encounter', () => {
    const { encounterId, patientId, at, ...opening } = opened.data;
    spec.given([]).when({ type: 'OpenEncounter', encounterId, patientId, opening, at }).then([opened]);
  });

  it('refuses a location time zone that does not exist', () => {
    const { encounterId, patientId, at, ...opening } = opened.data;
    spec
      .given([])
      .when({
        type: 'OpenEncounter',
        encounterId,
        patientId,
        opening: { ...opening, timeZone: 'Mars/Olympus' },
        at,
      })
      .thenThrows('INVALID_TIME_ZONE');
  });

  it('charts a neurotoxin with lot, expiry, units and sites', () => {
    spec.given([opened]).when(use(neurotoxin)).then([productUsed]);
  });

  it.each(['neurotoxin', 'filler'] as const)('requires a lot number for a %s', (category) => {
    const { lotNumber: _lot, ...noLot } = neurotoxin;
    spec
      .given([opened])
      .when(use({ ...noLot, product: { ...neurotoxin.product, category } }))
      .thenThrows('LOT_NUMBER_REQUIRED');
    spec
      .given([opened])
      .when(use({ ...neurotoxin, lotNumber: '  ' }))
      .thenThrows('LOT_NUMBER_REQUIRED');
  });

  it('requires an expiry for a filler, and refuses an expired one', () => {
    const filler: ProductUseDetails = {
      product: { name: 'Juvederm Ultra XC', category: 'filler' },
      lotNumber: 'V12345',
      quantity: { value: 1, unit: 'syringe' },
      injections: [{ site: 'lip_upper' }, { site: 'lip_lower' }],
    };
    spec.given([opened]).when(use(filler)).thenThrows('EXPIRY_DATE_REQUIRED');
    spec
      .given([opened])
      .when(use({ ...filler, expiresOn: '2025-05-31' }))
      .thenThrows('PRODUCT_EXPIRED');
    spec
      .given([opened])
      .when(use({ ...filler, expiresOn: '2025-05' }))
      .thenThrows('PRODUCT_EXPIRED');
  });

  it("judges expiry by the clinic's day, not the UTC day", () => {
    // 2025-06-01T05:00Z is still 31 May in Los Angeles: a product good through May may be used.
    spec
      .given([opened])
      .when(use({ ...neurotoxin, expiresOn: '2025-05-31' }, '2025-06-01T05:00:00Z'))
      .then([
        {
          ...productUsed,
          data: { ...productUsed.data, expiresOn: '2025-05-31', at: '2025-06-01T05:00:00Z' },
        },
      ]);
    spec
      .given([opened])
      .when(use({ ...neurotoxin, expiresOn: '2025-05-31' }, '2025-06-01T08:00:00Z'))
      .thenThrows('PRODUCT_EXPIRED');
  });

  it('lets other products go without a lot number', () => {
    const topical: ProductUseDetails = {
      product: { name: 'Topical lidocaine 23%', category: 'other' },
      quantity: { value: 1, unit: 'mL' },
      injections: [],
    };
    spec
      .given([opened])
      .when(use(topical))
      .then([
        { type: 'ProductUsed', data: { ...base, productUseId: ids.productUse, ...topical, at: ids.at(17) } },
      ]);
  });

  it('refuses a site code outside the code system', () => {
    spec
      .given([opened])
      .when(use({ ...neurotoxin, injections: [{ site: 'earlobe' as 'chin', amount: 2 }] }))
      .thenThrows('UNKNOWN_SITE_CODE');
  });

  it('refuses site amounts that add up to more than was used', () => {
    spec
      .given([opened])
      .when(use({ ...neurotoxin, quantity: { value: 20, unit: 'U' } }))
      .thenThrows('INJECTED_MORE_THAN_USED');
  });

  it('removes a product use charted by mistake', () => {
    spec
      .given([opened, productUsed])
      .when({ type: 'RemoveProductUse', productUseId: ids.productUse, at: ids.at(18) })
      .then([{ type: 'ProductUseRemoved', data: { ...base, productUseId: ids.productUse, at: ids.at(18) } }]);
  });

  it('refuses treatment the good-faith exam did not approve', () => {
    const refused = {
      type: 'GoodFaithExamRecorded' as const,
      data: {
        ...base,
        examId: ids.exam,
        examinerId: ids.otherProvider,
        examinerName: 'Dr. Lee Park',
        examinerCredentials: 'MD',
        modality: 'in_person' as const,
        findings: 'Active infection at the treatment site.',
        outcome: 'not_approved' as const,
        approvedTreatments: [],
        at: ids.at(16),
      },
    };
    spec.given([opened, refused]).when(use(neurotoxin)).thenThrows('TREATMENT_NOT_APPROVED');
  });

  it('references photos by object key and refuses anything else', () => {
    const photo = {
      kind: 'before',
      objectKey: `photos/${ids.photo}.jpg`,
      contentType: 'image/jpeg',
    } as const;
    spec
      .given([opened])
      .when({ type: 'AttachPhoto', photoId: ids.photo, photo, at: ids.at(17) })
      .then([{ type: 'PhotoAttached', data: { ...base, photoId: ids.photo, ...photo, at: ids.at(17) } }]);
    for (const objectKey of [
      'data:image/jpeg;base64,/9j/4AAQ',
      'https://x.example/p.jpg',
      '../secrets',
      '/abs',
    ]) {
      spec
        .given([opened])
        .when({ type: 'AttachPhoto', photoId: ids.photo, photo: { ...photo, objectKey }, at: ids.at(17) })
        .thenThrows('INVALID_OBJECT_KEY');
    }
  });

  it('revises a note before signing', () => {
    spec
      .given([opened, noteRecorded])
      .when({
        type: 'ReviseTreatmentNote',
        noteId: ids.note,
        revisedBy: ids.provider,
        text: 'Revised.',
        at: ids.at(18),
      })
      .then([
        {
          type: 'TreatmentNoteRevised',
          data: { ...base, noteId: ids.note, revisedBy: ids.provider, text: 'Revised.', at: ids.at(18) },
        },
      ]);
  });

  it('refuses chart entries on an encounter never opened', () => {
    spec.given([]).when(use(neurotoxin)).thenThrows('ENCOUNTER_NOT_FOUND');
  });
});
