import type {
  Annotation,
  CodeableConcept,
  Device,
  Medication,
  Procedure,
  Reference,
} from '@medplum/fhirtypes';
import type { Chart, ProductUse } from '../domain/encounter/encounter.js';
import { injectionSite } from '../domain/encounter/injection-sites.js';
import type { ProductCategory } from '../domain/encounter/products.js';
import type { ExportableEncounter } from './encounter.js';
import { derivedId, inBundle, logical, type PatientReference } from './references.js';
import { codeSystems, extensions, toFhirQuantity } from './systems.js';

/** The id of an Encounter's treatment Procedure (it has none of its own in the domain). */
export const treatmentProcedureId = (encounterId: string): string => derivedId(`${encounterId}/treatment`);

const treatmentTypes: Record<ProductCategory, { code: string; display: string }> = {
  neurotoxin: { code: 'neurotoxin-injection', display: 'Neurotoxin injection' },
  filler: { code: 'filler-injection', display: 'Dermal filler injection' },
  other: { code: 'product-application', display: 'Product application' },
};

const note = (
  kind: 'treatment-note' | 'addendum',
  authorId: string,
  time: string,
  text: string,
): Annotation => ({
  extension: [{ url: extensions.annotationKind, valueCode: kind }],
  authorReference: logical('Practitioner', 'staff', authorId),
  time,
  text,
});

/**
 * Two levels. One treatment Procedure per Encounter carries what the provider signed: the
 * service, the notes and the addenda. Each product use is a Procedure `partOf` it, carrying the
 * product (contained, with lot and expiry), the quantity and the sites, so a recall by lot or a
 * reaction at one site can be traced without reading notes.
 */
export function toFhirProcedures(state: ExportableEncounter, patient: PatientReference): Procedure[] {
  const c = state.chart;
  const status = state.status === 'signed' ? 'completed' : 'in-progress';
  const id = treatmentProcedureId(c.encounterId);
  const notes = [
    ...c.notes.map((n) => note('treatment-note', n.authorId, n.revisedAt ?? n.at, n.text)),
    ...c.addenda.map((a) => note('addendum', a.authorId, a.at, a.text)),
  ];
  const treatment: Procedure = {
    resourceType: 'Procedure',
    id,
    status,
    code: { text: c.serviceName },
    subject: patient,
    encounter: inBundle(c.encounterId),
    performedDateTime: c.openedAt,
    performer: [{ actor: logical('Practitioner', 'staff', c.providerId) }],
    ...(notes.length > 0 ? { note: notes } : {}),
  };
  return [
    treatment,
    ...c.productUses.map((u) => productProcedure(u, c, { status, partOf: inBundle(id), patient })),
  ];
}

function productProcedure(
  u: ProductUse,
  c: Chart,
  ctx: { status: Procedure['status']; partOf: Reference<Procedure>; patient: PatientReference },
): Procedure {
  const type = treatmentTypes[u.product.category];
  const bodySite = bodySites(u);
  return {
    resourceType: 'Procedure',
    id: u.productUseId,
    contained: [containedProduct(u)],
    extension: [
      { url: extensions.productQuantity, valueQuantity: toFhirQuantity(u.quantity.value, u.quantity.unit) },
    ],
    partOf: [ctx.partOf],
    status: ctx.status,
    code: { coding: [{ system: codeSystems.treatmentType, ...type }], text: type.display },
    subject: ctx.patient,
    encounter: inBundle(c.encounterId),
    performedDateTime: u.at,
    performer: [{ actor: logical('Practitioner', 'staff', c.providerId) }],
    ...(bodySite.length > 0 ? { bodySite } : {}),
    usedReference: [{ reference: '#product', display: u.product.name }],
  };
}

/**
 * The product as a contained resource, because R4 puts lot and expiry there: a drug (neurotoxin)
 * is a Medication with a batch; a filler, a medical device, is a Device.
 */
function containedProduct(u: ProductUse): Medication | Device {
  const { name, manufacturer } = u.product;
  if (u.product.category === 'filler') {
    return {
      resourceType: 'Device',
      id: 'product',
      deviceName: [{ name, type: 'user-friendly-name' }],
      ...(manufacturer !== undefined ? { manufacturer } : {}),
      ...(u.lotNumber !== undefined ? { lotNumber: u.lotNumber } : {}),
      ...(u.expiresOn !== undefined ? { expirationDate: u.expiresOn } : {}),
    };
  }
  const batch = {
    ...(u.lotNumber !== undefined ? { lotNumber: u.lotNumber } : {}),
    ...(u.expiresOn !== undefined ? { expirationDate: u.expiresOn } : {}),
  };
  return {
    resourceType: 'Medication',
    id: 'product',
    code: { text: name },
    ...(manufacturer !== undefined ? { manufacturer: { display: manufacturer } } : {}),
    ...(Object.keys(batch).length > 0 ? { batch } : {}),
  };
}

/** One bodySite per site (points on the map summed), in order of first mark. */
function bodySites(u: ProductUse): CodeableConcept[] {
  const amounts = new Map<string, number | undefined>();
  for (const inj of u.injections) {
    const before = amounts.get(inj.site);
    const sum = inj.amount === undefined ? before : (before ?? 0) + inj.amount;
    amounts.set(inj.site, sum);
  }
  return [...amounts].map(([code, amount]) => {
    const display = injectionSite(code)?.display ?? code;
    return {
      ...(amount !== undefined
        ? {
            extension: [
              { url: extensions.injectionAmount, valueQuantity: toFhirQuantity(amount, u.quantity.unit) },
            ],
          }
        : {}),
      coding: [{ system: codeSystems.injectionSite, code, display }],
      text: display,
    };
  });
}
