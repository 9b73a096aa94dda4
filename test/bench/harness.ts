/**
 * What the benchmarks that drive a bot over HTTP share: starting a target (the bot or a baseline)
 * as a child process, the load generator worker, figures from its reports and from the target's
 * /metrics, and replies matched to the messages they answer at the simulator.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import { createInterface } from 'node:readline';
import type { Simulator } from '../../src/channels/simulator/index.js';
import type { LoadJob, LoadReport } from './loadWorker.js';

export const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
export const CONNECTIONS = Number(process.env.CONNECTIONS ?? 64);
export const USERS = 500;
export const CHATBOT_ID = 'sip:106500@botplatform.rcs.domain.cn';
export const TOKEN = 'bench-callback-token';
const PATH = `/messageNotification/${encodeURIComponent(CHATBOT_ID)}/messages`;
const REPO = new URL('../../', import.meta.url).pathname;

export const APP_ID = 'bench-app';
export const APP_KEY = 'bench-app-key-0123456789';

/** The environment of a bot target talking to the simulator at `platformUrl`, its store in `dataDir`. */
export function botEnv(platformUrl: string, dataDir: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    PLATFORM_URL: platformUrl,
    CHATBOT_ID,
    APP_ID,
    APP_KEY,
    CALLBACK_TOKEN: TOKEN,
    // 'bot listening' (how the benchmark learns the URL) is logged at info.
    LOG_LEVEL: 'info',
    ...extra,
  };
}

export interface Target {
  name: string;
  url: string;
  child: ChildProcess;
}

export function spawnTarget(name: string, script: string, env: Record<string, string>): Promise<Target> {
  const nodeOptions = process.env.BENCH_BOT_NODE_OPTIONS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...(script.endsWith('bareKoa.ts') ? [] : nodeOptions), '--import', 'tsx', script], { cwd: REPO, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code}`)));
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      if (!line.startsWith('{')) return;
      const entry = JSON.parse(line) as { msg?: string; url?: string };
      if (entry.msg === 'bot listening' && entry.url) {
        child.removeAllListeners('exit');
        resolve({ name, url: entry.url, child });
      }
    });
  });
}

export async function stopTarget(target: Target): Promise<void> {
  const exited = new Promise((resolve) => target.child.once('exit', resolve));
  target.child.kill('SIGTERM');
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
  target.child.kill('SIGKILL');
}

/** contributionId → when its message was sent (epoch ms, for end-to-end latency). */
export const sentAt = new Map<string, number>();
// A worker does not inherit tsx's loader: register it there before loading the TypeScript module.
const workerEntry = new URL('./loadWorker.ts', import.meta.url).href;
const worker = new Worker(
  `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(workerEntry)}); });`,
  { eval: true },
);

export function load(job: Omit<LoadJob, 'path' | 'token' | 'chatbotId' | 'users'>): Promise<LoadReport> {
  return new Promise((resolve) => {
    worker.once('message', (report: LoadReport) => {
      for (const [contributionId, at] of report.sent) sentAt.set(contributionId, at);
      resolve(report);
    });
    worker.postMessage({ path: PATH, token: TOKEN, chatbotId: CHATBOT_ID, users: USERS, ...job });
  });
}

export interface LoadResult {
  sent: number;
  ok: number;
  perSecond: number;
  ackP50: number;
  ackP99: number;
  non200: number;
  genLagP99ms: number;
}

export function summarise(report: LoadReport, seconds = report.elapsedSeconds): LoadResult {
  const sorted = [...report.latencies].sort((a, b) => a - b);
  const ok = new Map(report.statuses).get(200) ?? 0;
  return {
    sent: sorted.length,
    ok,
    perSecond: ok / seconds,
    ackP50: percentile(sorted, 0.5),
    ackP99: percentile(sorted, 0.99),
    non200: sorted.length - ok,
    genLagP99ms: report.generatorLagP99Ms,
  };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] as number;
}

export async function closedLoop(url: string, seconds: number, traffic?: LoadJob['traffic']): Promise<LoadResult> {
  return summarise(await load({ url, seconds, connections: CONNECTIONS, ...(traffic ? { traffic } : {}) }));
}

/**
 * A closed loop of citizens: each of CONNECTIONS senders sends its next message once the bot's
 * answer to the last one reached `simulator`. Answers are passed to the load generator as the
 * platform accepts them.
 */
export async function answeredLoop(url: string, seconds: number, simulator: Simulator, traffic?: LoadJob['traffic']): Promise<LoadResult> {
  const answered = new Set<string>();
  const stop = simulator.platform().onAccepted((message) => {
    const turn = message.inReplyTo;
    if (turn === undefined || answered.has(turn)) return;
    answered.add(turn);
    worker.postMessage({ answered: turn });
  });
  try {
    return summarise(await load({ url, seconds, connections: CONNECTIONS, awaitAnswers: true, ...(traffic ? { traffic } : {}) }));
  } finally {
    stop();
  }
}

export async function openLoop(url: string, rate: number, seconds: number, traffic?: LoadJob['traffic']): Promise<LoadResult> {
  return summarise(await load({ url, seconds, rate, ...(traffic ? { traffic } : {}) }), seconds);
}

/** End-to-end latencies of replies to messages sent since `since` (by inReplyTo = contributionId). */
export function endToEnd(simulator: Simulator, contributions: Set<string>): number[] {
  const latencies: number[] = [];
  for (const message of simulator.received()) {
    const sent = message.inReplyTo === undefined ? undefined : sentAt.get(message.inReplyTo);
    if (sent !== undefined && contributions.has(message.inReplyTo as string)) latencies.push(message.receivedAt.getTime() - sent);
  }
  return latencies.sort((a, b) => a - b);
}

export async function waitForReplies(simulator: Simulator, contributions: Set<string>, timeoutMs: number): Promise<number> {
  const started = performance.now();
  while (endToEnd(simulator, contributions).length < contributions.size && performance.now() - started < timeoutMs) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return performance.now() - started;
}

export function contributionsFrom(start: number): Set<string> {
  return new Set([...sentAt.keys()].slice(start));
}

/** A load measurement's cells: throughput, acknowledgement times as the load generator saw them, its own lag. */
export function loadCells(result: LoadResult): Record<string, number> {
  return { 'msgs/s': result.perSecond, ackP50ms: result.ackP50, ackP99ms: result.ackP99, non200: result.non200, genLagP99ms: result.genLagP99ms };
}

export function row(label: string, values: Record<string, string | number>): void {
  const cells = Object.entries(values).map(([key, value]) => `${key}=${typeof value === 'number' ? value.toFixed(1) : value}`);
  console.log(`  ${label.padEnd(10)} ${cells.join('  ')}`);
}

// prom-client samples the loop every 10 ms and reports whole intervals; the lag is beyond that.
const LAG_SAMPLING_MS = 10;
const ACK_TARGET_SECONDS = '0.025';

export interface BotSide {
  /** The bot's own event loop lag (p99, max) over the measurement. */
  lagP99ms: number;
  lagMaxMs: number;
  /** Share of message acknowledgements the bot itself timed within 25 ms (rcs_webhook_ack_seconds). */
  'acks<=25ms%': number;
  /** CPU time the bot process (all its threads, the embedded store's included) spent over the measurement. */
  cpuMs: number;
}

/** The bot's cumulative counters at one scrape, to subtract from the next. */
export interface BotSnapshot {
  acks: Map<string, number>;
  cpuSeconds: number;
}

/**
 * What the bot saw of a measurement, from its /metrics: event loop lag since the previous scrape
 * (prom-client resets that histogram at every scrape), and its own acknowledgement times, taken
 * as the difference of the cumulative histogram from `before`. Undefined without /metrics.
 */
export async function botSide(target: Target, before?: BotSnapshot): Promise<{ figures?: BotSide; snapshot: BotSnapshot }> {
  const text = await fetch(`${target.url}/metrics`).then((response) => (response.ok ? response.text() : ''), () => '');
  const acks = new Map<string, number>();
  for (const [, le, count] of text.matchAll(/^rcs_webhook_ack_seconds_bucket\{le="([^"]+)",route="messageNotification",status="200"\} (\d+)$/gm)) {
    acks.set(le as string, Number(count));
  }
  const read = (name: string): number | undefined => {
    const value = new RegExp(`^${name} ([\\d.e+-]+)$`, 'm').exec(text)?.[1];
    return value === undefined ? undefined : Number(value) * 1000;
  };
  const p99 = read('nodejs_eventloop_lag_p99_seconds');
  const max = read('nodejs_eventloop_lag_max_seconds');
  const snapshot = { acks, cpuSeconds: (read('process_cpu_seconds_total') ?? 0) / 1000 };
  if (p99 === undefined || max === undefined || !before) return { snapshot };
  const delta = (le: string): number => (acks.get(le) ?? 0) - (before.acks.get(le) ?? 0);
  const within = delta('+Inf') === 0 ? Number.NaN : (100 * delta(ACK_TARGET_SECONDS)) / delta('+Inf');
  const cpuMs = (snapshot.cpuSeconds - before.cpuSeconds) * 1000;
  return { snapshot, figures: { lagP99ms: Math.max(0, p99 - LAG_SAMPLING_MS), lagMaxMs: Math.max(0, max - LAG_SAMPLING_MS), 'acks<=25ms%': within, cpuMs } };
}


/** Ends the load generator's worker (at the end of a benchmark run). */
export function stopLoad(): Promise<number> {
  return worker.terminate();
}
