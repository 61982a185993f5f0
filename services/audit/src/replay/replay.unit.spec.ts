import { PassThrough } from 'node:stream';
import { Server, ServerCredentials, status, type Metadata, type ServiceError } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  GetPatientAsOfResponse,
  PatientRecordServiceService,
} from '@medspa/contracts/medspa.patient_record.v1';
import { GetAppointmentAsOfResponse, SchedulingServiceService } from '@medspa/contracts/medspa.scheduling.v1';
import { runCli } from '../cli/run-cli.js';

// Fakes of the owners' AsOf RPCs: only the two methods replay calls (grpc-js answers UNIMPLEMENTED
// for the rest). They remember what they were asked, with which token.
const seen: { method: string; id: string; asOf: string | undefined; authorization: string }[] = [];
const THEN = '2025-06-01T09:30:00.000Z';
let server: Server;
let port: number;

const auth = (m: Metadata) => String(m.get('authorization')[0] ?? '');
const notFound = (): Partial<ServiceError> => ({ code: status.NOT_FOUND, details: 'RECORD_NOT_FOUND' });

beforeAll(async () => {
  server = new Server();
  const fakes = {
    scheduling: {
      getAppointmentAsOf: (
        call: { request: { appointmentId: string; asOf?: Date }; metadata: Metadata },
        cb: (e: Partial<ServiceError> | null, v?: unknown) => void,
      ) => {
        const { appointmentId, asOf } = call.request;
        seen.push({
          method: 'appointment',
          id: appointmentId,
          asOf: asOf?.toISOString(),
          authorization: auth(call.metadata),
        });
        if (appointmentId === 'missing') return cb(notFound());
        cb(
          null,
          GetAppointmentAsOfResponse.fromPartial({
            appointment: { appointmentId, patientId: 'p-1', status: 1, version: 3, start: new Date(THEN) },
          }),
        );
      },
    },
    patientRecord: {
      getPatientAsOf: (
        call: { request: { patientId: string; asOf?: Date }; metadata: Metadata },
        cb: (e: Partial<ServiceError> | null, v?: unknown) => void,
      ) => {
        const { patientId, asOf } = call.request;
        seen.push({
          method: 'patient',
          id: patientId,
          asOf: asOf?.toISOString(),
          authorization: auth(call.metadata),
        });
        cb(null, GetPatientAsOfResponse.fromPartial({ patient: { patientId, active: true } }));
      },
    },
  };
  server.addService(SchedulingServiceService, fakes.scheduling);
  server.addService(PatientRecordServiceService, fakes.patientRecord);
  port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (e, p) =>
      e ? reject(e) : resolve(p),
    ),
  );
});
afterAll(() => server?.forceShutdown());

async function cli(args: string[]) {
  const [stdout, stderr] = [new PassThrough(), new PassThrough()];
  const out: string[] = [];
  const err: string[] = [];
  stdout.on('data', (c: Buffer) => out.push(c.toString()));
  stderr.on('data', (c: Buffer) => err.push(c.toString()));
  const env = {
    MEDSPA_AUDIT_TOKEN: 'officer-token',
    SCHEDULING_GRPC_ADDR: `127.0.0.1:${port}`,
    PATIENT_RECORD_GRPC_ADDR: `127.0.0.1:${port}`,
  };
  const code = await runCli(args, { stdout, stderr, env });
  return { code, out: out.join(''), err: err.join('') };
}

describe('medspa-audit replay', () => {
  it('asks scheduling for the appointment as it stood at the instant, with the officer token', async () => {
    const res = await cli(['replay', '--kind', 'appointment', '--id', 'appt-1', '--as-of', THEN]);
    expect(res.code).toBe(0);
    expect(JSON.parse(res.out)).toMatchObject({
      kind: 'appointment',
      id: 'appt-1',
      asOf: THEN,
      record: { appointmentId: 'appt-1', patientId: 'p-1', version: 3, start: THEN },
    });
    expect(seen.at(-1)).toEqual({
      method: 'appointment',
      id: 'appt-1',
      asOf: THEN,
      authorization: 'Bearer officer-token',
    });
  });

  it('asks patient-record for the patient', async () => {
    const res = await cli(['replay', '--kind', 'patient', '--id', 'p-9', '--as-of', THEN]);
    expect(res.err).toBe('');
    expect(res.code).toBe(0);
    expect(JSON.parse(res.out)).toMatchObject({ record: { patientId: 'p-9', active: true } });
    expect(seen.at(-1)).toMatchObject({ method: 'patient', id: 'p-9', asOf: THEN });
  });

  it("reports the owner's NOT_FOUND and refuses an unknown kind or instant", async () => {
    const missing = await cli(['replay', '--kind', 'appointment', '--id', 'missing', '--as-of', THEN]);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('not_found');
    expect((await cli(['replay', '--kind', 'invoice', '--id', 'x', '--as-of', THEN])).code).toBe(2);
    expect((await cli(['replay', '--kind', 'patient', '--id', 'x', '--as-of', 'yesterday'])).code).toBe(2);
  });
});
