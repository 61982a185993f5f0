// FHIR R4 export of a Patient's record: pure mapping from folded domain states to resources.
export { exportPatientRecord, type PatientRecordForExport } from './bundle.js';
export { toFhirPatient } from './patient.js';
export { toFhirEncounter } from './encounter.js';
export { toFhirProcedures, treatmentProcedureId } from './procedure.js';
export { toFhirGoodFaithExam } from './observation.js';
export { toFhirConsent } from './consent.js';
export { toFhirAllergyIntolerance, toFhirMedicationStatement } from './clinical-lists.js';
export { codeSystems, extensions, identifierSystems, MEDSPA_FHIR_BASE } from './systems.js';
