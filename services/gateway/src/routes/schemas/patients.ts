import * as pr from '@medspa/contracts/medspa.patient_record.v1';
import { z } from 'zod';
import { GoodFaithExamOut, PhotoOut } from './clinical.js';
import { Code, Id, Instant, LocalDate, TimeZone, protoEnum } from './common.js';

// PHI travels only in these bodies (never in paths or query strings, which end up in access logs
// of proxies): search is a POST for that reason.

// Names and addresses are one line of text: no control characters (they break logs and CSV).
const hasControl = (text: string) =>
  [...text].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);
const Text = (max: number) =>
  z
    .string()
    .max(max)
    .refine((t) => !hasControl(t), 'control characters are not allowed');
const Line = Text(200);
const Phone = z.union([z.string().regex(/^\+?[0-9 ().-]{4,32}$/, 'expected a phone number'), z.literal('')]);
const Email = z.union([
  z
    .string()
    .max(320)
    .regex(/^[^\s@]+@[^\s@]+$/, 'expected an e-mail address'),
  z.literal(''),
]);

export const PersonName = z.object({
  given: z.array(Line).max(10),
  family: Line,
  prefix: z.array(Line).max(5).optional(),
  suffix: z.array(Line).max(5).optional(),
  preferred: Line.optional(),
});
export const PostalAddress = z.object({
  line: z.array(Line).max(5).optional(),
  city: Line.optional(),
  state: Line.optional(),
  postalCode: z.string().max(20).optional(),
  country: z.union([z.string().regex(/^[A-Z]{2}$/, 'expected ISO 3166-1 alpha-2'), z.literal('')]).optional(),
});
export const Demographics = z.object({
  name: PersonName,
  dateOfBirth: LocalDate,
  // Required: the record keeps an administrative gender (GENDER_UNKNOWN when not known), as the service does.
  gender: protoEnum(pr.Gender, { input: true }),
  birthSex: protoEnum(pr.BirthSex, { input: true }).optional(),
});
export const ContactDetails = z.object({
  phone: Phone.optional(),
  email: Email.optional(),
  address: PostalAddress.optional(),
});

export const PatientParams = z.object({ patientId: Id });
export const EncounterParams = z.object({ encounterId: Id });
export const AsOfQuery = z.object({ asOf: Instant });

export const RegisterPatientBody = z.object({
  demographics: Demographics,
  contact: ContactDetails.optional(),
});
export const ChangeDemographicsBody = z.object({ demographics: Demographics });
export const ChangeContactBody = z.object({ contact: ContactDetails });
export const ConsentBody = z.object({
  channel: protoEnum(pr.CommunicationChannel, { input: true }),
  source: protoEnum(pr.ConsentSource, { input: true }),
});
export const SearchPatientsBody = z
  .object({
    namePrefix: z.string().max(100).optional(),
    phone: Phone.optional(),
    dateOfBirth: LocalDate.optional(),
    pageSize: z.number().int().min(1).max(50).optional(),
    pageToken: z.string().max(512).optional(),
  })
  .refine((b) => Boolean(b.namePrefix || b.phone || b.dateOfBirth), {
    message: 'give a name prefix, a phone or a date of birth',
    path: ['namePrefix'],
  });

export const OpenEncounterBody = z.object({
  patientId: Id,
  providerId: z.union([Id, z.literal('')]).optional(),
  locationId: Id,
  timeZone: TimeZone,
  appointmentId: z.union([Id, z.literal('')]).optional(),
  serviceName: z.string().min(1).max(200),
});
export const NoteBody = z.object({ text: z.string().min(1).max(20_000) });
export const ProductUseBody = z.object({
  product: z.object({
    name: z.string().min(1).max(200),
    category: protoEnum(pr.ProductCategory, { input: true }),
    manufacturer: z.string().max(200).optional(),
  }),
  lotNumber: z.string().max(64).optional(),
  expiresOn: z
    .union([z.string().regex(/^\d{4}-\d{2}(-\d{2})?$/, 'expected YYYY-MM-DD or YYYY-MM'), z.literal('')])
    .optional(),
  quantity: z.object({
    value: z.number().positive().max(10_000),
    unit: protoEnum(pr.QuantityUnit, { input: true }),
  }),
  injections: z
    .array(
      z.object({
        site: Code,
        amount: z.number().min(0).max(10_000).optional(),
        point: z.object({ x: z.number().min(0).max(1), y: z.number().min(0).max(1) }).optional(),
      }),
    )
    .max(200)
    .optional(),
});

// Responses: proto3 JSON, defaults omitted.
const NameOut = z
  .object({
    given: z.array(z.string()),
    family: z.string(),
    prefix: z.array(z.string()),
    suffix: z.array(z.string()),
    preferred: z.string(),
  })
  .partial();
const AddressOut = z
  .object({
    line: z.array(z.string()),
    city: z.string(),
    state: z.string(),
    postalCode: z.string(),
    country: z.string(),
  })
  .partial();
const PatientRecord = z
  .object({
    patientId: z.string(),
    active: z.boolean(),
    mergedIntoPatientId: z.string(),
    registeredAt: z.string(),
    demographics: z
      .object({
        name: NameOut,
        dateOfBirth: z.string(),
        gender: protoEnum(pr.Gender),
        birthSex: protoEnum(pr.BirthSex),
      })
      .partial(),
    address: AddressOut,
    phone: z.string(),
    email: z.string(),
    contactIncluded: z.boolean(),
    mergedFrom: z.array(
      z.object({ patientId: z.string(), mergedBy: z.string(), mergedAt: z.string() }).partial(),
    ),
    consents: z.array(
      z
        .object({
          channel: protoEnum(pr.CommunicationChannel),
          granted: z.boolean(),
          source: protoEnum(pr.ConsentSource),
          changedAt: z.string(),
        })
        .partial(),
    ),
  })
  .partial();
export const PatientReply = z.object({ patient: PatientRecord }).partial();
export const PatientCreated = z.object({ patientId: z.string() }).partial();
export const SearchReply = z
  .object({
    patients: z.array(
      z
        .object({ patientId: z.string(), name: NameOut, dateOfBirth: z.string(), phone: z.string() })
        .partial(),
    ),
    nextPageToken: z.string(),
  })
  .partial();

const Authored = { authorId: z.string(), text: z.string() };
const Encounter = z
  .object({
    encounterId: z.string(),
    patientId: z.string(),
    providerId: z.string(),
    locationId: z.string(),
    appointmentId: z.string(),
    timeZone: z.string(),
    serviceName: z.string(),
    status: protoEnum(pr.EncounterStatus),
    openedAt: z.string(),
    signedAt: z.string(),
    notes: z.array(z.object({ noteId: z.string(), ...Authored, recordedAt: z.string() }).partial()),
    productUses: z.array(
      z
        .object({
          productUseId: z.string(),
          product: z
            .object({ name: z.string(), category: protoEnum(pr.ProductCategory), manufacturer: z.string() })
            .partial(),
          lotNumber: z.string(),
          expiresOn: z.string(),
          quantity: z.object({ value: z.number(), unit: protoEnum(pr.QuantityUnit) }).partial(),
          injections: z.array(
            z
              .object({
                site: z.string(),
                amount: z.number(),
                point: z.object({ x: z.number(), y: z.number() }).partial(),
              })
              .partial(),
          ),
          recordedAt: z.string(),
        })
        .partial(),
    ),
    addenda: z.array(z.object({ addendumId: z.string(), ...Authored, signedAt: z.string() }).partial()),
    photos: z.array(PhotoOut),
    goodFaithExam: GoodFaithExamOut,
  })
  .partial();
export const EncountersReply = z.object({ encounters: z.array(Encounter) }).partial();
export const EncounterReply = z.object({ encounter: Encounter }).partial();
export const EncounterCreated = z.object({ encounterId: z.string() }).partial();
export const NoteCreated = z.object({ noteId: z.string() }).partial();
export const ProductUseCreated = z.object({ productUseId: z.string() }).partial();
export const AddendumCreated = z.object({ addendumId: z.string() }).partial();
/** A FHIR R4 Bundle (type collection); its resources follow the FHIR specification. */
export const FhirBundle = z.object({ resourceType: z.literal('Bundle') }).loose();
