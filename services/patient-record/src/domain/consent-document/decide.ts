import { errors } from '@medspa/errors';
import type { Decider } from '@medspa/eventstore';
import { checkId, checkObjectKey, checkText, tidy } from '../shared/text.js';
import { checkInstant } from '../shared/time.js';
import { Violations } from '../shared/violations.js';
import {
  CONSENT_PURPOSES,
  evolveConsentDocument,
  initialConsentDocumentState,
  type ConsentDocumentEvent,
  type ConsentDocumentState,
  type ConsentTemplateRef,
  type Signature,
} from './consent-document.js';

export type SignConsentDocument = {
  type: 'SignConsentDocument';
  consentDocumentId: string;
  patientId: string;
  template: ConsentTemplateRef;
  signature: Signature;
  at: string;
};
export type WithdrawConsentDocument = {
  type: 'WithdrawConsentDocument';
  withdrawnBy: string;
  reason?: string;
  at: string;
};
export type ConsentDocumentCommand = SignConsentDocument | WithdrawConsentDocument;

const SHA256_HEX = /^[0-9a-f]{64}$/i;

export function decideConsentDocument(
  command: ConsentDocumentCommand,
  state: ConsentDocumentState,
): ConsentDocumentEvent[] {
  const v = new Violations();
  checkInstant(v, command.at);
  switch (command.type) {
    case 'SignConsentDocument': {
      if (state.status !== 'unsigned') {
        throw errors.conflict('CONSENT_DOCUMENT_ALREADY_SIGNED', 'This consent document is already signed');
      }
      checkSigning(v, command);
      v.throwIfAny('The signed consent document is invalid');
      const { consentDocumentId, patientId, template, signature, at } = command;
      return [
        {
          type: 'ConsentDocumentSigned',
          data: {
            consentDocumentId,
            patientId,
            ...template,
            title: tidy(template.title),
            ...signature,
            signerName: tidy(signature.signerName),
            documentSha256: signature.documentSha256.toLowerCase(),
            at,
          },
        },
      ];
    }
    case 'WithdrawConsentDocument': {
      if (state.status === 'unsigned')
        throw errors.notFound('CONSENT_DOCUMENT_NOT_FOUND', 'Consent document not found');
      if (state.status === 'withdrawn') return [];
      checkId(v, command.withdrawnBy, 'withdrawnBy');
      if (command.reason !== undefined) checkText(v, command.reason, 'reason', { max: 1000 });
      if (command.at < state.document.signedAt)
        v.add('INVALID_INSTANT', 'at', 'must not be before the signature');
      v.throwIfAny('The withdrawal is invalid');
      const { consentDocumentId, patientId } = state.document;
      const reason = command.reason?.trim();
      return [
        {
          type: 'ConsentDocumentWithdrawn',
          data: {
            consentDocumentId,
            patientId,
            withdrawnBy: command.withdrawnBy,
            ...(reason ? { reason } : {}),
            at: command.at,
          },
        },
      ];
    }
    default: {
      const _exhaustive: never = command;
      return [];
    }
  }
}

function checkSigning(v: Violations, c: SignConsentDocument): void {
  const { template: t, signature: s } = c;
  checkId(v, c.consentDocumentId, 'consentDocumentId');
  checkId(v, c.patientId, 'patientId');
  checkId(v, t.templateId, 'template.templateId');
  if (!Number.isInteger(t.templateVersion) || t.templateVersion < 1) {
    v.add('INVALID_TEMPLATE_VERSION', 'template.templateVersion', 'must be a positive integer');
  }
  checkText(v, t.title, 'template.title', { max: 200 });
  if (!CONSENT_PURPOSES.includes(t.purpose)) {
    v.add('INVALID_CONSENT_PURPOSE', 'template.purpose', `must be one of ${CONSENT_PURPOSES.join(', ')}`);
  }
  if (!SHA256_HEX.test(s.documentSha256)) {
    v.add('INVALID_DOCUMENT_HASH', 'signature.documentSha256', 'must be a SHA-256 as 64 hexadecimal digits');
  }
  checkId(v, s.signerId, 'signature.signerId');
  checkText(v, s.signerName, 'signature.signerName', { max: 200, reason: 'INVALID_NAME' });
  checkObjectKey(v, s.signatureImageKey, 'signature.signatureImageKey');
  if (s.signerRole !== 'patient' && s.signerRole !== 'legal_representative') {
    v.add('INVALID_SIGNER_ROLE', 'signature.signerRole', 'must be patient or legal_representative');
  } else if (s.signerRole === 'patient' && s.signerId !== c.patientId) {
    // A signature "as the Patient" by anyone else would be a forgery on the record.
    v.add('SIGNER_NOT_PATIENT', 'signature.signerId', 'must be the patient when signing as the patient');
  }
}

/** The ConsentDocument aggregate: one stream per signed document. */
export const consentDocumentDecider: Decider<
  ConsentDocumentCommand,
  ConsentDocumentEvent,
  ConsentDocumentState
> = {
  decide: decideConsentDocument,
  evolve: evolveConsentDocument,
  initialState: initialConsentDocumentState,
};
