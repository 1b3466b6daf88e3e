// @ts-check
/**
 * Crash: agents with requests in flight and an approver bot deciding while the hub is
 * SIGKILLed at random moments and restarted on the same data dir and port. Afterwards,
 * read from the SQLite file itself: every acknowledged request and decision is there,
 * every agent was told its answer once (and the same answer the file holds), and
 * `PRAGMA integrity_check` is ok.
 *
 * Agents are of both kinds the contract promises survive a restart: Socket.IO agents
 * that re-attach with `request:watch` after reconnecting (and re-send unacknowledged
 * creates with the same idempotency key), and REST agents that long-poll.
 */
import { ApproverBot, RestAgent, SocketAgent, approvalPayload, rest, sameDecision } from '../lib/clients.js';
import { integrityCheck, openDb } from '../lib/db.js';
import { runPool, sleep, withDeadline } from '../lib/processes.js';

const PROFILES = {
  full: { agents: 200, perAgent: 5, restShare: 0.2, kills: 5, paceMs: 5, settleMs: 180_000 },
  quick: { agents: 40, perAgent: 5, restShare: 0.2, kills: 2, paceMs: 5, settleMs: 90_000 },
};

/** @type {import('../run.js').Scenario} */
export default {
  name: 'crash',
  title: 'Crash',
  budgetMs: { full: 8 * 60_000, quick: 4 * 60_000 },
  async run(ctx) {
    const cfg = PROFILES[ctx.profile];
    const { random } = ctx;
    const hub = await ctx.startHub('hub');
    const { token } = await hub.pairApprover('proof crash bot');
    const total = cfg.agents * cfg.perAgent;
    ctx.log(`hub on ${hub.url}; ${cfg.agents} agents × ${cfg.perAgent} requests, ${cfg.kills} SIGKILLs`);

    const restCount = Math.round(cfg.agents * cfg.restShare);
    /** @type {SocketAgent[]} */
    const socketAgents = [];
    /** @type {RestAgent[]} */
    const restAgents = [];
    await runPool(
      Array.from({ length: cfg.agents - restCount }, (_, i) => i),
      25,
      async (i) => void socketAgents.push(await new SocketAgent(hub.url, hub.agentToken, `crash-socket-${i}`).connect()),
    );
    for (let i = 0; i < restCount; i++) restAgents.push(new RestAgent(hub.url, hub.agentToken, `crash-rest-${i}`));
    /** @type {(SocketAgent | RestAgent)[]} */
    const agents = [...socketAgents, ...restAgents];

    const bot = new ApproverBot(hub.url, token, {
      paceMs: cfg.paceMs,
      choose: () => (random.next() < 0.5 ? { approved: true } : { approved: false, reason: 'proof: rejected' }),
    });
    await bot.start();

    // Every agent submits all its requests at once: `total` in flight.
    /** @type {Promise<void>[]} */
    const restDone = [];
    for (let n = 0; n < cfg.perAgent; n++) {
      for (const agent of agents) {
        const key = `${agent.agentId}-${n}`;
        const payload = approvalPayload(`Crash test ${key}`);
        if (agent instanceof RestAgent) restDone.push(agent.submit(key, payload));
        else agent.submit(key, payload);
      }
    }

    // Kill at random moments: the first during the burst of creates, the others at random
    // points of the deciding (by progress, so they land while decisions are in flight).
    const thresholds = Array.from({ length: cfg.kills - 1 }, () => Math.floor(random.between(0.05, 0.9) * total)).sort((a, b) => a - b);
    /** @type {string[]} */
    const killedAt = [];
    const t0 = Date.now();
    for (let k = 0; k < cfg.kills; k++) {
      if (k === 0) await sleep(random.between(0, 400));
      else {
        const guard = Date.now() + cfg.settleMs;
        while (bot.acked.size < (thresholds[k - 1] ?? 0) && Date.now() < guard && hub.alive()) await sleep(20);
        await sleep(random.between(0, 300));
      }
      const acked = agents.reduce((n, a) => n + [...a.entries.values()].filter((e) => e.id).length, 0);
      ctx.log(`SIGKILL ${k + 1} at ${((Date.now() - t0) / 1000).toFixed(1)} s (${acked} created, ${bot.acked.size} decided so far)`);
      killedAt.push(`${((Date.now() - t0) / 1000).toFixed(1)} s (${acked} created, ${bot.acked.size} decided)`);
      await hub.kill();
      await sleep(random.between(0, 500));
      await hub.restart();
    }

    // Let everything settle: every request created, decided and delivered (a hang guard only).
    const settleDeadline = Date.now() + cfg.settleMs;
    const undelivered = () => agents.reduce((n, a) => n + a.undecided().length, 0);
    while (undelivered() > 0 && Date.now() < settleDeadline && hub.alive()) await sleep(250);
    const waitingAtEnd = undelivered();
    for (const agent of agents) agent.close();
    bot.stop();
    await withDeadline(Promise.all(restDone), 45_000, 'REST agents closing').catch(() => {});

    // The last word goes to the file: one more SIGKILL, then read it as the next start would.
    await hub.kill();
    const db = openDb(hub.dbPath);
    /** @type {string[]} */
    const failed = [];
    let lostRequests = 0;
    let lostDecisions = 0;
    let wrongAnswers = 0;
    let duplicates = 0;
    let acknowledged = 0;
    let integrity = '';
    try {
      integrity = integrityCheck(db);
      const requestRow = db.prepare('SELECT id, status FROM requests WHERE id = ?');
      const decisionRow = db.prepare('SELECT status, response, responded_at AS respondedAt FROM decisions WHERE request_id = ?');
      for (const agent of agents) {
        for (const entry of agent.entries.values()) {
          if (!entry.id) continue;
          acknowledged += 1;
          if (!requestRow.get(entry.id)) {
            lostRequests += 1;
            continue;
          }
          const stored = /** @type {any} */ (decisionRow.get(entry.id));
          if (entry.decision && stored) {
            const onDisk = { status: stored.status, respondedAt: stored.respondedAt, response: stored.response === null ? null : JSON.parse(stored.response) };
            if (!sameDecision(entry.decision, onDisk)) wrongAnswers += 1;
          }
          if (entry.conflicting.length) wrongAnswers += 1;
          duplicates += entry.duplicates;
        }
      }
      for (const [id, { response }] of bot.acked) {
        const stored = /** @type {any} */ (decisionRow.get(id));
        if (!stored || stored.status !== 'resolved' || JSON.parse(stored.response).approved !== response.approved) lostDecisions += 1;
      }
      const twice = /** @type {{ n: number }} */ (
        db.prepare(`SELECT count(*) AS n FROM (SELECT agent_id, idempotency_key FROM requests WHERE idempotency_key IS NOT NULL GROUP BY 1, 2 HAVING count(*) > 1)`).get()
      ).n;
      if (twice) failed.push(`${twice} idempotency keys stored more than once`);
    } finally {
      db.close();
    }
    const notCreated = total - acknowledged;

    // And the hub comes back up on that file and serves the same answers.
    await hub.restart();
    let servedWrong = 0;
    const sample = agents.flatMap((a) => [...a.entries.values()]).filter((e) => e.id && e.decision);
    await runPool(sample.filter((_, i) => i % 10 === 0), 8, async (entry) => {
      const r = await rest(`${hub.url}/api/v1/requests/${entry.id}`, { token: hub.agentToken }).catch(() => null);
      if (!r || r.status !== 200 || !r.json?.decision || !sameDecision(r.json.decision, entry.decision)) servedWrong += 1;
    });

    const socketReconnects = socketAgents.reduce((n, a) => n + a.reconnects, 0);
    const restRetries = restAgents.reduce((n, a) => n + a.networkErrors, 0);
    const rateLimited = agents.reduce((n, a) => n + a.rateLimited, 0);
    const fivexx = agents.reduce((n, a) => n + a.fivexx, 0);
    const clientHangs = agents.reduce((n, a) => n + a.hangs, 0) + bot.hangs;
    const errors = [...agents.flatMap((a) => a.errors), ...bot.errors];

    ctx.count('lost', lostRequests, `${lostRequests} acknowledged requests missing from the database after SIGKILL`);
    ctx.count('lost', lostDecisions, `${lostDecisions} acknowledged decisions missing or different in the database`);
    ctx.count('lost', waitingAtEnd, `${waitingAtEnd} requests whose agent never got an answer within ${cfg.settleMs / 1000} s`);
    ctx.count('lost', wrongAnswers, `${wrongAnswers} agents told an answer other than the stored decision`);
    ctx.count('lost', servedWrong, `${servedWrong} sampled requests served by the restarted hub without their decision`);
    ctx.count('hangs', clientHangs, `${clientHangs} calls unanswered within the guard`);
    if (integrity !== 'ok') failed.push(`PRAGMA integrity_check: ${integrity}`);
    if (notCreated) failed.push(`${notCreated} requests were never acknowledged`);
    if (fivexx) failed.push(`${fivexx} 5xx / internal_error answers`);
    if (errors.length) failed.push(`${errors.length} refusals of valid calls, e.g. ${errors.slice(0, 3).join(' | ')}`);

    return {
      tried: `${cfg.agents} agents (${cfg.agents - restCount} Socket.IO, ${restCount} REST long-poll), ${total} requests in flight, approver bot deciding; SIGKILL ×${cfg.kills} at ${killedAt.join(', ')}, restart on the same data dir; a final SIGKILL before reading the file`,
      held: [
        `${acknowledged}/${total} acknowledged requests on disk`,
        `${bot.acked.size} acknowledged decisions on disk (+${bot.conflicts.size} already decided when re-sent)`,
        `${total - waitingAtEnd - wrongAnswers}/${total} answers delivered to their agent exactly once, equal to the stored decision (${duplicates} re-deliveries after reconnect absorbed by id)`,
        `integrity_check ${integrity}`,
        `${socketReconnects} socket reconnects, ${restRetries} REST retries, ${rateLimited} rate-limited creates retried`,
      ],
      failed,
    };
  },
};
