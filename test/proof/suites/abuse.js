// @ts-check
/**
 * Abuse: what a web page, a stranger on the loopback interface or a misbehaving agent
 * can do to a real hub.
 *
 *  - web origins on REST and both Socket.IO transports, at the handshake and on every
 *    later Engine.IO request of a session opened without one; a rebinding Host;
 *  - missing, wrong, wrong-role and revoked credentials on every route and namespace;
 *  - a flood of wrong pairing codes while the person pairs with a fresh one;
 *  - one agentId flooding creates while another agentId is served;
 *  - thousands of connections opened and dropped (plain TCP, half-sent requests,
 *    WebSockets cut without a close, Engine.IO sessions never finished): the hub still
 *    answers and its descriptors come back near where they were.
 *
 * Every success that should have been a refusal counts as `unauthorised`.
 */
import { connect as netConnect } from 'node:net';
import { ApproverBot, SocketAgent, approvalPayload, connectSocket, emitAck, rest, tryConnect } from '../lib/clients.js';
import { runPool, sleep, withDeadline } from '../lib/processes.js';
import { RawSocketIo, buildRequest, rawHttp } from '../lib/raw-http.js';
import { validRoundTrip } from './fuzz.js';

const PROFILES = {
  full: { pairingFlood: 1_000, floodMs: 5_000, floodConcurrency: 32, connections: 10_000, churnBatch: 100 },
  quick: { pairingFlood: 200, floodMs: 3_000, floodConcurrency: 16, connections: 2_000, churnBatch: 100 },
};
const WEB_ORIGINS = ['http://evil.example', 'null', 'http://localhost:3000'];
const GUARD_MS = 15_000;
/** How far above the baseline the hub's open descriptors may settle after the churn (sockets of our own still closing). */
const FD_SLACK = 15;

/** @type {import('../run.js').Scenario} */
export default {
  name: 'abuse',
  title: 'Abuse',
  budgetMs: { full: 8 * 60_000, quick: 4 * 60_000 },
  async run(ctx) {
    const cfg = PROFILES[ctx.profile];
    const hub = await ctx.startHub('hub');
    const approverA = await hub.pairApprover('proof abuse approver');
    const tokens = { agent: hub.agentToken, approver: approverA.token };
    /** @type {string[]} */
    const held = [];
    /** @type {string[]} */
    const failed = [];
    /** @type {string[]} */
    const tried = [];
    let sectionStart = Date.now();
    /** Notes a section's end in the log, with its duration. @param {string} line */
    const section = (line) => {
      tried.push(line);
      ctx.log(`${line} (${((Date.now() - sectionStart) / 1000).toFixed(1)} s)`);
      sectionStart = Date.now();
    };
    let unauthorised = 0;
    let hangs = 0;
    const breach = (/** @type {string} */ what) => {
      unauthorised += 1;
      ctx.log(`UNAUTHORISED: ${what}`);
    };
    /** Sends one raw HTTP request and returns its status; counts a hang. */
    const http = async (/** @type {{ method: string, path: string, headers?: [string, string][], body?: unknown }} */ r) => {
      const body = r.body === undefined ? undefined : JSON.stringify(r.body);
      /** @type {[string, string][]} */
      const headers = [...(r.headers ?? [])];
      if (body !== undefined) headers.push(['Content-Type', 'application/json']);
      const answer = await rawHttp(hub.port, buildRequest({ method: r.method, path: r.path, port: hub.port, headers, body }), GUARD_MS);
      if (answer.hang) {
        hangs += 1;
        ctx.log(`hang: ${r.method} ${r.path}`);
      }
      let json = null;
      try {
        json = JSON.parse(answer.body.toString('utf8'));
      } catch {
        // not JSON
      }
      return { status: answer.status, json, text: answer.body.toString('utf8') };
    };
    const bearer = (/** @type {string} */ token) => /** @type {[string, string]} */ (['Authorization', `Bearer ${token}`]);
    const seed = await rest(`${hub.url}/api/v1/requests`, { token: tokens.agent, body: approvalPayload('Abuse: a pending request', { agentId: 'abuse-seed' }) });
    const pendingId = seed.json?.id;
    if (!pendingId) throw new Error(`could not create the seed request: ${seed.status} ${seed.text}`);

    // -----------------------------------------------------------------------
    // 1. Web origins (and a rebinding Host)

    let originChecks = 0;
    let originRefused = 0;
    const expectRefusedHttp = async (/** @type {string} */ label, /** @type {Parameters<typeof http>[0]} */ r) => {
      originChecks += 1;
      const { status } = await http(r);
      if (status >= 200 && status < 300) breach(`${label}: ${r.method} ${r.path} answered ${status}`);
      else originRefused += 1;
    };
    for (const origin of WEB_ORIGINS) {
      const o = /** @type {[string, string]} */ (['Origin', origin]);
      await expectRefusedHttp(`Origin ${origin}`, { method: 'GET', path: '/api/v1/health', headers: [o] });
      await expectRefusedHttp(`Origin ${origin}`, { method: 'GET', path: '/', headers: [o] });
      await expectRefusedHttp(`Origin ${origin}`, { method: 'POST', path: '/api/v1/requests', headers: [o, bearer(tokens.agent)], body: approvalPayload('from a web page', { agentId: 'evil' }) });
      await expectRefusedHttp(`Origin ${origin}`, { method: 'GET', path: '/api/v1/requests', headers: [o, bearer(tokens.approver)] });
      await expectRefusedHttp(`Origin ${origin}`, { method: 'POST', path: `/api/v1/requests/${pendingId}/respond`, headers: [o, bearer(tokens.approver)], body: { approved: true } });
      await expectRefusedHttp(`Origin ${origin}`, { method: 'POST', path: '/api/v1/pair', headers: [o], body: { code: await hub.pairingCode(), name: 'web page' } });
      for (const transport of /** @type {const} */ (['polling', 'websocket'])) {
        for (const [ns, token] of /** @type {const} */ ([['/agent', tokens.agent], ['/approver', tokens.approver]])) {
          originChecks += 1;
          const r = await tryConnect(hub.url, ns, { token }, { transports: [transport], extraHeaders: { origin }, timeoutMs: GUARD_MS }).catch(() => {
            hangs += 1;
            return { connected: false, message: 'hang', socket: undefined };
          });
          if (r.connected) {
            breach(`Origin ${origin}: ${transport} handshake to ${ns} accepted`);
            r.socket?.close();
          } else originRefused += 1;
        }
      }
      // A session opened without an Origin, then used from the web origin: every Engine.IO request is checked.
      for (const [ns, token] of /** @type {const} */ ([['/agent', tokens.agent], ['/approver', tokens.approver]])) {
        originChecks += 1;
        const open = await http({ method: 'GET', path: '/socket.io/?EIO=4&transport=polling' });
        const sid = /"sid":"([^"]+)"/.exec(open.text)?.[1];
        if (!sid) {
          failed.push(`could not open a polling session: ${open.status} ${open.text.slice(0, 100)}`);
          continue;
        }
        const sent = await rawHttp(
          hub.port,
          buildRequest({ method: 'POST', path: `/socket.io/?EIO=4&transport=polling&sid=${sid}`, port: hub.port, headers: [o, ['Content-Type', 'text/plain;charset=UTF-8']], body: `40${ns},${JSON.stringify({ token })}` }),
          GUARD_MS,
        );
        const read = await rawHttp(hub.port, buildRequest({ method: 'GET', path: `/socket.io/?EIO=4&transport=polling&sid=${sid}`, port: hub.port, headers: [o] }), GUARD_MS);
        if (read.hang) hangs += 1;
        const joined = read.body.toString('utf8').includes(`40${ns},{"sid"`);
        if (joined || (sent.status === 200 && read.status === 200)) breach(`Origin ${origin}: polling request of an open session accepted (POST ${sent.status}, GET ${read.status}${joined ? `, joined ${ns}` : ''})`);
        else originRefused += 1;
        // And upgrading that session to a WebSocket from the web origin.
        originChecks += 1;
        const upgraded = await upgradeFromOrigin(hub.port, sid, origin);
        if (upgraded === 'hang') hangs += 1;
        if (upgraded === 'accepted') breach(`Origin ${origin}: WebSocket upgrade of an open session accepted`);
        else originRefused += 1;
      }
    }
    for (const host of ['evil.example', `evil.example:${hub.port}`, `127.0.0.1.nip.io:${hub.port}`]) {
      await expectRefusedHttp(`Host ${host}`, { method: 'GET', path: '/api/v1/health', headers: [['Host', host]] });
      await expectRefusedHttp(`Host ${host}`, { method: 'GET', path: '/api/v1/requests', headers: [['Host', host], bearer(tokens.approver)] });
      await expectRefusedHttp(`Host ${host}`, { method: 'GET', path: '/socket.io/?EIO=4&transport=polling', headers: [['Host', host]] });
    }
    // Controls: the same calls without a web origin (and from the hub's own page, and an extension) do work.
    const controls = [
      await http({ method: 'GET', path: '/api/v1/requests', headers: [bearer(tokens.approver)] }),
      await http({ method: 'GET', path: '/api/v1/requests', headers: [bearer(tokens.approver), ['Origin', `http://127.0.0.1:${hub.port}`]] }),
      await http({ method: 'GET', path: '/api/v1/requests', headers: [bearer(tokens.approver), ['Origin', 'chrome-extension://abcdefghijklmnopabcdefghijklmnop']] }),
    ];
    if (controls.some((c) => c.status !== 200)) failed.push(`control calls without a web origin failed: ${controls.map((c) => c.status).join(', ')}`);
    section(`${originChecks} calls from web origins ${WEB_ORIGINS.join(', ')} and rebinding Hosts (REST, polling and WebSocket handshakes, later requests and upgrades of a session opened without an Origin)`);
    held.push(`${originRefused}/${originChecks} web-origin and rebinding calls refused (controls without one work)`);

    // -----------------------------------------------------------------------
    // 2. Missing, wrong, wrong-role and revoked credentials

    const approverB = await hub.pairApprover('proof abuse device B');
    let revokedToken = null;
    let revocation = 'not tried';
    if (approverB.deviceId) {
      const socketB = await connectSocket(hub.url, '/approver', { token: approverB.token });
      const revoke = await rest(`${hub.url}/api/v1/devices/${approverB.deviceId}`, { method: 'DELETE', token: tokens.approver });
      if (revoke.status === 200) {
        revokedToken = approverB.token;
        // Its open socket must lose its power at once: closed, or every respond refused.
        const deadline = Date.now() + 5_000;
        while (socketB.connected && Date.now() < deadline) await sleep(50);
        if (socketB.connected) {
          const r = await emitAck(socketB, 'request:respond', [{ id: pendingId, response: { approved: true } }]);
          if (r.ack?.ok) breach('a revoked device approved through the socket it had open');
          revocation = r.ack?.ok ? 'open socket kept its power' : 'open socket refused on respond';
        } else revocation = 'open socket closed';
        socketB.close();
      } else {
        revocation = `DELETE /api/v1/devices/:id answered ${revoke.status} (revocation not available in this build)`;
        socketB.close();
      }
    }
    /** @type {[string, string | null][]} */
    const credentials = [
      ['missing', null],
      ['wrong', `so_${'w'.repeat(43)}`],
      ['empty', ''],
      ...(/** @type {[string, string][]} */ (revokedToken ? [['revoked', revokedToken]] : [])),
    ];
    const routes = [
      { method: 'POST', path: '/api/v1/requests', body: approvalPayload('no', { agentId: 'abuse' }), role: 'agent' },
      { method: 'DELETE', path: `/api/v1/requests/${pendingId}`, role: 'agent' },
      { method: 'GET', path: '/api/v1/requests', role: 'approver' },
      { method: 'GET', path: `/api/v1/requests/${pendingId}`, role: 'either' },
      { method: 'POST', path: `/api/v1/requests/${pendingId}/respond`, body: { approved: true }, role: 'approver' },
      { method: 'GET', path: '/api/v1/stats', role: 'approver' },
      { method: 'GET', path: '/api/v1/runs', role: 'approver' },
      { method: 'GET', path: '/api/v1/devices', role: 'approver' },
      { method: 'POST', path: '/api/v1/feedback', body: { agentId: 'abuse', type: 'praise', aspect: 'x', content: 'y' }, role: 'either' },
    ];
    let credentialChecks = 0;
    const breachesBefore = unauthorised;
    for (const route of routes) {
      for (const [label, token] of credentials) {
        credentialChecks += 1;
        const headers = token === null ? [] : [/** @type {[string, string]} */ (['Authorization', `Bearer ${token}`])];
        const { status } = await http({ method: route.method, path: route.path, headers, body: route.body });
        if (status >= 200 && status < 300) breach(`${label} token: ${route.method} ${route.path} answered ${status}`);
        else if (status !== 401) failed.push(`${label} token on ${route.method} ${route.path}: ${status}, not 401`);
      }
      // The wrong role. (Cancelling is tried last of all, on a request of its own.)
      const wrong = route.role === 'agent' ? tokens.approver : route.role === 'approver' ? tokens.agent : null;
      if (wrong && route.method !== 'DELETE') {
        credentialChecks += 1;
        const { status } = await http({ method: route.method, path: route.path, headers: [bearer(wrong)], body: route.body });
        if (status >= 200 && status < 300) breach(`${route.role === 'agent' ? 'approver' : 'agent'} token did ${route.method} ${route.path} (${status})`);
        else if (status !== 403) failed.push(`wrong role on ${route.method} ${route.path}: ${status}, not 403`);
      }
    }
    credentialChecks += 1;
    const cancelByApprover = await http({ method: 'DELETE', path: `/api/v1/requests/${pendingId}`, headers: [bearer(tokens.approver)] });
    if (cancelByApprover.status >= 200 && cancelByApprover.status < 300) breach('approver token cancelled an agent request');
    for (const [ns, token, label] of /** @type {[string, string | null, string][]} */ ([
      ['/agent', null, 'no token'],
      ['/agent', `so_${'w'.repeat(43)}`, 'wrong token'],
      ['/agent', tokens.approver, 'approver token'],
      ['/approver', null, 'no token'],
      ['/approver', `so_${'w'.repeat(43)}`, 'wrong token'],
      ['/approver', tokens.agent, 'agent token'],
      ...(/** @type {[string, string, string][]} */ (revokedToken ? [['/approver', revokedToken, 'revoked token']] : [])),
    ])) {
      for (const transport of /** @type {const} */ (['websocket', 'polling'])) {
        credentialChecks += 1;
        const r = await tryConnect(hub.url, ns, token === null ? {} : { token }, { transports: [transport], timeoutMs: GUARD_MS }).catch(() => {
          hangs += 1;
          return { connected: false, message: '', socket: undefined };
        });
        if (r.connected) {
          // Admitted without a usable credential: it must still hold no power.
          const probe = ns === '/agent' ? await emitAck(/** @type {any} */ (r.socket), 'request:create', [approvalPayload('no', { agentId: 'abuse' })]) : await emitAck(/** @type {any} */ (r.socket), 'request:respond', [{ id: pendingId, response: { approved: true } }]);
          if (probe.ack?.ok) breach(`${label} on ${ns} (${transport}) was admitted and could act`);
          r.socket?.close();
        }
      }
    }
    const still = await rest(`${hub.url}/api/v1/requests/${pendingId}`, { token: tokens.agent });
    if (still.json?.status !== 'pending') breach(`the seed request was decided by someone without the right (${still.json?.status})`);
    section(`${credentialChecks} calls with missing, wrong, empty, wrong-role${revokedToken ? ' and revoked' : ''} credentials on ${routes.length} routes and both namespaces × both transports`);
    const credentialBreaches = unauthorised - breachesBefore;
    held.push(`${credentialChecks - credentialBreaches}/${credentialChecks} refused (401 / 403 / connect_error, or admitted powerless); revoked device's open socket: ${revocation}`);
    if (!approverB.deviceId) held.push('revocation not tried: pairing answered no device id in this build');

    // -----------------------------------------------------------------------
    // 3. A pairing flood while the person pairs

    let floodAccepted = 0;
    let floodLimited = 0;
    /** @type {Record<string, number>} */
    const floodStatuses = {};
    /** @type {string[]} */
    const personPairs = [];
    const guess = () => {
      const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
      let code = '';
      for (let i = 0; i < 8; i++) code += alphabet[ctx.random.int(alphabet.length)];
      return `${code.slice(0, 4)}-${code.slice(4)}`;
    };
    const personPairing = async (/** @type {string} */ when) => {
      const code = await hub.pairingCode();
      const r = await http({ method: 'POST', path: '/api/v1/pair', body: { code, name: `the person (${when})` } });
      personPairs.push(`${when}: ${r.status}`);
      if (r.status !== 201) failed.push(`the person's fresh pairing code was refused ${when} a stranger's flood (${r.status} ${r.json?.error?.message ?? r.text.slice(0, 100)})`);
    };
    let floodDone = 0;
    const midFlood = (async () => {
      while (floodDone < cfg.pairingFlood / 2) await sleep(20);
      await personPairing('during');
    })();
    await runPool(Array.from({ length: cfg.pairingFlood }, (_, i) => i), 20, async () => {
      const r = await http({ method: 'POST', path: '/api/v1/pair', body: { code: guess(), name: 'stranger' } });
      floodDone += 1;
      floodStatuses[r.status] = (floodStatuses[r.status] ?? 0) + 1;
      if (r.status === 201) floodAccepted += 1;
      if (r.status === 429) floodLimited += 1;
    });
    await midFlood;
    await personPairing('after');
    if (floodAccepted) breach(`${floodAccepted} guessed pairing codes accepted`);
    section(`${cfg.pairingFlood} wrong pairing codes from 20 parallel connections`);
    held.push(`${floodAccepted ? `${floodAccepted} guesses PAIRED` : 'no guess paired'} (${Object.entries(floodStatuses).map(([s, n]) => `${n}× ${s}`).join(', ')}); the person's own fresh code: ${personPairs.join(', ')}`);

    // -----------------------------------------------------------------------
    // 4. One agentId floods; another is still served

    const bot = new ApproverBot(hub.url, tokens.approver, { filter: (r) => r.agentId === 'abuse-calm', choose: () => ({ approved: true }) });
    await bot.start();
    const calm = await new SocketAgent(hub.url, tokens.agent, 'abuse-calm').connect();
    /** @type {Record<string, number>} */
    const floodCreates = {};
    let flooding = true;
    const floodStart = Date.now();
    const flood = runPool(Array.from({ length: cfg.floodConcurrency }, (_, i) => i), cfg.floodConcurrency, async (lane) => {
      for (let n = 0; flooding; n++) {
        const r = await rest(`${hub.url}/api/v1/requests`, { token: tokens.agent, body: approvalPayload(`Flood ${lane}-${n}`, { agentId: 'abuse-flood', body: 'f'.repeat(2_000) }) }).catch((/** @type {any} */ e) => ({ status: e.hang ? 'hang' : 'network' }));
        floodCreates[r.status] = (floodCreates[r.status] ?? 0) + 1;
        if (r.status === 'hang') hangs += 1;
      }
    });
    await sleep(cfg.floodMs / 3);
    const calmStart = Date.now();
    calm.submit('calm-1', approvalPayload('The calm agent asks once', { severity: 'high' }));
    const calmDeadline = Date.now() + 30_000;
    while (!calm.entries.get('calm-1')?.decision && Date.now() < calmDeadline) await sleep(50);
    const calmEntry = calm.entries.get('calm-1');
    while (Date.now() - floodStart < cfg.floodMs) await sleep(50);
    flooding = false;
    await withDeadline(flood, 60_000, 'flood lanes stopping').catch(() => void (hangs += 1));
    calm.close();
    bot.stop();
    if (!calmEntry?.decision) failed.push(`the calm agent's request was ${calmEntry?.id ? 'created but never decided' : 'never created'} while another agentId flooded (${calm.rateLimited} rate-limited tries; ${calm.errors.join('; ')})`);
    section(`agentId abuse-flood creating with ${cfg.floodConcurrency} parallel connections for ${cfg.floodMs / 1000} s while agentId abuse-calm asks once`);
    held.push(
      `flood answered ${Object.entries(floodCreates).map(([s, n]) => `${n}× ${s}`).join(', ')}; the calm agent's request ${calmEntry?.decision ? `was created and decided (${((/** @type {number} */ (calmEntry.decidedAt) - calmStart) / 1000).toFixed(1)} s, ${calm.rateLimited} rate-limited tries)` : 'DID NOT get through'}`,
    );
    // Clear the flood's pending requests so the last checks are not refused by a cap.
    await cancelAllPending(hub.url, tokens);

    // -----------------------------------------------------------------------
    // 5. Connections opened and dropped

    await sleep(1_000);
    const fdBefore = hub.fdCount();
    let fdPeak = fdBefore;
    /** @type {Record<string, number>} */
    const kinds = { tcp: 0, 'half request': 0, 'websocket cut': 0, 'engine session left open': 0, 'refused websocket': 0 };
    let churnErrors = 0;
    let healthChecks = 0;
    const kindsList = Object.keys(kinds);
    for (let opened = 0; opened < cfg.connections; opened += cfg.churnBatch) {
      await Promise.all(
        Array.from({ length: Math.min(cfg.churnBatch, cfg.connections - opened) }, async (_, i) => {
          const kind = /** @type {string} */ (kindsList[(opened + i) % kindsList.length]);
          kinds[kind] = (kinds[kind] ?? 0) + 1;
          try {
            await churnOnce(kind, hub.port, tokens.agent);
          } catch {
            churnErrors += 1;
          }
        }),
      );
      fdPeak = Math.max(fdPeak, hub.fdCount());
      if ((opened / cfg.churnBatch) % 10 === 0) {
        healthChecks += 1;
        const h = await http({ method: 'GET', path: '/api/v1/health' });
        if (h.status !== 200) failed.push(`health answered ${h.status} during the churn`);
      }
    }
    let fdAfter = hub.fdCount();
    const settleDeadline = Date.now() + 60_000;
    while (fdAfter > fdBefore + FD_SLACK && Date.now() < settleDeadline) {
      await sleep(500);
      fdAfter = hub.fdCount();
    }
    const works = await validRoundTrip(hub.url, tokens.agent, tokens.approver);
    if (works !== true) failed.push(`a valid request failed after the churn: ${works}`);
    if (fdAfter > fdBefore + FD_SLACK) failed.push(`file descriptors did not come back: ${fdBefore} before, ${fdAfter} a minute after (peak ${fdPeak})`);
    section(`${cfg.connections} connections opened and dropped (${Object.entries(kinds).map(([k, n]) => `${n} ${k}`).join(', ')})`);
    held.push(`hub answered throughout (${healthChecks} health checks) and a valid request works after; open fds ${fdBefore} before, peak ${fdPeak}, ${fdAfter} after${churnErrors ? ` (${churnErrors} client-side errors)` : ''}`);

    ctx.count('unauthorised', unauthorised, 'abuse calls that succeeded without the right credential or from a web origin');
    ctx.count('hangs', hangs, 'abuse calls left unanswered');
    return { tried: tried.join('; '), held, failed };
  },
};

/**
 * Tries to upgrade an open polling session to a WebSocket from a web origin.
 * @param {number} port
 * @param {string} sid
 * @param {string} origin
 * @returns {Promise<'accepted' | 'refused' | 'hang'>}
 */
async function upgradeFromOrigin(port, sid, origin) {
  const { default: WebSocket } = await import('ws');
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/socket.io/?EIO=4&transport=websocket&sid=${sid}`, { headers: { origin } });
    const timer = setTimeout(() => {
      ws.terminate();
      resolve('hang');
    }, GUARD_MS);
    const done = (/** @type {'accepted' | 'refused'} */ r) => {
      clearTimeout(timer);
      ws.terminate();
      resolve(r);
    };
    ws.on('open', () => ws.send('2probe'));
    ws.on('message', (data) => done(String(data) === '3probe' ? 'accepted' : 'refused'));
    ws.on('unexpected-response', () => done('refused'));
    ws.on('error', () => done('refused'));
    ws.on('close', () => done('refused'));
  });
}

/**
 * One connection of the churn, dropped without ceremony.
 * @param {string} kind
 * @param {number} port
 * @param {string} agentToken
 */
async function churnOnce(kind, port, agentToken) {
  if (kind === 'tcp') {
    await new Promise((resolve) => {
      const s = netConnect(port, '127.0.0.1', () => {
        s.destroy();
        resolve(undefined);
      });
      s.on('error', resolve);
    });
  } else if (kind === 'half request') {
    await new Promise((resolve) => {
      const s = netConnect(port, '127.0.0.1', () => {
        s.write(`POST /api/v1/requests HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Length: 500\r\n\r\n{"kind":`);
        setTimeout(() => {
          s.destroy();
          resolve(undefined);
        }, 5);
      });
      s.on('error', resolve);
    });
  } else if (kind === 'websocket cut') {
    const raw = new RawSocketIo(port, '/agent', { token: agentToken });
    await raw.open(GUARD_MS).finally(() => raw.close());
  } else if (kind === 'engine session left open') {
    await rawHttp(port, buildRequest({ method: 'GET', path: '/socket.io/?EIO=4&transport=polling', port }), GUARD_MS);
  } else {
    const raw = new RawSocketIo(port, '/approver', { token: 'so_wrong' });
    await raw.open(GUARD_MS).catch(() => {}).finally(() => raw.close());
  }
}

/**
 * Cancels every pending request but the ones kept (the agent cancelling its own).
 * @param {string} url
 * @param {{ agent: string, approver: string }} tokens
 */
async function cancelAllPending(url, tokens) {
  const { listAllPending } = await import('../lib/clients.js');
  const socket = await connectSocket(url, '/approver', { token: tokens.approver });
  const open = (await listAllPending(socket)) ?? [];
  socket.close();
  await runPool(open, 8, async (r) => {
    await rest(`${url}/api/v1/requests/${encodeURIComponent(r.id)}`, { method: 'DELETE', token: tokens.agent }).catch(() => null);
  });
}
