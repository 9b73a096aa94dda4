/**
 * Webhook benchmark (`npm run bench:webhook`). The bot runs as a child process as `npm start`
 * runs it (embedded store in a temp DATA_DIR) but with the echo turn handler (echoBot.ts), so
 * that this measures the channel; bench:conversation measures the conversation. It is pointed
 * at the platform simulator that runs here together with the load generator. Each figure is
 * printed beside the same measurement of a bare Koa handler (test/bench/bareKoa.ts) taken in the
 * same run.
 *
 *  1. throughput: closed loop, CONNECTIONS requests in flight, inbound text messages/s + ack p50/p99
 *     (for the bot: replies the platform received in the window, and how long the rest took)
 *  2. sustained: open loop at RATE_HIGH messages/s: ack p50/p99, replies keeping up
 *  3. end to end: open loop at RATE_E2E messages/s: ack and inbound → outbound-at-platform p50/p99
 *  4. fuzz: FUZZ_BODIES malformed bodies → count of 5xx and failed connections
 *
 * Beside each of 1–3: the load generator's own event loop lag (an acknowledgement it timed can be
 * late by that much on the generator's side), and from the bot's /metrics its event loop lag and
 * the share of acknowledgements it timed itself within 25 ms — which tells the bot's delays apart
 * from those of the load generator and simulator sharing the machine.
 *
 * Targets run in turn: the bare handler acknowledging only (baseline for 1–2), the bare handler
 * replying to the platform at once (baseline for 3), the inbound side alone (webhook, store,
 * turn, outbox enqueue — no sender), then the whole bot.
 *
 * Environment: BENCH_SECONDS (10), CONNECTIONS (64), RATE_HIGH (1000), RATE_E2E (500), FUZZ_BODIES (20000),
 * BENCH_TARGETS (comma-separated subset of bare,replying,inbound,bot; all by default).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { startSimulator, type Simulator } from '../../src/channels/simulator/index.js';
import { seededRandom } from '../../src/util/seededRandom.js';
import { fuzzBody } from '../channels/ctcu/bodyFuzzer.js';
import {
  APP_ID,
  APP_KEY,
  botEnv,
  botSide,
  CHATBOT_ID,
  closedLoop,
  CONNECTIONS,
  contributionsFrom,
  endToEnd,
  load,
  loadCells,
  openLoop,
  percentile,
  row,
  SECONDS,
  sentAt,
  spawnTarget,
  stopLoad,
  stopTarget,
  TOKEN,
  USERS,
  waitForReplies,
  type Target,
} from './harness.js';

const RATE_HIGH = Number(process.env.RATE_HIGH ?? 1000);
const RATE_E2E = Number(process.env.RATE_E2E ?? 500);
const FUZZ_BODIES = Number(process.env.FUZZ_BODIES ?? 20_000);
const TARGETS = new Set((process.env.BENCH_TARGETS ?? 'bare,replying,inbound,bot').split(','));

async function scenarioFor(target: Target, simulator: Simulator | undefined): Promise<void> {
  console.log(`\n## ${target.name}`);
  await closedLoop(target.url, 2); // warm-up (JIT, token, connections)
  if (simulator) await waitForReplies(simulator, contributionsFrom(0), 30_000);

  let mark = sentAt.size;
  let bot = await botSide(target);
  const throughput = await closedLoop(target.url, SECONDS);
  row('throughput', { ...loadCells(throughput), ...(await botSide(target, bot.snapshot)).figures });
  if (simulator) {
    const batch = contributionsFrom(mark);
    const inWindow = endToEnd(simulator, batch).length;
    const drainMs = await waitForReplies(simulator, batch, 120_000);
    row('  replies', { 'answered in window/s': inWindow / SECONDS, 'drain after window ms': drainMs, answered: endToEnd(simulator, batch).length, of: batch.size });
  }

  mark = sentAt.size;
  bot = await botSide(target);
  const sustained = await openLoop(target.url, RATE_HIGH, SECONDS);
  row(`@${RATE_HIGH}/s`, { ...loadCells(sustained), ...(await botSide(target, bot.snapshot)).figures });
  if (simulator) {
    const batch = contributionsFrom(mark);
    const drainMs = await waitForReplies(simulator, batch, 120_000);
    const e2e = endToEnd(simulator, batch);
    row('  replies', { e2eP50ms: percentile(e2e, 0.5), e2eP99ms: percentile(e2e, 0.99), 'drain after window ms': drainMs, answered: e2e.length, of: batch.size });
  }

  mark = sentAt.size;
  bot = await botSide(target);
  const e2eLoad = await openLoop(target.url, RATE_E2E, SECONDS);
  row(`@${RATE_E2E}/s`, { ...loadCells(e2eLoad), ...(await botSide(target, bot.snapshot)).figures });
  if (simulator) {
    const batch = contributionsFrom(mark);
    await waitForReplies(simulator, batch, 60_000);
    const e2e = endToEnd(simulator, batch);
    row('  e2e', { e2eP50ms: percentile(e2e, 0.5), e2eP99ms: percentile(e2e, 0.99), answered: e2e.length, of: batch.size });
  }
}

/** Only the fixed-rate end-to-end measurement (for the replying baseline). */
async function endToEndScenario(target: Target, simulator: Simulator): Promise<void> {
  console.log(`\n## ${target.name}`);
  await closedLoop(target.url, 2);
  await waitForReplies(simulator, contributionsFrom(0), 30_000);
  const mark = sentAt.size;
  const result = await openLoop(target.url, RATE_E2E, SECONDS);
  row(`@${RATE_E2E}/s`, loadCells(result));
  const batch = contributionsFrom(mark);
  await waitForReplies(simulator, batch, 60_000);
  const e2e = endToEnd(simulator, batch);
  row('  e2e', { e2eP50ms: percentile(e2e, 0.5), e2eP99ms: percentile(e2e, 0.99), answered: e2e.length, of: batch.size });
}

/** Turns completed so far, from the target's own metrics. */
async function turnsCompleted(target: Target): Promise<number> {
  const text = await fetch(`${target.url}/metrics`).then((response) => response.text());
  return Number(/^rcs_inbound_turn_seconds_count (\d+)/m.exec(text)?.[1] ?? 0);
}

async function waitForTurns(target: Target, count: number, timeoutMs: number): Promise<number> {
  const started = performance.now();
  while ((await turnsCompleted(target)) < count && performance.now() - started < timeoutMs) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return performance.now() - started;
}

/** The inbound path alone: acknowledged, persisted, turned into a queued reply; nothing sent. */
async function inboundScenario(target: Target): Promise<void> {
  console.log(`\n## ${target.name}`);
  let accepted = (await closedLoop(target.url, 2)).ok;
  const throughput = await closedLoop(target.url, SECONDS);
  accepted += throughput.ok;
  const inWindow = await turnsCompleted(target);
  const drainMs = await waitForTurns(target, accepted, 120_000);
  row('throughput', loadCells(throughput));
  row('  turns', { 'done by end of window': inWindow, of: accepted, 'drain after window ms': drainMs });
  for (const rate of [RATE_HIGH, RATE_E2E]) {
    const result = await openLoop(target.url, rate, SECONDS);
    accepted += result.ok;
    const drain = await waitForTurns(target, accepted, 120_000);
    row(`@${rate}/s`, { ...loadCells(result), 'turns drain ms': drain });
  }
}

async function fuzz(target: Target): Promise<void> {
  const random = seededRandom(7);
  const bodies = Array.from({ length: FUZZ_BODIES }, () => fuzzBody(random));
  const report = await load({ url: target.url, seconds: 0, connections: 32, bodies });
  const statuses = new Map(report.statuses);
  const fivexx = [...statuses].filter(([status]) => status >= 500).reduce((sum, [, count]) => sum + count, 0);
  row('fuzz', { bodies: FUZZ_BODIES, '5xx': fivexx, 'failed connections': statuses.get(0) ?? 0, seconds: report.elapsedSeconds });
  console.log(`             statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
}

async function main(): Promise<void> {
  const log = pino({ level: 'silent' });
  const simulator = await startSimulator({ chatbotId: CHATBOT_ID, appId: APP_ID, appKey: APP_KEY, callbackToken: TOKEN, apiVersion: 'v1', host: '127.0.0.1', reportDelayMs: 5 }, log);
  const dataDir = await mkdtemp(join(tmpdir(), 'bench-webhook-'));
  console.log(`# webhook benchmark: ${SECONDS} s per measurement, ${CONNECTIONS} connections closed-loop, ${USERS} users, node ${process.version}`);
  // Other work on the machine skews every figure; the load average says how busy it was.
  console.log(`# ${cpus().length} CPUs, load average at start ${loadavg().map((value) => value.toFixed(2)).join(' ')}`);
  try {
    if (TARGETS.has('bare')) {
      const bare = await spawnTarget('bare Koa handler, acknowledging only (baseline)', 'test/bench/bareKoa.ts', {});
      await scenarioFor(bare, undefined);
      await stopTarget(bare);
    }
    if (TARGETS.has('replying')) {
      const bareReplying = await spawnTarget('bare Koa handler replying at once (end-to-end baseline)', 'test/bench/bareKoa.ts', {
        BARE_REPLY_TO: simulator.serverRoot,
        APP_ID,
        APP_KEY,
      });
      simulator.setNotifyUrl(bareReplying.url);
      await endToEndScenario(bareReplying, simulator);
      await stopTarget(bareReplying);
    }
    if (TARGETS.has('inbound')) {
      const inboundOnly = await spawnTarget('inbound side only: webhook + store + echo turn + outbox enqueue, no sender', 'test/bench/inboundOnly.ts', {
        CALLBACK_TOKEN: TOKEN,
      });
      await inboundScenario(inboundOnly);
      await stopTarget(inboundOnly);
    }
    if (TARGETS.has('bot')) {
      // The channel's capacity: npm start's stack with the echo turn (bench:conversation measures the conversation).
      const bot = await spawnTarget('bot (embedded store, echo turn)', 'test/bench/echoBot.ts', botEnv(simulator.serverRoot, dataDir, { SEND_RATE: String(Math.max(RATE_HIGH * 2, 2000)) }));
      simulator.setNotifyUrl(bot.url);
      await scenarioFor(bot, simulator);
      await fuzz(bot);
      const health = await fetch(`${bot.url}/healthz`).then((response) => response.status, () => 0);
      row('after fuzz', { healthz: health });
      await stopTarget(bot);
    }
    console.log(`\n# load average at end ${loadavg().map((value) => value.toFixed(2)).join(' ')}`);
  } finally {
    await simulator.close();
    await rm(dataDir, { recursive: true, force: true });
    await stopLoad();
  }
}

await main();
