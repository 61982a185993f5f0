export * from './error-serializer.js';
export * from './logger.js';
export * from './metrics.js';
export * from './redaction.js';
export * from './redact-walk.js';
export * from './span-scrubber.js';
export * from './telemetry.js';
export * from './trace-context.js';
export { UNTRACED_HTTP_PATHS } from './instrumentations.js';
