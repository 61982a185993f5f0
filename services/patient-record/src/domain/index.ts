// The pure domain of the patient record: deciders (commands → events), states, PHI field maps.
export type { PhiFields } from './shared/phi.js';
export type { CodedText } from './shared/coding.js';
export { phiFields, phiFieldsOf, type PatientRecordEvent } from './phi-fields.js';

export * from './patient/patient.js';
export * from './patient/decide.js';
export * from './patient/demographics.js';
export * from './patient/contact.js';
export * from './patient/clinical-lists.js';
export * from './patient/communication-consent.js';

export * from './encounter/encounter.js';
export * from './encounter/decide.js';
export * from './encounter/products.js';
export * from './encounter/good-faith-exam.js';
export * from './encounter/injection-sites.js';

export * from './consent-document/consent-document.js';
export * from './consent-document/decide.js';

export * from './intake-form-template/intake-form-template.js';
export * from './intake-form-template/decide.js';
export * from './intake-form-template/questions.js';

export * from './intake-form/intake-form.js';
export * from './intake-form/decide.js';
export * from './intake-form/answers.js';
