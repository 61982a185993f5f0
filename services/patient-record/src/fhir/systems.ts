import type { Quantity as FhirQuantity } from '@medplum/fhirtypes';
import type { Quantity } from '../domain/encounter/products.js';

/**
 * Canonical base for our identifier systems, code systems and extensions. A placeholder domain
 * (.example is reserved): replace it with the published one before the first external exchange;
 * every URI below derives from it, so it changes in one place.
 */
export const MEDSPA_FHIR_BASE = 'https://medspa.example/fhir';

/** Identifier systems: our ids are UUIDs, one system per kind of thing identified. */
export const identifierSystems = {
  patient: `${MEDSPA_FHIR_BASE}/sid/patient-id`,
  staff: `${MEDSPA_FHIR_BASE}/sid/staff-id`,
  location: `${MEDSPA_FHIR_BASE}/sid/location-id`,
  appointment: `${MEDSPA_FHIR_BASE}/sid/appointment-id`,
  /** A legal representative who signed for a Patient. */
  representative: `${MEDSPA_FHIR_BASE}/sid/representative-id`,
} as const;

/** Code systems of our own, for concepts no standard terminology names at the clinic's grain. */
export const codeSystems = {
  /** The injection-site codes of src/domain/encounter/injection-sites.ts. */
  injectionSite: `${MEDSPA_FHIR_BASE}/CodeSystem/injection-site`,
  /** neurotoxin-injection, filler-injection, product-application. */
  treatmentType: `${MEDSPA_FHIR_BASE}/CodeSystem/treatment-type`,
  /** good-faith-exam and its components. */
  observation: `${MEDSPA_FHIR_BASE}/CodeSystem/observation`,
  /** in_person, telehealth. */
  examModality: `${MEDSPA_FHIR_BASE}/CodeSystem/exam-modality`,
  /** treatment, privacy, photography. */
  consentPurpose: `${MEDSPA_FHIR_BASE}/CodeSystem/consent-purpose`,
  /** treatment-note, addendum. */
  annotationKind: `${MEDSPA_FHIR_BASE}/CodeSystem/annotation-kind`,
} as const;

/** Standard systems (HL7 terminology, LOINC, UCUM, US Core). */
export const hl7 = {
  actCode: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
  participationType: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType',
  observationCategory: 'http://terminology.hl7.org/CodeSystem/observation-category',
  allergyClinical: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical',
  consentScope: 'http://terminology.hl7.org/CodeSystem/consentscope',
  loinc: 'http://loinc.org',
  ucum: 'http://unitsofmeasure.org',
  usCoreBirthSex: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-birthsex',
} as const;

/** Extensions of our own: FHIR R4 has no element for these facts. */
export const extensions = {
  /** valueQuantity on a product-use Procedure: how much of the product was used. */
  productQuantity: `${MEDSPA_FHIR_BASE}/StructureDefinition/product-quantity`,
  /** valueQuantity on a Procedure.bodySite: how much went into that site. */
  injectionAmount: `${MEDSPA_FHIR_BASE}/StructureDefinition/injection-amount`,
  /** valueString on Consent.sourceAttachment: SHA-256 (hex) of the signed document. R4's own
   *  Attachment.hash is SHA-1 in base64, which is not what was signed. */
  documentSha256: `${MEDSPA_FHIR_BASE}/StructureDefinition/document-sha256`,
  /** valueCode on a Procedure.note: treatment-note or addendum. */
  annotationKind: `${MEDSPA_FHIR_BASE}/StructureDefinition/annotation-kind`,
} as const;

const ucumCodes: Record<Quantity['unit'], string> = {
  U: '[U]',
  mL: 'mL',
  syringe: '{syringe}',
  vial: '{vial}',
};

/** A charted quantity as a UCUM Quantity (`{syringe}` is a UCUM annotation: a count of syringes). */
export const toFhirQuantity = (value: number, unit: Quantity['unit']): FhirQuantity => ({
  value,
  unit,
  system: hl7.ucum,
  code: ucumCodes[unit],
});
