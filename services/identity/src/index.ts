/** Identity: pure deciders (tenant, user, session, break-glass) and the security primitives they rely on. */
export * from './domain/index.js';
export * from './security/index.js';
