export { connect, NotApprovedError, SignoffClient, type ConnectOptions, type WaitOptions } from './client.js';
export { defaultAgentToken, defaultDataDir, defaultHubUrl } from './environment.js';
export * from '../protocol/index.js';
