import {
  EncounterStatus,
  type Encounter,
  type InjectionPoint as ProtoInjection,
  type ProductUse as ProtoProductUse,
  type RecordProductUseRequest,
} from '@medspa/contracts/medspa.patient_record.v1';
import type { OpenedEncounter } from '../../app/encounter-queries.js';
import type { InjectionPoint, InjectionSiteCode, ProductUse, ProductUseDetails } from '../../domain/index.js';
import { fromProto, toProto } from '../proto-enums.js';
import { optional, required } from './call.js';
import { examToProto, photoToProto } from './clinical-mapping.js';

function injectionFromProto(i: ProtoInjection): InjectionPoint {
  return {
    // The domain rejects an unknown code with UNKNOWN_SITE_CODE and names the field.
    site: i.site as InjectionSiteCode,
    ...(i.amount !== 0 ? { amount: i.amount } : {}),
    ...(i.point !== undefined ? { point: { x: i.point.x, y: i.point.y } } : {}),
  };
}

export function productUseFromProto(r: RecordProductUseRequest): ProductUseDetails {
  const product = required(r.product, 'product');
  const quantity = required(r.quantity, 'quantity');
  const manufacturer = optional(product.manufacturer);
  const lotNumber = optional(r.lotNumber);
  const expiresOn = optional(r.expiresOn);
  return {
    product: {
      name: product.name,
      category: fromProto.category(product.category),
      ...(manufacturer !== undefined ? { manufacturer } : {}),
    },
    ...(lotNumber !== undefined ? { lotNumber } : {}),
    ...(expiresOn !== undefined ? { expiresOn } : {}),
    quantity: { value: quantity.value, unit: fromProto.unit(quantity.unit) },
    injections: r.injections.map(injectionFromProto),
  };
}

const productUseToProto = (u: ProductUse): ProtoProductUse => ({
  productUseId: u.productUseId,
  product: {
    name: u.product.name,
    category: toProto.category(u.product.category),
    manufacturer: u.product.manufacturer ?? '',
  },
  lotNumber: u.lotNumber ?? '',
  expiresOn: u.expiresOn ?? '',
  quantity: { value: u.quantity.value, unit: toProto.unit(u.quantity.unit) },
  injections: u.injections.map((i) => ({ site: i.site, amount: i.amount ?? 0, point: i.point })),
  recordedAt: new Date(u.at),
});

export function encounterToProto(state: OpenedEncounter): Encounter {
  const c = state.chart;
  return {
    encounterId: c.encounterId,
    patientId: c.patientId,
    providerId: c.providerId,
    locationId: c.locationId,
    appointmentId: c.appointmentId ?? '',
    timeZone: c.timeZone,
    serviceName: c.serviceName,
    status:
      state.status === 'signed'
        ? EncounterStatus.ENCOUNTER_STATUS_SIGNED
        : EncounterStatus.ENCOUNTER_STATUS_OPEN,
    openedAt: new Date(c.openedAt),
    signedAt: state.status === 'signed' ? new Date(state.signature.at) : undefined,
    notes: c.notes.map((n) => ({
      noteId: n.noteId,
      authorId: n.authorId,
      text: n.text,
      recordedAt: new Date(n.at),
    })),
    productUses: c.productUses.map(productUseToProto),
    addenda: c.addenda.map((a) => ({
      addendumId: a.addendumId,
      authorId: a.authorId,
      text: a.text,
      signedAt: new Date(a.at),
    })),
    photos: c.photos.map(photoToProto),
    goodFaithExam: c.goodFaithExam !== undefined ? examToProto(c.goodFaithExam) : undefined,
  };
}
