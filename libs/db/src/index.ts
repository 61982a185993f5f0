export * from './migrate.js';
export * from './pool.js';
export * from './provision.js';
export * from './rls.js';
export * from './sql.js';
export * from './transaction.js';
export * from './migrate-command.js';
