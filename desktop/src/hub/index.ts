export { createHub, DB_FILE, type Hub, type HubOptions } from './hub.js';
export { DEFAULT_AGENT_LIMITS, LIMITS_FILE, type AgentLimits } from './agent-limits.js';
export { AGENT_TOKEN_FILE, PAIRING_CODE_TTL_MS, createPairingCode, loadOrCreateAgentToken } from './auth.js';
export { systemClock, type Clock } from './clock.js';
export { SqliteStore, type SqliteStoreOptions } from './sqlite-store.js';
export { PRIVATE_UMASK, usePrivateUmask } from './private-files.js';
export type { RequestStore } from './request-store.js';
export { HUB_VERSION } from './version.js';
