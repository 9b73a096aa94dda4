/**
 * Outbox sender benchmark (`npx tsx test/bench/outbox.ts`): how fast stored messages reach the
 * platform simulator through the outbox (embedded store, claims, rate limit, delivery reports
 * applied back), beside the same sends made directly through the CT/CU transport with no outbox
 * (the baseline), in the same run.
 *
 *  1. latency at RATE messages/s (open loop, USERS users round robin), p50/p99: from the call
 *     (enqueue; baseline: a direct transport send) until the platform accepted the message — both
 *     timed with the same clock (the simulator's receipt time minus the call's start), and both
 *     warm (the token fetched and connections open before anything is timed)
 *  2. drain: BURST messages enqueued at once → messages/s until all accepted
 *
 * Environment: BENCH_SECONDS (5), RATE (500), USERS (500), BURST (5000), CONCURRENCY (sender default).
 */
import { randomUUID } from 'node:crypto';
import { OutboundHarness, text } from '../outbox/harness.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const RATE = Number(process.env.RATE ?? 500);
const USERS = Number(process.env.USERS ?? 500);
const BURST = Number(process.env.BURST ?? 5000);
const CONCURRENCY = process.env.CONCURRENCY ? Number(process.env.CONCURRENCY) : undefined;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

const user = (index: number): string => `tel:+86139${String(index % USERS).padStart(8, '0')}`;
const format = (values: number[]): string => `p50 ${percentile(values, 50).toFixed(1)} ms  p99 ${percentile(values, 99).toFixed(1)} ms  (n=${values.length})`;

/** Calls `action` RATE times a second for SECONDS, without waiting for one to finish before the next. */
async function openLoop(action: (index: number) => Promise<void>): Promise<void> {
  const total = RATE * SECONDS;
  const started = performance.now();
  const running: Promise<void>[] = [];
  for (let index = 0; index < total; index++) {
    const due = started + (index * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    running.push(action(index));
  }
  await Promise.all(running);
}

/** For each message started at `startedAt` (Date.now() at the call), how long until the platform accepted it. */
function acceptedAfter(harness: OutboundHarness, startedAt: Map<string, number>): number[] {
  return harness.simulator
    .received()
    .filter((message) => startedAt.has(message.messageId))
    .map((message) => message.receivedAt.getTime() - (startedAt.get(message.messageId) as number));
}

async function baseline(harness: OutboundHarness): Promise<number[]> {
  const transport = harness.transport();
  // Warm-up, not timed: the first call fetches the access token and opens the connection.
  await transport.send(randomUUID(), text(user(0), 'baseline warm-up'));
  const startedAt = new Map<string, number>();
  await openLoop(async (index) => {
    const id = randomUUID();
    startedAt.set(id, Date.now());
    await transport.send(id, text(user(index), `baseline ${index}`));
  });
  transport.close();
  return acceptedAfter(harness, startedAt);
}

async function throughOutbox(harness: OutboundHarness): Promise<number[]> {
  // Warm-up, not timed: the sender's first send fetches its token and opens its connection.
  const warm = await harness.outbox.enqueue(text(user(0), 'outbox warm-up'));
  await harness.simulator.waitForMessages((all) => all.some((message) => message.messageId === warm), 10_000);
  const startedAt = new Map<string, number>();
  await openLoop(async (index) => {
    const started = Date.now();
    const id = await harness.outbox.enqueue(text(user(index), `outbox ${index}`));
    startedAt.set(id, started);
  });
  await harness.simulator.waitForMessages((all) => all.filter((message) => startedAt.has(message.messageId)).length >= startedAt.size, 60_000);
  return acceptedAfter(harness, startedAt);
}

async function drain(harness: OutboundHarness): Promise<number> {
  const before = harness.simulator.received().length;
  const started = performance.now();
  await Promise.all(Array.from({ length: BURST }, (_, index) => harness.outbox.enqueue(text(user(index), `burst ${index}`))));
  await harness.simulator.waitForMessages(before + BURST, 120_000);
  return BURST / ((performance.now() - started) / 1000);
}

async function main(): Promise<void> {
  const harness = await new OutboundHarness({ sendRate: 100_000, tuning: { pollMs: 250, requestTimeoutMs: 5000, ...(CONCURRENCY ? { concurrency: CONCURRENCY } : {}) } }).start('bench_outbox');
  try {
    const direct = await baseline(harness);
    harness.startSender();
    const queued = await throughOutbox(harness);
    const perSecond = await drain(harness);
    console.log(`outbox sender, ${RATE} msg/s for ${SECONDS} s, ${USERS} users (embedded store)`);
    console.log(`  baseline: direct send → platform accepted ${format(direct)}`);
    console.log(`  outbox: enqueue → platform accepted       ${format(queued)}`);
    console.log(`  drain of ${BURST} queued messages: ${perSecond.toFixed(0)} msg/s`);
    console.log(`  platform stats: ${JSON.stringify(harness.simulator.stats())}`);
  } finally {
    await harness.close();
  }
}

await main();
