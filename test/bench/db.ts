/**
 * Embedded store benchmark (npm run bench:db). Each figure is printed beside a baseline measured
 * in the same run: a bare driver round trip (ping) or an in-process Map, so the store's own
 * overhead is visible.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { MongoClient, type Db } from 'mongodb';
import { pino } from 'pino';
import { EmbeddedMongoServer } from '../../src/db/embedded/server.js';
import type { SyncMode } from '../../src/db/embedded/storage.js';

const COLLECTION_SIZE = 100_000;
const LOOKUPS = 5_000;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function timed(count: number, work: (i: number) => Promise<unknown>): Promise<{ perSecond: number; latencies: number[] }> {
  const latencies: number[] = [];
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    await work(i);
    latencies.push(performance.now() - t);
  }
  const seconds = (performance.now() - started) / 1000;
  return { perSecond: count / seconds, latencies: latencies.sort((a, b) => a - b) };
}

function mapBaseline(count: number): number {
  const map = new Map<string, { n: number }>();
  const started = performance.now();
  for (let i = 0; i < count; i++) map.set(`k${i}`, { n: i });
  return count / ((performance.now() - started) / 1000);
}

async function withServer<T>(sync: SyncMode, run: (db: Db) => Promise<T>, dir?: string): Promise<T> {
  const dataDir = dir ?? mkdtempSync(join(tmpdir(), 'rcs-bench-'));
  const server = new EmbeddedMongoServer({ dataDir, port: 0, sync, log: pino({ level: 'warn' }) });
  const client = await MongoClient.connect(await server.start());
  try {
    return await run(client.db('bench'));
  } finally {
    await client.close();
    await server.stop();
    if (!dir) rmSync(dataDir, { recursive: true, force: true });
  }
}

/** An outbox document's message as the bot stores it: a rich card with reply buttons and an SMS fallback. */
function outboundCard(n: number): Record<string, unknown> {
  return {
    kind: 'card',
    card: {
      layout: { cardOrientation: 'VERTICAL' },
      content: [
        {
          media: { mediaUrl: `https://example.org/media/${n}.png`, mediaContentType: 'image/png', height: 'MEDIUM_HEIGHT' },
          title: `item ${n}`,
          description: 'd'.repeat(120),
          suggestions: Array.from({ length: 4 }, (_, i) => ({ reply: { displayText: `option ${i}`, postback: { data: `item:${n}:${i}` } } })),
        },
      ],
    },
    fallbackSms: 's'.repeat(80),
  };
}

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** Heap and off-heap bytes in use after a full collection. */
function memoryInUse(): { heap: number; external: number } {
  collectGarbage();
  const { heapUsed, external } = process.memoryUsage();
  return { heap: heapUsed, external };
}

/**
 * Restart cost: rebuilding the in-memory working set and indexes from SQLite; and what the
 * loaded working set holds in memory per document, beside the document's size on disk.
 */
async function reload(dataDir: string, docs: number): Promise<void> {
  const before = memoryInUse();
  const started = performance.now();
  const server = new EmbeddedMongoServer({ dataDir, port: 0, log: pino({ level: 'warn' }) });
  await server.start();
  const ms = performance.now() - started;
  const loaded = memoryInUse();
  await server.stop();
  const database = new Database(join(dataDir, 'store.sqlite'), { readonly: true });
  const { bytes } = database.prepare('SELECT avg(length(body)) AS bytes FROM documents').get() as { bytes: number };
  database.close();
  row(`restart: load ${fmt(docs)} docs + 2 indexes, ms`, fmt(ms), `${fmt((docs / ms) * 1000)} docs/s`);
  const perDoc = (delta: number): string => fmt(delta / docs);
  row('working set bytes/doc: heap / off-heap', `${perDoc(loaded.heap - before.heap)} / ${perDoc(loaded.external - before.external)}`, `${fmt(bytes)} BSON bytes/doc on disk`);
}

const fmt = (n: number): string => (n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(3));
const rows: Array<[string, string, string]> = [];
const row = (what: string, figure: string, baseline: string): void => {
  rows.push([what, figure, baseline]);
  console.log(`${what.padEnd(44)} ${figure.padStart(16)}   baseline: ${baseline}`);
};

async function singleInserts(sync: SyncMode): Promise<void> {
  await withServer(sync, async (db) => {
    await timed(2000, () => db.command({ ping: 1 })); // warm up JIT and the connection
    await timed(500, (i) => db.collection('warmup').insertOne({ i }));
    const ping = await timed(3000, () => db.command({ ping: 1 }));
    const inserts = await timed(5000, (i) => db.collection('single').insertOne({ i, body: 'x'.repeat(200) }));
    row(`acknowledged single inserts/s (sync=${sync})`, fmt(inserts.perSecond), `${fmt(ping.perSecond)} pings/s`);
  });
}

/** `clients` workers each running `rounds` of `work` concurrently; operations per second overall. */
async function concurrently(clients: number, rounds: number, opsPerRound: number, work: (client: number, round: number) => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      for (let round = 0; round < rounds; round++) await work(client, round);
    }),
  );
  return (clients * rounds * opsPerRound) / ((performance.now() - started) / 1000);
}

/** The bot's hot path in miniature: many clients each inserting, claiming and marking one document. */
async function concurrentSmallWrites(clients: number): Promise<void> {
  await withServer('NORMAL', async (db) => {
    const jobs = db.collection<{ _id: string; status: string; n: number; owner?: number }>('jobs');
    const cycle = async (client: number, round: number, tag: string): Promise<void> => {
      const _id = `${tag}-${client}-${round}`;
      await jobs.insertOne({ _id, status: 'queued', n: round });
      await jobs.findOneAndUpdate({ _id, status: 'queued' }, { $set: { status: 'working', owner: client } }, { returnDocument: 'after' });
      await jobs.updateOne({ _id }, { $set: { status: 'done' } });
    };
    await concurrently(clients, 20, 3, (client, round) => cycle(client, round, 'warm'));
    await concurrently(clients, 20, 1, () => db.command({ ping: 1 }));
    const pings = await concurrently(clients, 150, 1, () => db.command({ ping: 1 }));
    const writes = await concurrently(clients, 50, 3, (client, round) => cycle(client, round, 'run'));
    row(`concurrent small writes ops/s (${clients} clients)`, fmt(writes), `${fmt(pings)} pings/s, ${clients} clients`);
  });
}

async function main(): Promise<void> {
  const load = loadavg().map((value) => value.toFixed(1)).join(' ');
  console.log(`embedded store benchmark, node ${process.version}, ${cpus().length} CPUs, load average ${load}`);
  await singleInserts('NORMAL');
  await singleInserts('FULL');
  await concurrentSmallWrites(64);
  const dataDir = mkdtempSync(join(tmpdir(), 'rcs-bench-'));
  await withServer('NORMAL', async (db) => {
    const outbox = db.collection('outbox');
    const batch = 1000;
    const many = await timed(COLLECTION_SIZE / batch, (b) =>
      outbox.insertMany(
        Array.from({ length: batch }, (_, i) => ({
          seq: b * batch + i,
          user: `u${(b * batch + i) % 5000}`,
          status: i % 10 === 0 ? 'queued' : 'sent',
          createdAt: new Date(),
          message: outboundCard(b * batch + i),
        })),
      ),
    );
    row('insertMany docs/s (batches of 1,000)', fmt(many.perSecond * batch), `${fmt(mapBaseline(COLLECTION_SIZE))} Map.set/s`);

    await outbox.createIndex({ seq: 1 }, { unique: true });
    await outbox.createIndex({ status: 1, createdAt: 1 });
    const ping = await timed(LOOKUPS, () => db.command({ ping: 1 }));
    const finds = await timed(LOOKUPS, () => outbox.findOne({ seq: Math.floor(Math.random() * COLLECTION_SIZE) }));
    row(
      `indexed findOne p50 / p99 ms (${fmt(COLLECTION_SIZE)} docs)`,
      `${fmt(percentile(finds.latencies, 50))} / ${fmt(percentile(finds.latencies, 99))}`,
      `ping ${fmt(percentile(ping.latencies, 50))} / ${fmt(percentile(ping.latencies, 99))} ms`,
    );
    // A queue depth: 10,000 queued documents counted from the index, beside a filter the index
    // does not settle alone, which reads (deserializes) every queued document.
    const counted = await timed(20, () => outbox.countDocuments({ status: 'queued' }));
    const read = await timed(20, () => outbox.countDocuments({ status: 'queued', seq: { $exists: true } }));
    row('countDocuments of 10k queued, p50 ms', fmt(percentile(counted.latencies, 50)), `reading each document: ${fmt(percentile(read.latencies, 50))} ms`);
    await timed(300, () => outbox.findOneAndUpdate({ status: 'queued' }, { $set: { status: 'warm' } }, { sort: { createdAt: 1 } }));
    const claims = await timed(3000, () =>
      outbox.findOneAndUpdate({ status: 'queued' }, { $set: { status: 'sending' } }, { sort: { createdAt: 1 }, returnDocument: 'after' }),
    );
    row('findOneAndUpdate claims/s (10k queued)', fmt(claims.perSecond), `${fmt(ping.perSecond)} pings/s`);
    const unsorted = await timed(3000, () => outbox.findOneAndUpdate({ status: 'queued' }, { $set: { status: 'sending' } }));
    row('findOneAndUpdate claims/s, no sort', fmt(unsorted.perSecond), `${fmt(ping.perSecond)} pings/s`);
  }, dataDir);
  await reload(dataDir, COLLECTION_SIZE);
  rmSync(dataDir, { recursive: true, force: true });
}

await main();
