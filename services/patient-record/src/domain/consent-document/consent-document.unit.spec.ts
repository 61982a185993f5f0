import { describe, it } from 'vitest';
import { deciderSpec } from '@medspa/testing';
import { consentSigned, documentSha256 } from '../test-fixtures/consent-document.js';
import { ids } from '../test-fixtures/ids.js';
import { consentDocumentDecider, type SignConsentDocument } from './decide.js';

const spec = deciderSpec(consentDocumentDecider);
const { consentDocumentId, patientId, templateId, templateVersion, title, purpose, at, ...signature } =
  consentSigned.data;
const sign: SignConsentDocument = {
  type: 'SignConsentDocument',
  consentDocumentId,
  patientId,
  template: { templateId, templateVersion, title, purpose },
  signature,
  at,
};
const withdraw = {
  type: 'WithdrawConsentDocument',
  withdrawnBy: ids.patient,
  at: ids.at(9, '2025-06-10'),
} as const;

describe('ConsentDocument: e-signature and withdrawal', () => {
  it('records the template version, signer, time, signature image and document hash', () => {
    spec.given([]).when(sign).then([consentSigned]);
  });

  it('stores the hash in lower case', () => {
    spec
      .given([])
      .when({ ...sign, signature: { ...signature, documentSha256: documentSha256.toUpperCase() } })
      .then([consentSigned]);
  });

  it.each([
    ['too short', documentSha256.slice(1)],
    ['not hex', `${documentSha256.slice(1)}g`],
    ['base64, not hex', '47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='],
  ])('refuses a document hash that is %s', (_why, hash) => {
    spec
      .given([])
      .when({ ...sign, signature: { ...signature, documentSha256: hash } })
      .thenThrows('INVALID_DOCUMENT_HASH');
  });

  it('refuses a signature "as the patient" by someone else; a representative signs as such', () => {
    spec
      .given([])
      .when({ ...sign, signature: { ...signature, signerId: ids.guardian } })
      .thenThrows('SIGNER_NOT_PATIENT');
    const representative = {
      ...signature,
      signerId: ids.guardian,
      signerRole: 'legal_representative' as const,
    };
    spec
      .given([])
      .when({ ...sign, signature: representative })
      .then([{ ...consentSigned, data: { ...consentSigned.data, ...representative } }]);
  });

  it('refuses a template version that is not a positive integer', () => {
    spec
      .given([])
      .when({ ...sign, template: { ...sign.template, templateVersion: 0 } })
      .thenThrows('INVALID_TEMPLATE_VERSION');
  });

  it('refuses to sign the same document twice', () => {
    spec.given([consentSigned]).when(sign).thenThrows('CONSENT_DOCUMENT_ALREADY_SIGNED');
  });

  it('withdraws once; the signature stays on record', () => {
    const withdrawn = {
      type: 'ConsentDocumentWithdrawn' as const,
      data: {
        consentDocumentId,
        patientId,
        withdrawnBy: ids.patient,
        reason: 'Changed my mind',
        at: withdraw.at,
      },
    };
    spec
      .given([consentSigned])
      .when({ ...withdraw, reason: ' Changed my mind ' })
      .then([withdrawn]);
    spec.given([consentSigned, withdrawn]).when(withdraw).thenNothingHappens();
    spec.given([]).when(withdraw).thenThrows('CONSENT_DOCUMENT_NOT_FOUND');
  });

  it('refuses a withdrawal dated before the signature', () => {
    spec
      .given([consentSigned])
      .when({ ...withdraw, at: ids.at(8) })
      .thenThrows('INVALID_INSTANT');
  });
});
