/**
 * Two bot processes (`src/main.ts`, as `npm start` runs it) on one store of their own (`npm run
 * mongo`'s program), served by a platform simulator in the test's process, with a client on the
 * store's database for the test to look into. Callbacks go to the first process.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient, type Db } from 'mongodb';
import { pino } from 'pino';
import { startSimulator, type Simulator } from '../../src/channels/simulator/index.js';
import { spawnBot, spawnStore, stopChild, type ChildBot } from './processes.js';

export const TWO_BOTS_CHATBOT = 'sip:106500@botplatform.rcs.domain.cn';

export interface TwoBots {
  simulator: Simulator;
  bots: [ChildBot, ChildBot];
  client: MongoClient;
  /** The bots' database. */
  db: Db;
  close(): Promise<void>;
}

export interface TwoBotsOptions {
  /** The temp directory's prefix and the database's name. */
  name: string;
  callbackToken: string;
  /** How long the simulator waits before each delivery report. */
  reportDelayMs: number;
  /** More of the bots' environment (SEND_RATE …). */
  env: Record<string, string>;
  startTimeoutMs?: number;
}

export async function startTwoBots(options: TwoBotsOptions): Promise<TwoBots> {
  const dir = await mkdtemp(join(tmpdir(), `${options.name}-`));
  let store: { child: ChildProcess; uri: string } | undefined;
  let simulator: Simulator | undefined;
  let bots: ChildBot[] = [];
  let client: MongoClient | undefined;
  const close = async (): Promise<void> => {
    await client?.close();
    await Promise.all(bots.map((bot) => stopChild(bot.child)));
    await simulator?.close();
    await stopChild(store?.child);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    store = await spawnStore(join(dir, 'store'));
    const credentials = { appId: 'two-app', appKey: 'two-key', callbackToken: options.callbackToken };
    simulator = await startSimulator({ chatbotId: TWO_BOTS_CHATBOT, ...credentials, apiVersion: 'v1', host: '127.0.0.1', reportDelayMs: options.reportDelayMs }, pino({ level: 'silent' }));
    const env = {
      PORT: '0',
      HOST: '127.0.0.1',
      MONGODB_URI: `${store.uri.replace(/\/$/, '')}/${options.name}`,
      PLATFORM_URL: simulator.serverRoot,
      CHATBOT_ID: TWO_BOTS_CHATBOT,
      APP_ID: credentials.appId,
      APP_KEY: credentials.appKey,
      CALLBACK_TOKEN: credentials.callbackToken,
      LOG_LEVEL: 'info',
      ...options.env,
    };
    // Both awaited, so that one that started is stopped with the rest when the other did not.
    const started = await Promise.allSettled([spawnBot(env, options.startTimeoutMs), spawnBot(env, options.startTimeoutMs)]);
    bots = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    simulator.setNotifyUrl(bots[0]?.url ?? '');
    client = await MongoClient.connect(store.uri);
    return { simulator, bots: bots as [ChildBot, ChildBot], client, db: client.db(options.name), close };
  } catch (error) {
    await close();
    throw error;
  }
}
