import { PatientRecord, PatientRecordServiceClient } from '@medspa/contracts/medspa.patient_record.v1';
import { Appointment, SchedulingServiceClient } from '@medspa/contracts/medspa.scheduling.v1';
import { errors } from '@medspa/errors';
import { createGrpcClient } from '@medspa/grpc';

/** The records a compliance officer can rebuild as they stood at a past instant. */
export const REPLAYABLE = ['appointment', 'patient'] as const;
export type ReplayableRecord = (typeof REPLAYABLE)[number];

/**
 * The port to the services that own the records: each rebuilds its record from its own event log
 * (`aggregateStream(..., { asOf })`) and audits the read itself. The audit service never holds the
 * records (its log has ids only), so replay asks the owner.
 */
export interface RecordHistory {
  /** The record as JSON as it stood at `asOf`; NOT_FOUND when it did not exist yet. */
  asOf(kind: ReplayableRecord, id: string, asOf: Date): Promise<unknown>;
  close(): void;
}

export interface RecordHistoryAddresses {
  scheduling?: string;
  patientRecord?: string;
}

const notConfigured = (service: string) =>
  errors.precondition('REPLAY_PEER_NOT_CONFIGURED', `No address for the ${service} service`);

/** The gRPC adapter: GetAppointmentAsOf (scheduling) and GetPatientAsOf (patient-record), with the caller's token. */
export function grpcRecordHistory(addresses: RecordHistoryAddresses, token: string): RecordHistory {
  const options = { getToken: () => token };
  const scheduling =
    addresses.scheduling === undefined
      ? undefined
      : createGrpcClient(SchedulingServiceClient, addresses.scheduling, options);
  const patientRecord =
    addresses.patientRecord === undefined
      ? undefined
      : createGrpcClient(PatientRecordServiceClient, addresses.patientRecord, options);
  return {
    async asOf(kind, id, asOf) {
      switch (kind) {
        case 'appointment': {
          if (scheduling === undefined) throw notConfigured('scheduling');
          const res = await scheduling.getAppointmentAsOf({ appointmentId: id, asOf });
          return res.appointment === undefined ? null : Appointment.toJSON(res.appointment);
        }
        case 'patient': {
          if (patientRecord === undefined) throw notConfigured('patient-record');
          const res = await patientRecord.getPatientAsOf({ patientId: id, asOf });
          return res.patient === undefined ? null : PatientRecord.toJSON(res.patient);
        }
        default: {
          const _exhaustive: never = kind;
          throw errors.validation('REPLAY_KIND_UNKNOWN', `Unknown record kind ${String(_exhaustive)}`);
        }
      }
    },
    close() {
      scheduling?.close();
      patientRecord?.close();
    },
  };
}
