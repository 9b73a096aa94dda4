/**
 * The database a test runs against: MONGODB_URI when set (each caller gets its own database,
 * dropped on close), otherwise an embedded store on a fresh temp dir and a free port.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { MongoClient, type Db } from 'mongodb';
import { pino } from 'pino';
import { EmbeddedMongoServer } from '../../src/db/embedded/server.js';

export const realMongoUri = process.env.MONGODB_URI || undefined;

export interface TestMongo {
  /** Server URI without a database; pass `dbName` to the driver or mongoose. */
  uri: string;
  dbName: string;
  embedded: boolean;
  client: MongoClient;
  db: Db;
  close(): Promise<void>;
}

export interface TestMongoOptions {
  /** Short label, becomes part of the database name. */
  name: string;
  /** Embedded store only: how often TTL-expired documents are swept. */
  ttlIntervalMs?: number;
}

export async function startTestMongo(options: TestMongoOptions): Promise<TestMongo> {
  const label = options.name.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 40);
  const dbName = `test_${label}_${randomBytes(4).toString('hex')}`;
  let server: EmbeddedMongoServer | undefined;
  let dataDir: string | undefined;
  let uri = realMongoUri;
  if (!uri) {
    dataDir = mkdtempSync(join(tmpdir(), 'rcs-mongo-'));
    server = new EmbeddedMongoServer({
      dataDir,
      port: 0,
      ttlIntervalMs: options.ttlIntervalMs,
      log: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    });
    uri = await server.start();
  }
  const client = await MongoClient.connect(uri);
  const db = client.db(dbName);
  return {
    uri,
    dbName,
    embedded: server !== undefined,
    client,
    db,
    async close() {
      if (!server) await db.dropDatabase().catch(() => undefined);
      await client.close();
      await server?.stop();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
