import type { DomainEvent } from '@medspa/eventstore';
import type { PhiFields } from '../shared/phi.js';

/**
 * What a consent document lets the clinic do; decides the FHIR Consent scope. `photography`
 * covers using images beyond the chart (marketing, teaching), which is a privacy matter.
 */
export const CONSENT_PURPOSES = ['treatment', 'privacy', 'photography'] as const;
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];

/** Who signed: the Patient, or a legal representative (a minor's parent, a guardian). */
export type SignerRole = 'patient' | 'legal_representative';

/** The template a Patient was shown: a published, immutable version. */
export interface ConsentTemplateRef {
  templateId: string;
  templateVersion: number;
  title: string;
  purpose: ConsentPurpose;
}

/**
 * An e-signature (ESIGN/UETA): who, when (the event's `at`), the image of the signature, and the
 * SHA-256 of the exact document rendered for signing, so a later copy can be proven identical.
 */
export interface Signature {
  signerId: string;
  signerName: string;
  signerRole: SignerRole;
  signatureImageKey: string;
  /** Lower-case hex. */
  documentSha256: string;
}

type Base = { consentDocumentId: string; patientId: string; at: string };

export type ConsentDocumentSigned = DomainEvent<
  'ConsentDocumentSigned',
  Base & ConsentTemplateRef & Signature
>;
/** The Patient takes consent back; the signed document itself stays on record. */
export type ConsentDocumentWithdrawn = DomainEvent<
  'ConsentDocumentWithdrawn',
  Base & { withdrawnBy: string; reason?: string }
>;

export type ConsentDocumentEvent = ConsentDocumentSigned | ConsentDocumentWithdrawn;

/** Which fields of each ConsentDocument event are PHI (see PhiFields). */
export const consentDocumentPhiFields: PhiFields<ConsentDocumentEvent> = {
  // The title names the treatment consented to (`Dermal filler consent`): health information.
  ConsentDocumentSigned: ['title', 'signerName', 'signatureImageKey'],
  ConsentDocumentWithdrawn: ['reason'],
};

export interface ConsentDocument extends ConsentTemplateRef, Signature {
  consentDocumentId: string;
  patientId: string;
  signedAt: string;
  withdrawal?: { withdrawnBy: string; reason?: string; at: string };
}

export type ConsentDocumentState =
  | { status: 'unsigned' }
  | { status: 'signed'; document: ConsentDocument }
  | { status: 'withdrawn'; document: ConsentDocument };

export const initialConsentDocumentState = (): ConsentDocumentState => ({ status: 'unsigned' });

export function evolveConsentDocument(
  state: ConsentDocumentState,
  event: ConsentDocumentEvent,
): ConsentDocumentState {
  switch (event.type) {
    case 'ConsentDocumentSigned': {
      const { at, ...document } = event.data;
      return { status: 'signed', document: { ...document, signedAt: at } };
    }
    case 'ConsentDocumentWithdrawn': {
      if (state.status === 'unsigned') return state;
      const { withdrawnBy, reason, at } = event.data;
      const withdrawal = { withdrawnBy, at, ...(reason !== undefined ? { reason } : {}) };
      return { status: 'withdrawn', document: { ...state.document, withdrawal } };
    }
    default: {
      const _exhaustive: never = event;
      return state;
    }
  }
}
