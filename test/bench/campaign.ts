/**
 * Campaign benchmark (`npm run bench:campaign`). The bot runs as a child process as `npm start`
 * runs it (embedded store in a temp DATA_DIR), pointed at the platform simulator running here.
 *
 *  1. import: a synthetic directory of ENTERPRISES rows (about 100,000 recipients) as one CSV
 *     body → rows/s
 *  2. unthrottled campaign to all of them (no campaign rate, SEND_RATE far above what the
 *     machine can do): segment build time, messages/s end to end (start → the platform accepted
 *     the last), and the steady rate once sending began;
 *     baseline in the same run: the same kind of card sent straight through the CT/CU
 *     transport, BASELINE messages, CONCURRENCY at a time — what the platform and the HTTP path
 *     take with no store, outbox or campaign at all
 *  3. a campaign with a rate of RATE messages/s for RATE_SECONDS, then cancelled: the rate the
 *     platform saw (after the first second), against the configured one
 *  4. the bot's memory: resident set before the import (baseline), after it, and its peak
 *     (VmHWM) over the run, read from /proc; and the CPU time it used per message of the
 *     unthrottled campaign (all its threads: on a shared machine a steadier figure than the rate)
 *
 * Environment: ENTERPRISES (106000), RATE (100), RATE_SECONDS (20), BASELINE (10000),
 * CONCURRENCY (64); BENCH_BOT_NODE_OPTIONS (node options for the bot alone, e.g. --cpu-prof); STORE=process runs the embedded store as a process of its own (`npm run
 * mongo`, the bot given MONGODB_URI), so that the bot's memory and the store's are told apart.
 * The load average is printed: on a shared machine the rates move with it, the CPU time per
 * message much less.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { pino } from 'pino';
import { startSimulator, type Simulator } from '../../src/channels/simulator/index.js';
import { createCtcuTransport } from '../../src/channels/ctcu/index.js';
import { csvHeader, csvLine, generateDirectory } from '../../src/directory/demo/generate.js';
import { startTestMongo } from '../support/mongo.js';
import { spawnBot, spawnStore, stopChild } from '../support/processes.js';

const ENTERPRISES = Number(process.env.ENTERPRISES ?? 106_000);
const RATE = Number(process.env.RATE ?? 100);
const RATE_SECONDS = Number(process.env.RATE_SECONDS ?? 20);
const BASELINE = Number(process.env.BASELINE ?? 10_000);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 64);
const CHATBOT_ID = 'sip:106500@botplatform.rcs.domain.cn';
const ADMIN = 'bench-admin-token-0123456789';
const CREDENTIALS = { appId: 'bench-app', appKey: 'bench-app-key-0123456789', callbackToken: 'bench-callback-token' };

const log = pino({ level: 'silent' });
const mb = (kilobytes: number): string => `${(kilobytes / 1024).toFixed(0)} MB`;

/** CPU seconds the process has used (user and system, all its threads), from /proc. */
async function cpuOf(pid: number): Promise<number> {
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).replace(/^.*\) /s, '').split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function memoryOf(pid: number): Promise<{ rss: number; hwm: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const field = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  return { rss: field('VmRSS'), hwm: field('VmHWM') };
}

async function api<T>(url: string, method: string, path: string, body?: unknown, type = 'application/json'): Promise<T> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN}`, ...(body === undefined ? {} : { 'content-type': type }) },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const answer = (await response.json()) as T;
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(answer)}`);
  return answer;
}

async function waitFor(what: string, test: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await test())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Messages per second over the receipt times of `times` (sorted), from `skipMs` after the first. */
function rateOf(times: number[], skipMs = 0): number {
  const from = (times[0] as number) + skipMs;
  const kept = times.filter((time) => time >= from);
  return ((kept.length - 1) * 1000) / ((kept.at(-1) as number) - (kept[0] as number));
}

/** The baseline: cards sent straight through the CT/CU transport, CONCURRENCY at a time. */
async function directSends(simulator: Simulator, card: Parameters<ReturnType<typeof createCtcuTransport>['send']>[1]): Promise<number> {
  const mongo = await startTestMongo({ name: 'bench_campaign_baseline' });
  const connection = await mongoose.createConnection(mongo.uri, { dbName: mongo.dbName }).asPromise();
  const transport = createCtcuTransport(connection, { chatbotId: CHATBOT_ID, serverRoot: simulator.serverRoot, apiVersion: 'v1', appId: CREDENTIALS.appId, appKey: CREDENTIALS.appKey }, log);
  await transport.send(randomUUID(), card);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < BASELINE) {
        next++;
        await transport.send(randomUUID(), { ...card, userId: `tel:+86139${String(next).padStart(8, '0')}` });
      }
    }),
  );
  const perSecond = BASELINE / ((performance.now() - started) / 1000);
  transport.close();
  await connection.close();
  await mongo.close();
  return perSecond;
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'bench-campaign-'));
  const simulator = await startSimulator({ chatbotId: CHATBOT_ID, ...CREDENTIALS, apiVersion: 'v1', reportDelayMs: 100, reportAttempts: 20 }, log);
  const store = process.env.STORE === 'process' ? await spawnStore(join(dataDir, 'store')) : undefined;
  const bot = await spawnBot(
    {
      PORT: '0',
      HOST: '127.0.0.1',
      ...(store ? { MONGODB_URI: `${store.uri.replace(/\/$/, '')}/bench` } : { DATA_DIR: dataDir }),
      PLATFORM_URL: simulator.serverRoot,
      CHATBOT_ID,
      APP_ID: CREDENTIALS.appId,
      APP_KEY: CREDENTIALS.appKey,
      CALLBACK_TOKEN: CREDENTIALS.callbackToken,
      ADMIN_TOKEN: ADMIN,
      SEND_RATE: '100000',
      DEMO_DIRECTORY_SIZE: '0',
      CAMPAIGN_FREQUENCY_CAP: '10',
      CAMPAIGN_APPROVAL_THRESHOLD: '1000000',
      LOG_LEVEL: 'info',
    },
    120_000,
    // Profiling the bot alone (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof": a profile per thread), as
    // arguments: node refuses --cpu-prof in NODE_OPTIONS.
    process.env.BENCH_BOT_NODE_OPTIONS?.split(' ').filter(Boolean),
  );
  const pid = bot.child.pid as number;
  const storePid = store?.child.pid;
  let peak = 0;
  let storePeak = 0;
  const sampler = setInterval(() => {
    void memoryOf(pid).then((memory) => (peak = Math.max(peak, memory.rss)), () => undefined);
    if (storePid) void memoryOf(storePid).then((memory) => (storePeak = Math.max(storePeak, memory.rss)), () => undefined);
  }, 250);
  simulator.setNotifyUrl(bot.url);
  try {
    const idle = await memoryOf(pid);
    console.log(`campaign benchmark, ${ENTERPRISES} enterprises (embedded store); load average at start ${loadavg().map((value) => value.toFixed(1)).join(' ')}`);

    const csv = csvHeader() + Array.from(generateDirectory(ENTERPRISES, { seed: 42 }), csvLine).join('');
    let started = performance.now();
    const imported = await api<{ imported: number; rejectedCount: number }>(bot.url, 'POST', '/admin/enterprises', csv, 'text/csv');
    const importSeconds = (performance.now() - started) / 1000;
    const afterImport = await memoryOf(pid);
    console.log(`  import          ${imported.imported} rows in ${importSeconds.toFixed(1)} s = ${(imported.imported / importSeconds).toFixed(0)} rows/s (rejected ${imported.rejectedCount})`);

    const campaign = await api<{ id: string; audience: number }>(bot.url, 'POST', '/admin/campaigns', { name: '基准：全部', policy: 'job-absorption-subsidy', schedule: { quietHours: null } });
    const total = campaign.audience;
    started = performance.now();
    const startedAt = Date.now();
    const cpuBefore = await cpuOf(pid);
    await api(bot.url, 'POST', `/admin/campaigns/${campaign.id}/start`);
    const mine = (): number => simulator.received().length;
    await waitFor('every message at the platform', () => mine() >= total, 30 * 60_000);
    const seconds = (performance.now() - started) / 1000;
    const cpuSeconds = (await cpuOf(pid)) - cpuBefore;
    const read = await api<{ built?: { ms: number }; stats: { sent: number; pending: number } }>(bot.url, 'GET', `/admin/campaigns/${campaign.id}`);
    const times = simulator
      .received()
      .map((message) => message.receivedAt.getTime())
      .sort((a, b) => a - b);
    console.log(`  unthrottled     ${total} recipients: segment built in ${((read.built?.ms ?? NaN) / 1000).toFixed(1)} s; start → last accepted ${seconds.toFixed(1)} s = ${(total / seconds).toFixed(0)} msgs/s end to end; steady ${rateOf(times).toFixed(0)} msgs/s from the first message (${((times[0] as number) - startedAt) / 1000} s after start); the bot used ${cpuSeconds.toFixed(0)} CPU seconds = ${((cpuSeconds * 1000) / total).toFixed(2)} ms a message`);

    const first = simulator.received()[0];
    const firstCard = first?.parts.find((part): part is Extract<typeof part, { kind: 'card' }> => part.kind === 'card');
    if (first && firstCard) {
      const direct = await directSends(simulator, { userId: first.user, platformId: 'ctcu', body: { type: 'card', card: firstCard.card }, ...(first.smsContent ? { smsFallback: first.smsContent } : {}) });
      console.log(`  baseline        ${BASELINE} such cards sent straight through the CT/CU transport (no store, outbox or campaign), ${CONCURRENCY} at a time: ${direct.toFixed(0)} msgs/s`);
    }

    const before = simulator.received().length;
    const paced = await api<{ id: string }>(bot.url, 'POST', '/admin/campaigns', { name: `基准：${RATE}/s`, policy: 'job-absorption-subsidy', rate: RATE, schedule: { quietHours: null } });
    await api(bot.url, 'POST', `/admin/campaigns/${paced.id}/start`);
    await waitFor('the paced campaign to begin', () => simulator.received().length > before, 120_000);
    await new Promise((resolve) => setTimeout(resolve, RATE_SECONDS * 1000));
    await api(bot.url, 'POST', `/admin/campaigns/${paced.id}/cancel`);
    const pacedTimes = simulator
      .received()
      .slice(before)
      .map((message) => message.receivedAt.getTime())
      .sort((a, b) => a - b);
    const observed = rateOf(pacedTimes, 1000);
    console.log(`  rate ${RATE}/s      observed ${observed.toFixed(1)} msgs/s over ${pacedTimes.length} messages (${(((observed - RATE) / RATE) * 100).toFixed(1)} % off)`);

    const end = await memoryOf(pid);
    console.log(`  memory (bot)    RSS idle ${mb(idle.rss)} (baseline), after import ${mb(afterImport.rss)}, peak ${mb(Math.max(peak, end.hwm))} (VmHWM ${mb(end.hwm)})${store ? ' — the bot alone' : ', the embedded store on its thread included'}`);
    if (storePid) console.log(`  memory (store)  RSS peak ${mb(Math.max(storePeak, (await memoryOf(storePid)).hwm))} (npm run mongo, a process of its own)`);
    console.log(`  load average at end ${loadavg().map((value) => value.toFixed(1)).join(' ')}; platform stats ${JSON.stringify(simulator.stats())}`);
  } finally {
    clearInterval(sampler);
    await stopChild(bot.child);
    await stopChild(store?.child);
    await simulator.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
