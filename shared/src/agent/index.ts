export {
  AlternativeChosenError,
  ApprovedActionMismatchError,
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
export {
  defaultAgentToken,
  defaultDataDir,
  defaultHubUrl,
  parsePort,
  readVariable,
  resolveAgentToken,
  resolveDataDir,
  resolveHubUrl,
  resolvePort,
  SignoffVariable,
  type AgentTokenOptions,
  type DataDirOptions,
  type Environment,
  type HubUrlOptions,
  type PortOptions,
} from './environment.js';
export * from '../protocol/index.js';
export { actionDigest } from './action-digest.js';
