export * from './app-error.js';
export * from './grpc-status.js';
export * from './problem.js';
export * from './zod-violations.js';
