import { randomUUID } from 'node:crypto';
import type { DomainEvent, EventMetadata } from '@medspa/eventstore';

/**
 * The event every contender writes: an appointment-like domain event of about 300 bytes of JSON,
 * with about 300 bytes of metadata (tenant, actor, correlation, causation, traceparent), the shape
 * the platform's events have. Every contender gets the very same objects.
 */
export interface AppointmentData {
  appointmentId: string;
  patientId: string;
  providerId: string;
  serviceCode: string;
  startsAt: string;
  durationMin: number;
  timeZone: string;
  price: { amountMinor: number; currency: string };
  sequence: number;
}

export type AppointmentEvent = DomainEvent<string, AppointmentData>;

// The lifecycle the events walk through; all share one shape so every event has the same size.
const TYPES = [
  'AppointmentBooked',
  'AppointmentConfirmed',
  'ReminderSent',
  'AppointmentRescheduled',
  'PatientCheckedIn',
  'AppointmentCompleted',
];
const SERVICES = ['BOTOX-20U', 'FILLER-LIPS', 'HYDRAFACIAL', 'LASER-IPL', 'PEEL-TCA'];
const ZONES = ['America/Los_Angeles', 'America/New_York', 'America/Chicago', 'America/Denver'];

/** A handful of tenants, each with its own staff and patients: what a read model partitions by. */
export const TENANTS = Array.from({ length: 4 }, () => ({
  tenantId: randomUUID(),
  providers: Array.from({ length: 8 }, () => randomUUID()),
  patients: Array.from({ length: 64 }, () => randomUUID()),
}));

const pick = <T>(list: readonly T[], n: number): T => list[n % list.length]!;

/** One appointment stream: the tenant it belongs to and the fixed facts its events repeat. */
export interface AppointmentStream {
  streamId: string;
  appointmentId: string;
  tenant: (typeof TENANTS)[number];
  n: number;
}

/**
 * Stream `n` of writer `writer` in run `runId`: `appointment-<runId>-<writer>-<n>` (Emmett takes
 * the stream type from the prefix).
 */
export function appointmentStream(runId: string, writer: number, n: number): AppointmentStream {
  const appointmentId = randomUUID();
  return {
    streamId: `appointment-${runId}-${writer}-${n}`,
    appointmentId,
    tenant: pick(TENANTS, n + writer),
    n,
  };
}

/** Event number `sequence` (1-based) of a stream. */
export function appointmentEvent(stream: AppointmentStream, sequence: number): AppointmentEvent {
  const start = Date.UTC(2025, 2, 1, 9) + ((stream.n * 37 + sequence) % 2000) * 15 * 60_000;
  return {
    type: pick(TYPES, sequence - 1),
    data: {
      appointmentId: stream.appointmentId,
      patientId: pick(stream.tenant.patients, stream.n),
      providerId: pick(stream.tenant.providers, stream.n),
      serviceCode: pick(SERVICES, stream.n),
      startsAt: new Date(start).toISOString(),
      durationMin: 30 + (stream.n % 4) * 15,
      timeZone: pick(ZONES, stream.n),
      price: { amountMinor: 25_000 + (stream.n % 40) * 500, currency: 'USD' },
      sequence,
    },
  };
}

/** The metadata of one command's events: fresh correlation and causation ids, a W3C traceparent. */
export function appointmentMetadata(stream: AppointmentStream): EventMetadata {
  const traceId = randomUUID().replaceAll('-', '');
  const spanId = traceId.slice(0, 16);
  return {
    tenantId: stream.tenant.tenantId,
    actor: { id: pick(stream.tenant.providers, stream.n + 1), role: 'front_desk' },
    correlationId: randomUUID(),
    causationId: randomUUID(),
    traceparent: `00-${traceId}-${spanId}-01`,
  };
}

/** The events `from`..`from + count - 1` of a stream, and their metadata. */
export function appointmentBatch(
  stream: AppointmentStream,
  from: number,
  count: number,
): { events: AppointmentEvent[]; metadata: EventMetadata } {
  const events = Array.from({ length: count }, (_, i) => appointmentEvent(stream, from + i));
  return { events, metadata: appointmentMetadata(stream) };
}

/** Sizes in bytes of the JSON every contender stores, for the report. */
export function payloadSizes(): { data: number; metadata: number } {
  const stream = appointmentStream('sizecheck', 0, 0);
  const { events, metadata } = appointmentBatch(stream, 1, 1);
  return {
    data: Buffer.byteLength(JSON.stringify(events[0]!.data)),
    metadata: Buffer.byteLength(JSON.stringify(metadata)),
  };
}
