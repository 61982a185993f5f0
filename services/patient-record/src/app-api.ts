// What the benchmarks (bench/patient-record) drive in-process: the service's own store, read
// models and app functions, so figures measure this code and not a copy of it.
export { migrations } from '../migrations/index.js';
export { patientRecordOutbox, SERVICE_NAME } from './adapters/integration-events.js';
export { createRecordStore } from './crypto/keys.js';
export { projectionsOf, SCHEMA } from './service.js';
export type { AppDeps } from './app/deps.js';
export type { RequestContext } from './app/request-context.js';
export { registerPatient } from './app/patient-commands.js';
export { getPatient } from './app/patient-queries.js';
export { searchPatients } from './app/search-patients.js';
export { listEncounters } from './app/encounter-queries.js';
export { PATIENT_STREAM, ENCOUNTER_STREAM, patientStreamId, encounterStreamId } from './app/streams.js';
