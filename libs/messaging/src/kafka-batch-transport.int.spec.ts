import { describeTransportConformance } from './conformance/transport-conformance.js';
import { kafkaTransport } from './fixtures/transports.js';

// The conformance suite over Kafka with a batch handler (eachBatch, one claim statement and one
// offset commit per batch; a failed batch delivered message by message): the same guarantees.
describeTransportConformance((services) => kafkaTransport(services, { batch: true }));
