export * from './log.js';
export * from './protocol/index.js';
