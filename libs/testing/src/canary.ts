import { randomBytes, randomInt } from 'node:crypto';

/** The kinds of PHI a canary patient carries. */
export type CanaryField =
  'givenName' | 'familyName' | 'phone' | 'email' | 'dateOfBirth' | 'address' | 'note' | 'mrn';

/** One fake PHI value and the strings whose presence anywhere means it leaked. */
export interface Canary {
  field: CanaryField;
  value: string;
  needles: string[];
}

/**
 * A synthetic patient whose every PHI value is unique to this call, valid enough for domain validation
 * (names are letters, the phone is E.164, the date is ISO), and easy to spot by a person reading a leak.
 */
export interface CanaryPatient {
  givenName: string;
  familyName: string;
  fullName: string;
  /** E.164, a fictional NANP 555-01xx number. */
  phone: string;
  email: string;
  /** ISO date, YYYY-MM-DD. */
  dateOfBirth: string;
  address: string;
  note: string;
  mrn: string;
  /** What the scanners search for. */
  canaries: Canary[];
}

/** A canary found where it must not be. */
export interface CanaryHit {
  /** Where: `postgres:clinic.patients.notes@(0,1)`, `kafka:topic[0]@12 value`, `logs`, `http POST /v1/x body`. */
  location: string;
  canary: CanaryField;
  needle: string;
}

export type Canaries = CanaryPatient | readonly Canary[];

// Real area codes, so validators that know the numbering plan accept the number.
const AREA_CODES = ['212', '213', '305', '312', '404', '415', '503', '512', '617', '702', '713', '917'];
const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
const letters = (count: number): string =>
  Array.from({ length: count }, () => LETTERS[randomInt(LETTERS.length)]).join('');
const hex = (bytes: number): string => randomBytes(bytes).toString('hex');
const twoDigits = (n: number): string => String(n).padStart(2, '0');

function randomBirthDate(): { iso: string; us: string } {
  const year = 1920 + randomInt(40);
  const month = twoDigits(1 + randomInt(12));
  const day = twoDigits(1 + randomInt(28));
  return { iso: `${year}-${month}-${day}`, us: `${month}/${day}/${year}` };
}

/** A fresh canary patient; searching for its values finds PHI that escaped encryption or redaction. */
export function makeCanaries(): CanaryPatient {
  const givenName = `Canary${letters(8)}`;
  const familyName = `Canary${letters(8)}`;
  const street = `Canary${letters(8)}`;
  // 555-0100..0199 numbers are reserved as fictional in every NANP area code.
  const area = AREA_CODES[randomInt(AREA_CODES.length)] ?? '212';
  const line = `01${twoDigits(randomInt(100))}`;
  const emailLocal = `canary.${hex(5)}`;
  const birth = randomBirthDate();
  const noteMarker = `CANARY-${hex(6)}`;
  const mrn = `MRN-CANARY-${hex(5).toUpperCase()}`;

  const patient = {
    givenName,
    familyName,
    fullName: `${givenName} ${familyName}`,
    phone: `+1${area}555${line}`,
    email: `${emailLocal}@example.com`,
    dateOfBirth: birth.iso,
    address: `${100 + randomInt(9900)} ${street} Lane, Springfield, IL 62704`,
    note: `Synthetic test PHI ${noteMarker}: reports mild swelling two days after dermal filler.`,
    mrn,
  };
  const canaries: Canary[] = [
    { field: 'givenName', value: givenName, needles: [givenName] },
    { field: 'familyName', value: familyName, needles: [familyName] },
    {
      field: 'phone',
      value: patient.phone,
      needles: [`${area}555${line}`, `${area}-555-${line}`, `(${area}) 555-${line}`, `${area}.555.${line}`],
    },
    { field: 'email', value: patient.email, needles: [emailLocal] },
    { field: 'dateOfBirth', value: patient.dateOfBirth, needles: [birth.iso, birth.us] },
    { field: 'address', value: patient.address, needles: [street] },
    { field: 'note', value: patient.note, needles: [noteMarker] },
    { field: 'mrn', value: mrn, needles: [mrn] },
  ];
  return { ...patient, canaries };
}

/** The list of canaries in either form the scanners accept. */
export function canaryList(canaries: Canaries): readonly Canary[] {
  return 'canaries' in canaries ? canaries.canaries : canaries;
}

/**
 * Every canary present in `text` (case-insensitively, since systems upper- or lower-case values),
 * at most one hit per canary, reported at `location`.
 */
export function findCanariesInText(text: string, canaries: Canaries, location = 'text'): CanaryHit[] {
  const haystack = text.toLowerCase();
  const hits: CanaryHit[] = [];
  for (const canary of canaryList(canaries)) {
    const needle = canary.needles.find((candidate) => haystack.includes(candidate.toLowerCase()));
    if (needle !== undefined) hits.push({ location, canary: canary.field, needle });
  }
  return hits;
}
