export * from './blocks.js';
export * from './fields.js';
export * from './load-config.js';
export * from './rules.js';
