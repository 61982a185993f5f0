import { BinaryWriter, WireType } from '@bufbuild/protobuf/wire';
import { createOutboxMapper, integrationEvent, type ProtoEncoder } from '@medspa/messaging';
import type { AppointmentEvent } from './payload.js';

/**
 * The integration event a scheduling service would publish for each appointment event: ids and
 * non-PHI facts only. Encoded the way ts-proto's generated `encode` does it (the bench has no
 * .proto of its own; the wire bytes are what matter to the relay).
 */
interface AppointmentFacts {
  appointmentId: string;
  providerId: string;
  serviceCode: string;
  startsAt: string;
  sequence: number;
}

const appointmentFacts: ProtoEncoder<AppointmentFacts> = {
  encode: (m) => {
    const w = new BinaryWriter();
    w.tag(1, WireType.LengthDelimited).string(m.appointmentId);
    w.tag(2, WireType.LengthDelimited).string(m.providerId);
    w.tag(3, WireType.LengthDelimited).string(m.serviceCode);
    w.tag(4, WireType.LengthDelimited).string(m.startsAt);
    w.tag(5, WireType.Varint).uint32(m.sequence);
    return w;
  },
};

/** The service name of the flow data set: its topic is `medspa.bench.events.v1`. */
export const FLOW_SERVICE = 'bench';

/** The store's `toOutbox`: every appointment event becomes one message, keyed by stream id. */
export const appointmentOutbox = createOutboxMapper<AppointmentEvent>({
  service: FLOW_SERVICE,
  map: ({ event }) =>
    integrationEvent(`medspa.bench.v1.${event.type}`, appointmentFacts, {
      appointmentId: event.data.appointmentId,
      providerId: event.data.providerId,
      serviceCode: event.data.serviceCode,
      startsAt: event.data.startsAt,
      sequence: event.data.sequence,
    }),
});
