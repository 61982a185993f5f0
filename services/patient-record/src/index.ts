// Public API of @medspa/patient-record.
export * from './domain/index.js';
export * from './fhir/index.js';
