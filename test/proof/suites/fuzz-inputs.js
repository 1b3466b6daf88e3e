// @ts-check
/**
 * fast-check arbitraries for the fuzz suite: REST bodies, paths, queries and headers,
 * Socket.IO events on both namespaces, handshakes, and raw Engine.IO / Socket.IO frames.
 *
 * Inputs are symbolic where they need the live hub: `{AGENT}` / `{APPROVER}` stand for
 * tokens, `{DECIDED}` for the id of a request already decided before the fuzz (the fuzz may
 * do anything to it and it must not change), `{PENDING}` for one still pending (only read:
 * `GET`, `request:get`, `request:watch`), `{RANDOM}` for an id that does not exist.
 */
import fc from 'fast-check';

/** Percent-encodes any string byte by byte (encodeURIComponent throws on lone surrogates). @param {string} s */
const encode = (s) => [...Buffer.from(s, 'utf8')].map((b) => (/[A-Za-z0-9\-_.~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');

/** Keys that collide with object internals, and keys the hub's schemas know. */
const KEYS = [
  '__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', '__defineGetter__', 'then', 'toJSON',
  'length', '0', '', ' ', 'kind', 'title', 'body', 'context', 'severity', 'id', 'ids', 'response', 'approved', 'token', 'nonce',
  'status', 'limit', 'before', 'agentId', 'idempotencyKey', 'action', 'args', 'fields', 'name', 'options', 'draft', 'content',
];
export const weirdKey = fc.constantFrom(...KEYS);

/** Strings that have broken parsers, renderers and databases before. */
const NASTY = [
  '', ' ', '\u0000', '\ud800', '\udfff', '\ud83d', '\u202e', '\u2066', '\u200b', '\ufeff', '\uffff', '%', '%zz', '%00', '../', '..\\',
  '\\', '<script>alert(1)</script>', 'javascript:alert(1)', '${7*7}', '{{7*7}}', "'; DROP TABLE requests;--", 'null', 'undefined',
  'NaN', 'Infinity', '1e309', '-0', '0x10', '__proto__', '\r\n', '\n\nHTTP/1.1 200 OK', 'ＡＢＣ', 'İ', 'ß', '\u0301', '🏳️‍🌈', '{DECIDED}',
];
export const weirdString = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 4, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 2, arbitrary: fc.string({ maxLength: 20 }) },
  { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 300_000 }).map((n) => 'x'.repeat(n)) },
);

const leaf = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.constantFrom(Number.MAX_SAFE_INTEGER + 2, -1, 0, 1e308, -1e-308, 0.5),
  weirdString,
);

/** JSON-like values with prototype keys as own properties, weird strings, small depth. */
export const jsonish = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, leaf, leaf, tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 4 }),
  object: fc.dictionary(fc.oneof(weirdKey, fc.string({ maxLength: 8 })), tie('value'), { maxKeys: 5 }),
})).value;

/** Valid requests of every kind, the starting points of mutations. */
const TEMPLATES = {
  approval: {
    kind: 'approval', title: 'Fuzz approval', severity: 'low', timeoutMs: 3_600_000, context: { a: 1 },
    action: { name: 'db.delete', args: { table: 'x' } }, reversible: true, consequences: ['c'], alternatives: [{ id: 'archive', description: 'Archive instead' }],
  },
  clarification: {
    kind: 'clarification', title: 'Which?', options: [{ id: 'a', label: 'A' }],
    fields: [{ name: 'f', label: 'F', type: 'select', options: [{ id: 'o', label: 'O' }] }],
  },
  edit: { kind: 'edit', title: 'Review', draft: { format: 'markdown', content: 'hello' } },
  escalation: { kind: 'escalation', title: 'Stuck', reason: 'r', attempted: ['a'] },
  checkpoint: { kind: 'checkpoint', title: 'Half way', phase: 'p', progress: 0.5 },
  external: { kind: 'external', title: 'Run it', tool: { name: 't', args: {} } },
  notify: { kind: 'notify', title: 'FYI' },
};
const RESPONSES = [{ approved: true }, { approved: false, reason: 'no' }, { optionId: 'a' }, { action: 'accept' }, { action: 'continue' }, { result: 1 }, null];

/**
 * Sets, deletes or adds one key somewhere in a copy of `base` (top level or one level down).
 * @param {any} base
 * @param {{ where: number, op: 'set' | 'delete' | 'add', key: string, value: unknown }} m
 */
function mutate(base, m) {
  const copy = structuredClone(base);
  /** @type {any[]} */
  const holders = [copy];
  for (const v of Object.values(copy)) {
    if (v && typeof v === 'object') holders.push(v);
    if (Array.isArray(v) && v[0] && typeof v[0] === 'object') holders.push(v[0]);
  }
  const target = holders[m.where % holders.length];
  const keys = Object.keys(target);
  const key = m.op === 'add' || keys.length === 0 ? m.key : /** @type {string} */ (keys[m.where % keys.length]);
  try {
    if (m.op === 'delete') delete target[key];
    else Object.defineProperty(target, key, { value: m.value, enumerable: true, writable: true, configurable: true });
  } catch {
    // an array's `length` cannot take anything: leave that one as it was
  }
  return copy;
}

const mutation = fc.record({
  where: fc.nat(),
  op: fc.constantFrom(/** @type {const} */ ('set'), 'delete', 'add'),
  key: weirdKey,
  value: jsonish,
});

/** Requests one edit away from valid: most refused with a named field, some accepted. */
export const nearValidRequest = fc.tuple(fc.constantFrom(...Object.values(TEMPLATES)), fc.array(mutation, { minLength: 1, maxLength: 3 })).map(([base, ms]) =>
  ms.reduce((acc, m) => mutate(acc, m), base),
);
export const nearValidResponse = fc.tuple(fc.constantFrom(...RESPONSES), fc.array(mutation, { maxLength: 2 })).map(([base, ms]) =>
  base === null ? null : ms.reduce((acc, m) => mutate(acc, m), base),
);

/** Targeted holes of issue 8: prototype keys in shown data, colliding field names, look-alike alternatives. */
export const pointedRequest = fc.constantFrom(
  JSON.parse('{"kind":"approval","title":"p1","context":{"__proto__":{"admin":true}}}'),
  JSON.parse('{"kind":"approval","title":"p2","action":{"name":"x","args":{"__proto__":{"polluted":1},"constructor":{"prototype":{"x":1}}}}}'),
  JSON.parse('{"kind":"clarification","title":"p3","fields":[{"name":"__proto__","label":"L","type":"text"}]}'),
  JSON.parse('{"kind":"clarification","title":"p4","fields":[{"name":"constructor","label":"L","type":"text"},{"name":"hasOwnProperty","label":"M","type":"text"}]}'),
  JSON.parse('{"kind":"approval","title":"p5","alternatives":[{"id":"a","description":"x"},{"id":"a","description":"y"}]}'),
  JSON.parse('{"kind":"approval","title":"p6","alternatives":[{"id":"proposed","description":"The action as proposed"}]}'),
  JSON.parse('{"kind":"edit","title":"p7","draft":{"format":"json","content":"{\\"__proto__\\":{\\"a\\":1}}"}}'),
  JSON.parse('{"__proto__":{"kind":"approval","title":"p8"}}'),
  JSON.parse('{"kind":"approval","title":"p9","constructor":{"name":"x"}}'),
);

/** JSON text nested `depth` levels, built as text (JSON.stringify itself overflows near 5,000). */
export const deepJson = fc.tuple(fc.integer({ min: 30, max: 60_000 }), fc.constantFrom('array', 'object', 'inContext')).map(([depth, shape]) => {
  if (shape === 'array') return `${'['.repeat(depth)}${']'.repeat(depth)}`;
  const nest = `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
  return shape === 'object' ? nest : `{"kind":"approval","title":"deep","context":${nest}}`;
});

/** Bodies as bytes: JSON of anything, near-valid requests, deep, huge, invalid UTF-8, not JSON at all. */
export const body = fc.oneof(
  { weight: 3, arbitrary: jsonish.map((v) => Buffer.from(JSON.stringify(v) ?? 'null')) },
  { weight: 5, arbitrary: nearValidRequest.map((v) => Buffer.from(JSON.stringify(v))) },
  { weight: 1, arbitrary: pointedRequest.map((v) => Buffer.from(JSON.stringify(v))) },
  { weight: 2, arbitrary: nearValidResponse.map((v) => Buffer.from(JSON.stringify(v) ?? 'null')) },
  { weight: 1, arbitrary: deepJson.map((t) => Buffer.from(t)) },
  { weight: 1, arbitrary: fc.integer({ min: 200_000, max: 2_000_000 }).map((n) => Buffer.from(`{"kind":"approval","title":"${'y'.repeat(n)}"}`)) },
  {
    weight: 2,
    arbitrary: fc.uint8Array({ minLength: 1, maxLength: 64 }).map((bytes) =>
      Buffer.concat([Buffer.from('{"kind":"approval","title":"'), Buffer.from([0xff, 0xfe, 0xc0, 0x80, 0xed, 0xa0, 0x80]), Buffer.from(bytes), Buffer.from('"}')]),
    ),
  },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 256 }).map((bytes) => Buffer.from(bytes)) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', 'null', '[]', '{}', '{', '"', 'true', '1e999', '{"a":1}{"b":2}', '\ufeff{}', '{"kind":"approval","title":"t",}').map((t) => Buffer.from(t)) },
);

const segment = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom(
      'requests', 'respond', 'health', 'pair', 'stats', 'runs', 'feedback', 'devices', 'hub', 'identity', '{DECIDED}', '{DECIDED}', '{RANDOM}',
      '', '.', '..', '%', '%2', '%zz', '%00', '%2F', '%2e%2e', '%5C', '%C0%AF', '%ED%A0%80', '\\', '/', ';', '%u0041', '..%2F', '%252F', '~',
      '*', 'api', 'v1', 'socket.io', '__proto__', 'constructor', 'index.html', 'assets', '.env', 'signoff.db', 'agent.token',
    ),
  },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme-ascii', maxLength: 12 }).map(encode) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }) },
  { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 60_000 }).map((n) => 'a'.repeat(n)) },
);
const PREFIXES = ['/api/v1', '/api/v1/', '/api', '', '/API/V1', '/api/v1/requests', '/api/v1//requests', '/socket.io', '/api/v2', '/./api/v1'];
export const path = fc.oneof(
  { weight: 8, arbitrary: fc.tuple(fc.constantFrom(...PREFIXES), fc.array(segment, { maxLength: 5 })).map(([p, s]) => `${p}/${s.join('/')}`) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('/\\', '//', '///', '/%', '\\', '*', '/api/v1/health#x', 'http://evil.example/api/v1/health', 'http://127.0.0.1/api/v1/health', '/api/v1/requests/{DECIDED}/respond/', '/api/v1/requests/%2e%2e/stats', '/?', '/??', '/api/v1/health?%', '//api/v1/health'),
  },
);

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD', 'TRACE', 'PROPFIND', 'get'];
/** Which credential a REST input carries. */
const auth = fc.constantFrom(/** @type {const} */ ('none'), 'agent', 'approver', 'wrong');

/** A REST call with a fuzzed path (and sometimes a body). */
export const pathInput = fc.record({ category: fc.constant('path'), method: fc.constantFrom(...METHODS), path, auth, body: fc.option(body, { nil: undefined, freq: 4 }) });

const QUERY_KEYS = ['status', 'limit', 'before', 'wait', 'agentId', 'type', 'x', '__proto__', 'constructor', '', 'limit[]', 'status[0]', 'EIO', 'transport', 'sid'];
const QUERY_VALUES = fc.oneof(
  fc.constantFrom('pending', 'resolved', 'expired', 'cancelled', 'blocked', 'PENDING', '-1', '0', '1', '10001', '1e309', 'NaN', '0x10', ' 5', '5 ', '999999999999999999999', '%', '%zz', '&', '=', '{DECIDED}', '{RANDOM}', 'correction'),
  weirdString.filter((s) => s.length < 2_000),
);
const QUERY_PATHS = ['/api/v1/requests', '/api/v1/requests/{DECIDED}', '/api/v1/requests/{RANDOM}', '/api/v1/feedback', '/api/v1/runs', '/api/v1/stats', '/api/v1/health', '/api/v1/devices', '/socket.io/', '/'];
/** A GET with a fuzzed query string (`wait` only on requests that answer at once). */
export const queryInput = fc.record({
  category: fc.constant('query'),
  method: fc.constant('GET'),
  path: fc.tuple(fc.constantFrom(...QUERY_PATHS), fc.array(fc.tuple(fc.constantFrom(...QUERY_KEYS), QUERY_VALUES, fc.boolean()), { maxLength: 5 })).map(
    ([p, pairs]) => `${p}?${pairs.map(([k, v, raw]) => (raw ? `${k}=${v}` : `${encode(k)}=${encode(v)}`)).join('&')}`,
  ),
  auth,
  body: fc.constant(undefined),
});

const AUTH_HEADERS = fc.oneof(
  fc.constantFrom('Bearer {AGENT}', 'bearer {AGENT}', 'Bearer  {AGENT}', 'Bearer {AGENT} x', 'Bearer {AGENT}x', 'Bearer {APPROVER}', 'Basic {AGENT}', 'Bearer', 'Bearer ', '{AGENT}', 'Token {AGENT}', 'Bearer {AGENT}\t', 'Bearer undefined', 'Bearer null'),
  fc.string({ unit: 'grapheme-ascii', maxLength: 80 }).map((s) => `Bearer ${s}`),
  fc.integer({ min: 1_000, max: 100_000 }).map((n) => `Bearer ${'t'.repeat(n)}`),
);
const HEADER = fc.oneof(
  AUTH_HEADERS.map((v) => /** @type {[string, string]} */ (['Authorization', v])),
  fc.constantFrom(
    ['Content-Type', 'text/plain'], ['Content-Type', 'application/json; charset=latin1'], ['Content-Type', 'multipart/form-data; boundary=x'], ['Content-Type', ''],
    ['Origin', 'chrome-extension://abcdefghijklmnop'], ['Origin', 'moz-extension://x'], ['Origin', 'null'], ['Origin', 'http://evil.example'], ['Origin', 'file://'],
    ['Origin', 'http://127.0.0.1:{PORT}'], ['Origin', 'http://localhost:3000'], ['Origin', 'garbage'], ['Origin', ''],
    ['Host', 'evil.example'], ['Host', '127.0.0.1'], ['Host', 'localhost:{PORT}'], ['Host', '[::1]:{PORT}'], ['Host', '127.0.0.1:{PORT}.evil.example'],
    ['Content-Encoding', 'gzip'], ['Transfer-Encoding', 'chunked'], ['Transfer-Encoding', 'gzip, chunked'], ['Expect', '100-continue'], ['Expect', 'x'],
    ['X-Forwarded-For', '8.8.8.8'], ['X-Forwarded-Host', 'evil.example'], ['Cookie', 'a=b'], ['Content-Length', '0'], ['Content-Length', '-1'], ['Content-Length', 'abc'],
    ['Upgrade', 'websocket'], ['Connection', 'keep-alive'], ['Connection', 'Upgrade'], ['Accept', '*/*'], ['Accept-Encoding', 'br'], ['Range', 'bytes=0-1'],
    ['If-None-Match', '*'], ['Authorization', 'Bearer {AGENT}'], ['Authorization', 'Bearer {AGENT}'],
  ).map((h) => /** @type {[string, string]} */ ([...h])),
  fc.tuple(fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 20 }), fc.string({ unit: 'grapheme-ascii', maxLength: 200 })).map((h) => /** @type {[string, string]} */ (h)),
  fc.integer({ min: 1_000, max: 80_000 }).map((n) => /** @type {[string, string]} */ (['X-Big', 'v'.repeat(n)])),
);
/** A plausible call (create or read) with fuzzed, duplicated and malformed headers. */
export const headerInput = fc.record({
  category: fc.constant('headers'),
  method: fc.constantFrom('GET', 'POST'),
  path: fc.constantFrom('/api/v1/requests', '/api/v1/requests/{DECIDED}', '/api/v1/stats', '/api/v1/health', '/socket.io/?EIO=4&transport=polling', '/'),
  auth: fc.constant('none'),
  headers: fc.array(HEADER, { maxLength: 5 }),
  body: fc.option(fc.oneof(nearValidRequest.map((v) => Buffer.from(JSON.stringify(v))), body), { nil: undefined }),
});

const BODY_TARGETS = [
  ['POST', '/api/v1/requests', 'agent'],
  ['POST', '/api/v1/requests', 'agent'],
  ['POST', '/api/v1/requests', 'approver'],
  ['POST', '/api/v1/requests/{DECIDED}/respond', 'approver'],
  ['POST', '/api/v1/requests/{RANDOM}/respond', 'approver'],
  ['POST', '/api/v1/requests/{DECIDED}/respond', 'agent'],
  ['POST', '/api/v1/pair', 'none'],
  ['POST', '/api/v1/hub/identity', 'none'],
  ['POST', '/api/v1/feedback', 'agent'],
  ['POST', '/api/v1/feedback', 'approver'],
  ['PUT', '/api/v1/requests', 'agent'],
  ['POST', '/api/v1/requests', 'none'],
];
/** A body for each route that reads one. */
export const bodyInput = fc.tuple(fc.constantFrom(...BODY_TARGETS), body).map(([[method, p, a], b]) => ({ category: 'body', method, path: p, auth: a, body: b }));

// ---------------------------------------------------------------------------
// Socket.IO

export const AGENT_EVENTS = ['request:create', 'request:get', 'request:watch', 'request:cancel', 'feedback:record', 'feedback:list'];
export const APPROVER_EVENTS = ['request:list', 'request:get', 'request:respond', 'stats:get', 'devices:list', 'runs:list', 'runs:get'];
const OTHER_EVENTS = ['auth:prove', 'snapshot', 'request:decided', 'request:new', 'message', '__proto__', 'constructor', 'hasOwnProperty', 'toString', '', ' ', 'x'.repeat(5_000), 'request:create\u0000', 'devices:revoke2'];

const idRef = fc.constantFrom('{DECIDED}', '{RANDOM}', '{PENDING}');
/** Payloads shaped like each event's, then bent. */
const eventPayload = fc.oneof(
  { weight: 4, arbitrary: jsonish },
  { weight: 3, arbitrary: nearValidRequest },
  { weight: 1, arbitrary: pointedRequest },
  { weight: 2, arbitrary: fc.record({ id: fc.oneof(idRef, weirdString, jsonish) }) },
  { weight: 2, arbitrary: fc.record({ ids: fc.oneof(fc.array(fc.oneof(idRef, weirdString), { maxLength: 20 }), jsonish, fc.integer({ min: 1, max: 20_000 }).map((n) => Array.from({ length: n }, (_, i) => `id-${i}`))) }) },
  { weight: 2, arbitrary: fc.record({ id: fc.constantFrom('{DECIDED}', '{RANDOM}'), response: nearValidResponse }) },
  { weight: 1, arbitrary: fc.record({ status: QUERY_VALUES, limit: fc.oneof(fc.integer(), weirdString), before: fc.oneof(idRef, weirdString) }, { requiredKeys: [] }) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 512 }).map((b) => Buffer.from(b)) },
  { weight: 1, arbitrary: fc.record({ blob: fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)), kind: fc.constant('approval'), title: fc.constant('binary') }) },
  { weight: 1, arbitrary: fc.integer({ min: 200_000, max: 1_300_000 }).map((n) => ({ kind: 'approval', title: 'z'.repeat(n) })) },
  { weight: 1, arbitrary: fc.integer({ min: 30, max: 3_000 }).map((d) => nested(d)) },
);

/** @param {number} depth */
function nested(depth) {
  /** @type {unknown} */
  let v = 1;
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
}

/**
 * One emit on a namespace: its own events (the hub must ack), others (it must stay up),
 * 0–3 arguments of anything.
 * @param {'agent' | 'approver'} namespace
 */
export function socketInput(namespace) {
  const own = namespace === 'agent' ? AGENT_EVENTS : APPROVER_EVENTS;
  const foreign = namespace === 'agent' ? APPROVER_EVENTS.filter((e) => !own.includes(e)) : AGENT_EVENTS.filter((e) => !own.includes(e));
  return fc.record({
    category: fc.constant(`socket ${namespace}`),
    namespace: fc.constant(namespace),
    event: fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...own) }, { weight: 1, arbitrary: fc.constantFrom(...foreign) }, { weight: 1, arbitrary: fc.constantFrom(...OTHER_EVENTS) }),
    args: fc.oneof({ weight: 6, arbitrary: eventPayload.map((p) => [p]) }, { weight: 1, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: fc.array(eventPayload, { minLength: 2, maxLength: 3 }) }),
  });
}

/** A handshake with a fuzzed `auth` on a namespace, over either transport. */
export const handshakeInput = fc.record({
  category: fc.constant('handshake'),
  namespace: fc.constantFrom('/agent', '/approver', '/', '/nope', '/agent/', '/AGENT'),
  transport: fc.constantFrom(/** @type {const} */ ('websocket'), 'polling'),
  auth: fc.oneof(
    jsonish.filter((v) => typeof v === 'object' && v !== null && !Array.isArray(v)),
    fc.record({ token: fc.oneof(jsonish, weirdString, fc.constantFrom('{AGENT}x', '{APPROVER}x', 'x{AGENT}', '{AGENT}'.toLowerCase())) }),
    fc.record({ nonce: fc.oneof(weirdString, fc.constant('A'.repeat(43)), fc.constant('_'.repeat(64))), surface: fc.oneof(weirdString, fc.constantFrom('extension', 'window', 'tray')) }, { requiredKeys: ['nonce'] }),
    fc.record({ token: fc.constantFrom('{AGENT}', '{APPROVER}'), nonce: weirdString, surface: jsonish }, { requiredKeys: ['token'] }),
    fc.constant(JSON.parse('{"__proto__":{"token":"x"}}')),
  ),
});

/** Engine.IO / Socket.IO packets as text or bytes: broken JSON, wrong types, invalid UTF-8, unknown packet types. */
export const frameInput = fc.record({
  category: fc.constant('raw frames'),
  frames: fc.array(
    fc.oneof(
      fc.tuple(fc.constantFrom('4', '42', '42/agent,', '42/agent,7', '43/agent,1', '44/agent,', '45/agent,1-', '41/agent,', '40/agent,', '6', '1', '3', '5', '9', '42/nope,', ''), fc.oneof(fc.constant(''), weirdString, jsonish.map((v) => JSON.stringify(v) ?? ''), deepJson))
        .map(([prefix, rest]) => ({ data: `${prefix}${rest}`, binary: false })),
      fc.constantFrom('42/agent,["request:create",', '42/agent,["request:get",{"id":', '42/agent,["__proto__",{}]', '42/agent,[{"a":1}]', '42/agent,[]', '42/agent,"str"', '42/agent,1["request:get"]', '451-/agent,["request:create",{"_placeholder":true,"num":0}]', '451-/agent,1["request:create",{"_placeholder":true,"num":5}]', '42/agent,99999999999999999999["request:get",{"id":"x"}]').map((data) => ({ data, binary: false })),
      fc.uint8Array({ minLength: 1, maxLength: 200 }).map((b) => ({ data: Buffer.concat([Buffer.from('42/agent,["request:create",{"kind":"approval","title":"'), Buffer.from([0xff, 0xc3, 0x28]), Buffer.from(b), Buffer.from('"}]')]), binary: false })),
      fc.uint8Array({ minLength: 1, maxLength: 200 }).map((b) => ({ data: Buffer.from(b), binary: true })),
      fc.integer({ min: 1_100_000, max: 1_500_000 }).map((n) => ({ data: `42/agent,["request:create",{"kind":"approval","title":"${'w'.repeat(n)}"}]`, binary: false })),
    ),
    { minLength: 1, maxLength: 3 },
  ),
});
