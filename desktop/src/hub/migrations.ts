/**
 * Numbered schema migrations, applied in order inside one transaction each;
 * `PRAGMA user_version` records the last one applied. Never edit a shipped
 * migration: add the next one.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: requests, decisions, events, feedback, pairing, approvers
  `
  CREATE TABLE requests (
    id              TEXT PRIMARY KEY,
    kind            TEXT NOT NULL,
    status          TEXT NOT NULL,
    severity        TEXT NOT NULL,
    owner           TEXT NOT NULL,
    agent_id        TEXT,
    run_id          TEXT,
    idempotency_key TEXT,
    created_at      INTEGER NOT NULL,
    expires_at      INTEGER,
    payload         TEXT NOT NULL
  );
  CREATE UNIQUE INDEX requests_idempotency ON requests(owner, ifnull(agent_id, ''), idempotency_key)
    WHERE idempotency_key IS NOT NULL;
  CREATE INDEX requests_status_created ON requests(status, created_at);
  CREATE INDEX requests_created ON requests(created_at);
  CREATE INDEX requests_run ON requests(run_id, created_at) WHERE run_id IS NOT NULL;

  CREATE TABLE decisions (
    request_id   TEXT PRIMARY KEY REFERENCES requests(id),
    status       TEXT NOT NULL,
    response     TEXT,
    responded_by TEXT NOT NULL,
    via          TEXT NOT NULL,
    responded_at INTEGER NOT NULL,
    wait_ms      INTEGER NOT NULL,
    reason       TEXT
  );

  CREATE TABLE request_events (
    id         INTEGER PRIMARY KEY,
    request_id TEXT NOT NULL REFERENCES requests(id),
    at         INTEGER NOT NULL,
    type       TEXT NOT NULL,
    detail     TEXT
  );
  CREATE INDEX request_events_request ON request_events(request_id, id);

  CREATE TABLE feedback (
    id          INTEGER PRIMARY KEY,
    agent_id    TEXT NOT NULL,
    type        TEXT NOT NULL,
    aspect      TEXT NOT NULL,
    content     TEXT NOT NULL,
    importance  REAL NOT NULL,
    request_id  TEXT,
    recorded_by TEXT NOT NULL,
    created_at  INTEGER NOT NULL
  );
  CREATE INDEX feedback_agent ON feedback(agent_id, id);

  CREATE TABLE pairing_codes (
    code_hash  TEXT PRIMARY KEY,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER,
    failures   INTEGER NOT NULL DEFAULT 0
  );

  CREATE TABLE approvers (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
  );
  `,
  // 2: approvers become devices: a public key (challenge auth) or a token, ephemeral browser tabs, last seen
  `
  ALTER TABLE approvers ADD COLUMN public_key TEXT;
  ALTER TABLE approvers ADD COLUMN ephemeral INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE approvers ADD COLUMN last_seen_at INTEGER;
  CREATE INDEX approvers_revoked ON approvers(revoked_at) WHERE revoked_at IS NOT NULL;
  `,
  // 3: policy: who decided without a person (a rule, a grant) or stopped an approval (a guardrail); remembered grants
  `
  -- JSON: { rule?, audit?, grantId?, guardrail?, unguarded? } (Decision's policy fields), NULL for none
  ALTER TABLE decisions ADD COLUMN policy TEXT;

  CREATE TABLE grants (
    id           TEXT PRIMARY KEY,
    owner        TEXT NOT NULL,
    agent_id     TEXT NOT NULL,
    scope        TEXT NOT NULL,
    run_id       TEXT,
    match        TEXT NOT NULL,
    created_by   TEXT NOT NULL,
    request_id   TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER,
    revoked_at   INTEGER,
    uses         INTEGER NOT NULL DEFAULT 0,
    last_used_at INTEGER
  );
  CREATE INDEX grants_live ON grants(revoked_at, expires_at);
  `,
  // 4: receipts: every settled decision appended to a hash-chained audit log (audit-log.ts); the decision keeps its receipt
  `
  CREATE TABLE audit (
    seq           INTEGER PRIMARY KEY,
    at            INTEGER NOT NULL,
    request_id    TEXT NOT NULL,
    kind          TEXT NOT NULL,
    title         TEXT NOT NULL,
    agent_id      TEXT,
    severity      TEXT NOT NULL,
    status        TEXT NOT NULL,
    response      TEXT,
    responded_by  TEXT NOT NULL,
    via           TEXT NOT NULL,
    action_digest TEXT NOT NULL,
    prev_hash     TEXT NOT NULL,
    hash          TEXT NOT NULL
  );
  -- JSON: { seq, hash, actionDigest } (Decision's receipt), NULL for decisions settled before this migration
  ALTER TABLE decisions ADD COLUMN receipt TEXT;
  `,
  // 5: a reviewer's verdict on a request it left to a person (policy `then: review`), shown to whoever decides it
  `
  CREATE TABLE reviews (
    request_id TEXT PRIMARY KEY REFERENCES requests(id),
    review     TEXT NOT NULL
  );
  `,
  // 6: per-machine agent tokens for agents that reach the hub through its public URL (signoff token create NAME)
  `
  CREATE TABLE machine_tokens (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER,
    revoked_at   INTEGER
  );
  -- One live token per name; a revoked name may be issued again.
  CREATE UNIQUE INDEX machine_tokens_live_name ON machine_tokens(name) WHERE revoked_at IS NULL;
  -- The machine a request came from (NULL: this machine), shown in every UI.
  ALTER TABLE requests ADD COLUMN machine TEXT;
  `,
  // 7: Web Push subscriptions, one or more per paired device, gone with the device
  `
  CREATE TABLE push_subscriptions (
    endpoint    TEXT PRIMARY KEY,
    device_id   TEXT NOT NULL REFERENCES approvers(id) ON DELETE CASCADE,
    p256dh      TEXT NOT NULL,
    auth        TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    last_ok_at  INTEGER
  );
  CREATE INDEX push_subscriptions_device ON push_subscriptions(device_id);
  `,
  // 8: feedback belongs to the machine whose agents it is about (NULL: this machine), so another machine's
  // agents neither read the person's corrections to this machine's agents nor fill their budget
  `
  ALTER TABLE feedback ADD COLUMN machine TEXT;
  CREATE INDEX feedback_machine_agent ON feedback(ifnull(machine, ''), agent_id, id);
  `,
];
