// @ts-check
/**
 * Soak: a real hub with many agents connected, requests at a steady rate, an approver
 * bot deciding each; every few seconds the hub's RSS and open descriptors (from /proc)
 * and the decision round trip's p50/p99 over that window. After the warm-up, the last
 * third is compared with the first: RSS and descriptors must stay flat (a leak shows as
 * growth); p99 is reported beside them, not judged — timing on a shared 2-core machine
 * is too noisy to hold to a threshold. Every request must be decided and delivered
 * (a hang guard of a minute each). Writes an SVG chart of it all to test/proof/out/.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApproverBot, SocketAgent, approvalPayload } from '../lib/clients.js';
import { runPool, sleep } from '../lib/processes.js';
import { svgChart } from '../lib/svg-chart.js';

const PROFILES = {
  full: { agents: 1_000, ratePerSecond: 15, durationMs: 600_000, warmupMs: 60_000, sampleMs: 5_000 },
  quick: { agents: 200, ratePerSecond: 15, durationMs: 30_000, warmupMs: 6_000, sampleMs: 1_000 },
};
/** A request not answered within this is a hang (a guard, not a performance figure). */
const HANG_MS = 60_000;
/**
 * Flat: the last third's peak RSS may exceed the first third's peak by this factor plus
 * this many MB. Peaks, not medians: RSS is a sawtooth (GC, allocator trims) whose phase
 * would move a median by tens of MB; a leak raises every peak.
 */
const RSS_FACTOR = 1.15;
const RSS_SLACK_MB = 16;
/** Flat: the last third's highest descriptor count may exceed the first third's by this many. */
const FD_SLACK = 10;

/** @param {number[]} xs @param {number} p */
function percentile(xs, p) {
  if (xs.length === 0) return NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  return /** @type {number} */ (sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]);
}
const median = (/** @type {number[]} */ xs) => percentile(xs, 0.5);

/** @type {import('../run.js').Scenario} */
export default {
  name: 'soak',
  title: 'Soak',
  budgetMs: { full: 14 * 60_000, quick: 3 * 60_000 },
  async run(ctx) {
    const cfg = PROFILES[ctx.profile];
    const hub = await ctx.startHub('hub');
    const { token } = await hub.pairApprover('proof soak bot');
    const bot = new ApproverBot(hub.url, token, { choose: () => ({ approved: true }) });
    await bot.start();
    /** @type {SocketAgent[]} */
    const agents = [];
    await runPool(Array.from({ length: cfg.agents }, (_, i) => i), 50, async (i) => void agents.push(await new SocketAgent(hub.url, hub.agentToken, `soak-${i}`).connect()));
    ctx.log(`${agents.length} agents connected; ${cfg.ratePerSecond} requests/s for ${cfg.durationMs / 1000} s (warm-up ${cfg.warmupMs / 1000} s)`);

    /** @type {{ t: number, rssMb: number, fds: number, p50: number, p99: number, n: number }[]} */
    const samples = [];
    /** @type {import('../lib/clients.js').Entry[]} */
    const entries = [];
    const t0 = Date.now();
    let sent = 0;
    let lastSample = t0;
    while (Date.now() - t0 < cfg.durationMs && hub.alive()) {
      // Steady rate: catch up to where the schedule says we should be.
      const due = Math.floor(((Date.now() - t0) / 1000) * cfg.ratePerSecond);
      for (; sent < due; sent++) {
        const agent = /** @type {SocketAgent} */ (agents[ctx.random.int(agents.length)]);
        const key = `soak-${sent}`;
        agent.submit(key, approvalPayload(`Soak ${sent}`));
        entries.push(/** @type {import('../lib/clients.js').Entry} */ (agent.entries.get(key)));
      }
      if (Date.now() - lastSample >= cfg.sampleMs) {
        const from = lastSample;
        lastSample = Date.now();
        // Round trips completed in this window.
        const latencies = entries.filter((e) => e.decidedAt && e.decidedAt >= from && e.decidedAt < lastSample).map((e) => /** @type {number} */ (e.decidedAt) - e.submittedAt);
        samples.push({ t: (Date.now() - t0) / 1000, rssMb: hub.rssMb(), fds: hub.fdCount(), p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), n: latencies.length });
      }
      await sleep(Math.max(1, 1000 / cfg.ratePerSecond / 2));
    }
    // Everything sent must be answered.
    const deadline = Date.now() + HANG_MS;
    while (entries.some((e) => !e.decision) && Date.now() < deadline && hub.alive()) await sleep(200);
    const unanswered = entries.filter((e) => !e.decision).length;
    const slow = entries.filter((e) => e.decidedAt && e.decidedAt - e.submittedAt > HANG_MS).length;
    for (const a of agents) a.close();
    bot.stop();

    // Flatness after warm-up: first third against last third.
    const steady = samples.filter((s) => s.t * 1000 >= cfg.warmupMs);
    const third = Math.max(1, Math.floor(steady.length / 3));
    const first = steady.slice(0, third);
    const last = steady.slice(-third);
    const rssFirst = Math.max(...first.map((s) => s.rssMb));
    const rssLast = Math.max(...last.map((s) => s.rssMb));
    const rssMedians = `${median(first.map((s) => s.rssMb)).toFixed(0)} → ${median(last.map((s) => s.rssMb)).toFixed(0)} MB`;
    const fdFirst = Math.max(...first.map((s) => s.fds));
    const fdLast = Math.max(...last.map((s) => s.fds));
    const p99First = median(first.map((s) => s.p99).filter(Number.isFinite));
    const p99Last = median(last.map((s) => s.p99).filter(Number.isFinite));
    const all = entries.filter((e) => e.decidedAt).map((e) => /** @type {number} */ (e.decidedAt) - e.submittedAt);

    const chartPath = join(ctx.outDir, `soak-${ctx.profile}.svg`);
    writeFileSync(
      chartPath,
      svgChart({
        title: `Soak (${ctx.profile}): ${cfg.agents} agents, ${cfg.ratePerSecond} requests/s, ${entries.length} decided round trips`,
        xs: samples.map((s) => s.t),
        xLabel: 'seconds',
        shade: { from: 0, to: cfg.warmupMs / 1000, label: 'warm-up' },
        marks: steady.length > 2 ? [{ x: /** @type {number} */ (first.at(-1)?.t), label: 'first third' }, { x: /** @type {number} */ (last[0]?.t), label: 'last third' }] : [],
        panels: [
          { title: 'Decision round trip (agent create → approver decides → agent told)', leftUnit: 'ms', series: [{ label: 'p50', values: samples.map((s) => s.p50), color: '#2b6cb0' }, { label: 'p99', values: samples.map((s) => s.p99), color: '#c53030' }] },
          { title: 'Hub process', leftUnit: 'RSS MB', rightUnit: 'open fds', series: [{ label: 'RSS (MB)', values: samples.map((s) => s.rssMb), color: '#2f855a' }, { label: 'open fds', values: samples.map((s) => s.fds), color: '#805ad5', axis: 'right' }] },
        ],
      }),
    );
    ctx.log(`chart: ${chartPath}`);

    /** @type {string[]} */
    const failed = [];
    ctx.count('lost', unanswered, `${unanswered} soak requests never answered within ${HANG_MS / 1000} s of the end`);
    ctx.count('hangs', slow, `${slow} soak requests answered only after ${HANG_MS / 1000} s`);
    const rssFlat = rssLast <= rssFirst * RSS_FACTOR + RSS_SLACK_MB;
    const fdFlat = fdLast <= fdFirst + FD_SLACK;
    if (!rssFlat) failed.push(`RSS grew: peak ${rssFirst.toFixed(0)} MB in the first third after warm-up, ${rssLast.toFixed(0)} MB in the last`);
    if (!fdFlat) failed.push(`open descriptors grew: at most ${fdFirst} in the first third, ${fdLast} in the last`);
    if (steady.length < 6) failed.push(`too few samples after warm-up (${steady.length}) to judge flatness`);
    const errors = [...agents.flatMap((a) => a.errors), ...bot.errors];
    if (errors.length) failed.push(`${errors.length} refusals of valid calls, e.g. ${errors.slice(0, 3).join(' | ')}`);
    const p99Note = p99Last > 3 * p99First ? ' (noted: the last third is over 3× the first — look at the chart)' : '';
    return {
      tried: `${cfg.durationMs / 60_000 >= 1 ? `${cfg.durationMs / 60_000} min` : `${cfg.durationMs / 1000} s`} at ${cfg.ratePerSecond} requests/s with ${cfg.agents} agents connected and an approver bot: ${entries.length} round trips, sampled every ${cfg.sampleMs / 1000} s (warm-up ${cfg.warmupMs / 1000} s)`,
      held: [
        `${entries.length - unanswered}/${entries.length} answered`,
        `RSS ${rssFlat ? 'flat' : 'GREW'}: peak ${rssFirst.toFixed(0)} → ${rssLast.toFixed(0)} MB, median ${rssMedians} (first → last third after warm-up)`,
        `open fds ${fdFlat ? 'flat' : 'GREW'}: max ${fdFirst} → ${fdLast}`,
        `round trip p99 ${p99First.toFixed(0)} → ${p99Last.toFixed(0)} ms, overall p50 ${median(all).toFixed(0)} ms / p99 ${percentile(all, 0.99).toFixed(0)} ms (reported, not judged)${p99Note}`,
        `chart ${chartPath}`,
      ],
      failed,
    };
  },
};
