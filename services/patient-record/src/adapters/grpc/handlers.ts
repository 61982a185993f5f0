import type { PatientRecordServiceService } from '@medspa/contracts/medspa.patient_record.v1';
import type { ServiceHandlers } from '@medspa/grpc';
import type { AppDeps } from '../../app/deps.js';
import { clinicalHandlers } from './clinical-handlers.js';
import { documentHandlers } from './document-handlers.js';
import { encounterHandlers } from './encounter-handlers.js';
import { patientHandlers } from './patient-handlers.js';

/** Every RPC of PatientRecordService (the type fails to compile if one is missing). */
export const patientRecordHandlers = (
  deps: AppDeps,
): ServiceHandlers<typeof PatientRecordServiceService> => ({
  ...patientHandlers(deps),
  ...encounterHandlers(deps),
  ...clinicalHandlers(deps),
  ...documentHandlers(deps),
});
