/**
 * Conversation benchmark (`npm run bench:conversation`): realistic mixed citizen traffic
 * (citizenTraffic.ts: guides walked through, aspects, follow-ups, close calls, fallbacks, halls,
 * progress) against the bot as `npm start` runs it, and the same traffic against the same stack
 * with the echo turn handler (echoBot.ts) in the same run. The platform simulator and the load
 * generator run here; each target gets a fresh embedded store.
 *
 *  1. closed loop of CONNECTIONS citizens, each sending its next message once the bot's answer to
 *     the last reached the platform: turns answered within the window per second (a turn is
 *     answered by its first reply), ack p50/p99. Closing the loop on answers rather than on acks
 *     keeps the bot at its capacity without a backlog growing behind the webhook, so the figure
 *     is what the bot sustains, not how the CPU happens to split between acking and answering.
 *  2. open loop at RATE messages/s: ack p50/p99 and end-to-end p50/p99 (message sent → first
 *     reply at the platform)
 *
 * Targets (2 cores, embedded store): conversation closed-loop turns/s ≥ 70 % of the echo's;
 * end-to-end p99 ≤ 150 ms at 300 msgs/s; ack p99 ≤ 25 ms.
 *
 * Environment: BENCH_SECONDS (10), CONNECTIONS (64), RATE (300), BENCH_TARGETS (echo,conversation).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { startSimulator, type Simulator } from '../../src/channels/simulator/index.js';
import { answeredLoop, APP_ID, APP_KEY, botEnv, botSide, CHATBOT_ID, CONNECTIONS, contributionsFrom, loadCells, openLoop, percentile, row, SECONDS, sentAt, spawnTarget, stopLoad, stopTarget, TOKEN, USERS, type Target } from './harness.js';

const RATE = Number(process.env.RATE ?? 300);
const TARGETS = new Set((process.env.BENCH_TARGETS ?? 'echo,conversation').split(','));
const POSTBACK_SECRET = 'bench-postback-secret';
const TRAFFIC = { kind: 'citizen' as const, postbackSecret: POSTBACK_SECRET };

/** When each turn of `batch` got its first reply at the platform, less when it was sent (ms). */
function turnLatencies(simulator: Simulator, batch: Set<string>, until = Number.POSITIVE_INFINITY): number[] {
  const first = new Map<string, number>();
  for (const message of simulator.received()) {
    const turn = message.inReplyTo;
    const at = message.receivedAt.getTime();
    if (turn === undefined || !batch.has(turn) || at > until) continue;
    if (at < (first.get(turn) ?? Number.POSITIVE_INFINITY)) first.set(turn, at);
  }
  return [...first].map(([turn, at]) => at - (sentAt.get(turn) ?? at)).sort((a, b) => a - b);
}

async function waitForTurns(simulator: Simulator, batch: Set<string>, timeoutMs: number): Promise<number> {
  const started = performance.now();
  while (turnLatencies(simulator, batch).length < batch.size && performance.now() - started < timeoutMs) await new Promise((resolve) => setTimeout(resolve, 50));
  return performance.now() - started;
}

interface Figures {
  turnsPerSecond: number;
  ackP99: number;
  e2eP99: number;
}

async function measure(target: Target, simulator: Simulator): Promise<Figures> {
  console.log(`\n## ${target.name}`);
  await answeredLoop(target.url, 3, simulator, TRAFFIC); // warm-up: JIT, token, connections, the classifier's first calls
  await waitForTurns(simulator, contributionsFrom(0), 60_000);

  let mark = sentAt.size;
  let side = await botSide(target);
  const ownCpu = process.cpuUsage();
  const windowEnd = Date.now() + SECONDS * 1000;
  const closed = await answeredLoop(target.url, SECONDS, simulator, TRAFFIC);
  const closedBatch = contributionsFrom(mark);
  const inWindow = turnLatencies(simulator, closedBatch, windowEnd).length;
  const closedSide = (await botSide(target, side.snapshot)).figures;
  const ownCpuUsed = process.cpuUsage(ownCpu);
  row('closed', { ...loadCells(closed), ...closedSide });
  const drainMs = await waitForTurns(simulator, closedBatch, 120_000);
  const turnsPerSecond = inWindow / SECONDS;
  // CPU per turn does not depend on how much of the machine the load generator and other work take.
  const cpuPerTurn = closedSide && inWindow > 0 ? closedSide.cpuMs / inWindow : Number.NaN;
  const platformCpuPerTurn = (ownCpuUsed.user + ownCpuUsed.system) / 1000 / Math.max(1, inWindow);
  row('  turns', { 'answered in window/s': turnsPerSecond, answered: turnLatencies(simulator, closedBatch).length, of: closedBatch.size, 'drain after window ms': drainMs });
  row('  cpu', { 'bot ms/turn': cpuPerTurn, 'platform and load ms/turn': platformCpuPerTurn });

  mark = sentAt.size;
  side = await botSide(target);
  const open = await openLoop(target.url, RATE, SECONDS, TRAFFIC);
  row(`@${RATE}/s`, { ...loadCells(open), ...(await botSide(target, side.snapshot)).figures });
  const openBatch = contributionsFrom(mark);
  await waitForTurns(simulator, openBatch, 60_000);
  const e2e = turnLatencies(simulator, openBatch);
  row('  e2e', { e2eP50ms: percentile(e2e, 0.5), e2eP99ms: percentile(e2e, 0.99), answered: e2e.length, of: openBatch.size });
  return { turnsPerSecond, ackP99: open.ackP99, e2eP99: percentile(e2e, 0.99) };
}

function verdict(label: string, ok: boolean, detail: string): void {
  console.log(`  ${ok ? 'met ' : 'MISS'} ${label}: ${detail}`);
}

async function main(): Promise<void> {
  const simulator = await startSimulator({ chatbotId: CHATBOT_ID, appId: APP_ID, appKey: APP_KEY, callbackToken: TOKEN, apiVersion: 'v1', host: '127.0.0.1', reportDelayMs: 5 }, pino({ level: 'silent' }));
  console.log(`# conversation benchmark: ${SECONDS} s per measurement, ${CONNECTIONS} citizens closed-loop, ${RATE} msgs/s open-loop, ${USERS} users, node ${process.version}`);
  console.log(`# ${cpus().length} CPUs, load average at start ${loadavg().map((value) => value.toFixed(2)).join(' ')}`);
  const results = new Map<string, Figures>();
  const dirs: string[] = [];
  try {
    const entries: Array<[string, string, string]> = [
      ['echo', 'echo turn handler, same stack (baseline)', 'test/bench/echoBot.ts'],
      ['conversation', 'the bot as npm start runs it (conversation)', 'src/main.ts'],
    ];
    for (const [key, name, script] of entries) {
      if (!TARGETS.has(key)) continue;
      const dataDir = await mkdtemp(join(tmpdir(), `bench-${key}-`));
      dirs.push(dataDir);
      const target = await spawnTarget(name, script, botEnv(simulator.serverRoot, dataDir, { NODE_ENV: 'production', POSTBACK_SECRET, SEND_RATE: '5000' }));
      simulator.setNotifyUrl(target.url);
      results.set(key, await measure(target, simulator));
      await stopTarget(target);
    }
    const echo = results.get('echo');
    const conversation = results.get('conversation');
    if (conversation) {
      console.log('\n## targets');
      if (echo) verdict('closed-loop turns/s ≥ 70 % of the echo handler', conversation.turnsPerSecond >= 0.7 * echo.turnsPerSecond, `${conversation.turnsPerSecond.toFixed(0)} vs ${echo.turnsPerSecond.toFixed(0)} (${((100 * conversation.turnsPerSecond) / echo.turnsPerSecond).toFixed(1)} %)`);
      verdict(`end-to-end p99 ≤ 150 ms at ${RATE}/s`, conversation.e2eP99 <= 150, `${conversation.e2eP99.toFixed(1)} ms`);
      verdict(`ack p99 ≤ 25 ms at ${RATE}/s`, conversation.ackP99 <= 25, `${conversation.ackP99.toFixed(1)} ms`);
    }
    console.log(`\n# load average at end ${loadavg().map((value) => value.toFixed(2)).join(' ')}`);
  } finally {
    await simulator.close();
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
    await stopLoad();
  }
}

await main();
