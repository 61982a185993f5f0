import { randomUUID } from 'node:crypto';
import type { Metadata } from '@grpc/grpc-js';

export const AUTHORIZATION_KEY = 'authorization';
export const REQUEST_ID_KEY = 'x-request-id';
export const TRACEPARENT_KEY = 'traceparent';

// Request ids end up in logs and audit entries: accept only short, plain ids from callers so a
// header can't inject log lines or bloat every record.
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
// W3C trace context, version 00 layout; all-zero ids are invalid per the spec.
const TRACEPARENT = /^[0-9a-f]{2}-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}$/;

const firstString = (metadata: Metadata, key: string): string | undefined => {
  const value = metadata.get(key)[0];
  return typeof value === 'string' ? value : undefined;
};

/** What the server takes from incoming metadata. The tenant is deliberately not among it. */
export interface IncomingCallMetadata {
  token: string | undefined;
  /** True when an authorization header was sent but is not `Bearer <token>`. */
  malformedAuthorization: boolean;
  requestId: string;
  traceparent: string | undefined;
}

/** Reads bearer token, request id (generated when absent or unusable) and traceparent. */
export function readIncomingMetadata(metadata: Metadata): IncomingCallMetadata {
  const authorization = firstString(metadata, AUTHORIZATION_KEY);
  const match = authorization === undefined ? null : /^Bearer ([^\s]+)$/i.exec(authorization.trim());
  const requestId = firstString(metadata, REQUEST_ID_KEY);
  const traceparent = firstString(metadata, TRACEPARENT_KEY);
  return {
    token: match?.[1],
    malformedAuthorization: authorization !== undefined && match === null,
    requestId: requestId !== undefined && REQUEST_ID.test(requestId) ? requestId : randomUUID(),
    traceparent: traceparent !== undefined && TRACEPARENT.test(traceparent) ? traceparent : undefined,
  };
}

/** A copy of the metadata without credentials, safe to hand to handlers and loggers. */
export function withoutCredentials(metadata: Metadata): Metadata {
  const copy = metadata.clone();
  copy.remove(AUTHORIZATION_KEY);
  return copy;
}
