export {
  AlternativeChosenError,
  connect,
  InvalidEditedArgsError,
  NotApprovedError,
  SignoffClient,
  type ApprovalGateOptions,
  type CallOptions,
  type ConnectOptions,
  type StandardSchemaLike,
  type WaitOptions,
} from './client.js';
export { defaultAgentToken, defaultDataDir, defaultHubUrl } from './environment.js';
export * from '../protocol/index.js';
