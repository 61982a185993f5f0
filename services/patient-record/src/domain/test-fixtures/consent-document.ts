import type { ConsentDocumentSigned } from '../consent-document/consent-document.js';
import { ids } from './ids.js';

// SHA-256 of the empty string: any 64 hex digits would do.
export const documentSha256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

export const consentSigned: ConsentDocumentSigned = {
  type: 'ConsentDocumentSigned',
  data: {
    consentDocumentId: ids.consentDocument,
    patientId: ids.patient,
    templateId: ids.consentTemplate,
    templateVersion: 3,
    title: 'Neurotoxin treatment consent',
    purpose: 'treatment',
    signerId: ids.patient,
    signerName: 'Ana Silva',
    signerRole: 'patient',
    signatureImageKey: `signatures/${ids.consentDocument}.png`,
    documentSha256,
    at: ids.at(16),
  },
};
