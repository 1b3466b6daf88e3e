export {
  ApproverConnection,
  type ApproverConnectionEvents,
  type ApproverConnectionOptions,
  type ApproverConnectionState,
  type ApproverConnectionStatus,
  type RespondOutcome,
} from './approver-connection.js';
export { exportFromPages, type ExportProgress } from './audit-export-pages.js';
export { HubIdentityError, keyCredential, verifyHubChallenge, type ApproverCredential, type ChallengeContext, type DeviceKey } from './credential.js';
export { checkHubIdentity, impostorMessage, pairDevice, PairingError, type HubCheck, type KeptDevice, type PairedDevice, type PairOptions } from './pairing.js';
export { explainRefusal, NOT_SENT_NO_ANSWER, NOT_SENT_OFFLINE, notSentMessage, type HubRefusal } from './refusal-text.js';
