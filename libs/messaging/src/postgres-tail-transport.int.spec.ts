import { describeTransportConformance } from './conformance/transport-conformance.js';
import { postgresTailTransport } from './fixtures/transports.js';

// The conformance suite over the Postgres tail: producer outbox -> read-only grant -> consumer.
describeTransportConformance(postgresTailTransport);
