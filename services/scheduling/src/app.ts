// Loaded by main.ts after telemetry has started, so the instrumented modules (pg, grpc) are
// patched before they are first imported.
export { startService } from './service.js';
export { migrations } from '../migrations/index.js';
export { rebuildTarget } from './projections/index.js';
export { loadSchedulingConfig } from './config.js';
