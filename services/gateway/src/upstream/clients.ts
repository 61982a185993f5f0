import { AuditServiceClient } from '@medspa/contracts/medspa.audit.v1';
import { IdentityServiceClient } from '@medspa/contracts/medspa.identity.v1';
import { PatientRecordServiceClient } from '@medspa/contracts/medspa.patient_record.v1';
import { SchedulingServiceClient } from '@medspa/contracts/medspa.scheduling.v1';
import {
  REQUEST_ID_KEY,
  TRACEPARENT_KEY,
  createGrpcClient,
  type AnyServiceDefinition,
  type GeneratedClientConstructor,
  type PromiseClient,
} from '@medspa/grpc';
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

interface MetadataLike {
  set(key: string, value: string): void;
  remove(key: string): void;
}

type AnyRequest = (...args: unknown[]) => unknown;

/**
 * The generated client, with the request id and traceparent of the HTTP request being served
 * stamped on each call's metadata. createGrpcClient takes them only from an incoming gRPC call,
 * which the gateway never has; it builds the metadata and hands it to makeUnaryRequest /
 * makeServerStreamRequest (argument 4), where this subclass overwrites the two keys.
 */
function withEdgeMetadata<D extends AnyServiceDefinition>(
  Ctor: GeneratedClientConstructor<D>,
): GeneratedClientConstructor<D> {
  const stamp = (args: unknown[]): void => {
    const call = currentEdgeCall();
    const metadata = args[4] as MetadataLike | undefined;
    if (call === undefined || metadata === undefined) return;
    metadata.set(REQUEST_ID_KEY, call.requestId);
    if (call.traceparent === undefined) metadata.remove(TRACEPARENT_KEY);
    else metadata.set(TRACEPARENT_KEY, call.traceparent);
  };
  class EdgeClient extends Ctor {
    static override readonly service = Ctor.service;
    constructor(...args: ConstructorParameters<GeneratedClientConstructor<D>>) {
      super(...args);
      const self = this as unknown as Record<'makeUnaryRequest' | 'makeServerStreamRequest', AnyRequest>;
      for (const name of ['makeUnaryRequest', 'makeServerStreamRequest'] as const) {
        const original = self[name].bind(this);
        self[name] = (...callArgs: unknown[]) => {
          stamp(callArgs);
          return original(...callArgs);
        };
      }
    }
  }
  return EdgeClient;
}

/**
 * One client per service. Every call carries the HTTP caller's own bearer token (never a gateway
 * credential: the services authorize the person, zero trust), request id and traceparent.
 */
export function createUpstreams(
  addresses: UpstreamAddresses,
  deadlineMs: number,
): Upstreams & { close(): void } {
  const options = {
    forwardCallerToken: false,
    getToken: () => currentEdgeCall()?.token,
    deadlineMs,
  };
  const upstreams: Upstreams = {
    identity: createGrpcClient(withEdgeMetadata(IdentityServiceClient), addresses.identity, options),
    scheduling: createGrpcClient(withEdgeMetadata(SchedulingServiceClient), addresses.scheduling, options),
    patientRecord: createGrpcClient(
      withEdgeMetadata(PatientRecordServiceClient),
      addresses.patientRecord,
      options,
    ),
    audit: createGrpcClient(withEdgeMetadata(AuditServiceClient), addresses.audit, options),
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
