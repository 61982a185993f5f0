// Public API of @medspa/testing. global-setup.ts is not exported: vitest loads it by path.
export { adminDatabaseUrl, kafkaBrokers, redisUrl } from './provided-context.js';
export { createTestDatabase } from './test-database.js';
export type { TestDatabase } from './test-database.js';
export { testRedisPrefix, testTopicPrefix } from './prefixes.js';
export { canaryList, findCanariesInText, makeCanaries } from './canary.js';
export type { Canaries, Canary, CanaryField, CanaryHit, CanaryPatient } from './canary.js';
export { captureLogs } from './capture-logs.js';
export type { CaptureLogsOptions, LogCapture } from './capture-logs.js';
export { scanPostgres } from './scan-postgres.js';
export type { ScanPostgresOptions } from './scan-postgres.js';
export { scanKafkaTopics } from './scan-kafka.js';
export type { ScanKafkaOptions } from './scan-kafka.js';
export { recordOutboundRequests } from './outbound-requests.js';
export type {
  OutboundRecorder,
  RecordedRequest,
  RecordOutboundOptions,
  StubResponse,
} from './outbound-requests.js';
// Owned by other engineers; re-exported because "." is the package's only entry point.
export { deciderSpec } from './decider-spec.js';
export * from './tokens.js';
export { createServiceDatabase } from './service-database.js';
export type { ServiceDatabase } from './service-database.js';
export { eventually } from './eventually.js';
