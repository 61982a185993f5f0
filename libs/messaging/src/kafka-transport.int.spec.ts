import { describeTransportConformance } from './conformance/transport-conformance.js';
import { kafkaTransport } from './fixtures/transports.js';

// The conformance suite over Kafka: relay -> topic -> consumer group.
describeTransportConformance(kafkaTransport);
