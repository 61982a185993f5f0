import { AuditServiceClient } from '@medspa/contracts/medspa.audit.v1';
import { IdentityServiceClient } from '@medspa/contracts/medspa.identity.v1';
import { PatientRecordServiceClient } from '@medspa/contracts/medspa.patient_record.v1';
import { SchedulingServiceClient } from '@medspa/contracts/medspa.scheduling.v1';
import { createGrpcClient, type GrpcClientOptions, type PromiseClient } from '@medspa/grpc';
import { currentEdgeCall } from './edge-call.js';

/** The services the gateway calls, as promise clients. */
export interface Upstreams {
  identity: PromiseClient<typeof IdentityServiceClient.service>;
  scheduling: PromiseClient<typeof SchedulingServiceClient.service>;
  patientRecord: PromiseClient<typeof PatientRecordServiceClient.service>;
  audit: PromiseClient<typeof AuditServiceClient.service>;
}

export type UpstreamName = keyof Upstreams;

export interface UpstreamAddresses {
  identity: string;
  scheduling: string;
  patientRecord: string;
  audit: string;
}

/**
 * How each upstream client is made: the HTTP caller's own bearer token (never a gateway
 * credential: the services authorize the person, zero trust), and the request id and traceparent
 * of the HTTP request being served (libs/grpc takes them from here, as there is no incoming gRPC call).
 */
export function edgeClientOptions(deadlineMs: number): GrpcClientOptions {
  return {
    forwardCallerToken: false,
    getToken: () => currentEdgeCall()?.token,
    getCallMetadata: () => {
      const call = currentEdgeCall();
      if (call === undefined) return undefined;
      return {
        requestId: call.requestId,
        ...(call.traceparent === undefined ? {} : { traceparent: call.traceparent }),
      };
    },
    deadlineMs,
  };
}

/**
 * One client per service. Every call carries the HTTP caller's own bearer token (never a gateway
 * credential: the services authorize the person, zero trust), request id and traceparent.
 */
export function createUpstreams(
  addresses: UpstreamAddresses,
  deadlineMs: number,
): Upstreams & { close(): void } {
  const options = edgeClientOptions(deadlineMs);
  const upstreams: Upstreams = {
    identity: createGrpcClient(IdentityServiceClient, addresses.identity, options),
    scheduling: createGrpcClient(SchedulingServiceClient, addresses.scheduling, options),
    patientRecord: createGrpcClient(PatientRecordServiceClient, addresses.patientRecord, options),
    audit: createGrpcClient(AuditServiceClient, addresses.audit, options),
  };
  return {
    ...upstreams,
    close: () => {
      upstreams.identity.close();
      upstreams.scheduling.close();
      upstreams.patientRecord.close();
      upstreams.audit.close();
    },
  };
}
