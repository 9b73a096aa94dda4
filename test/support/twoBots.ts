/**
 * Two bot processes (`src/main.ts`, as `npm start` runs it) on one store started as `npm run
 * mongo` runs it, with the platform simulator in this process: the setting for the tests of
 * what must hold across processes. `post` sends a platform callback, signed, to either process.
 */
import { randomUUID } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient, type Db } from 'mongodb';
import { pino } from 'pino';
import { notificationPath, postSigned } from '../../src/channels/simulator/callbacks.js';
import { startSimulator, type Simulator } from '../../src/channels/simulator/index.js';
import { spawnBot, spawnStore, stopChild, type ChildBot } from './processes.js';

export const TWO_BOTS_CHATBOT_ID = 'sip:106500@botplatform.rcs.domain.cn';
const APP_ID = 'two-app';
const APP_KEY = 'two-key';
const DATABASE = 'twobots';

export interface TwoBots {
  simulator: Simulator;
  bots: ChildBot[];
  /** The bots' database, read directly. */
  db: Db;
  /** A message from `user` with `content` (a messageList entry), signed like the platform, to process `to` (0 or 1). */
  post(to: number, user: string, content: { contentType: string; contentText: string }, ids?: { conversationId?: string; contributionId?: string }): Promise<{ status: number }>;
  close(): Promise<void>;
}

function chinaTime(date: Date): string {
  return new Date(date.getTime() + 8 * 3_600_000).toISOString().replace('Z', '+08:00');
}

export interface TwoBotsOptions {
  callbackToken: string;
  env?: Record<string, string>;
  /** How long the simulator waits before each delivery report (1 ms unless said). */
  reportDelayMs?: number;
  /** How long each bot may take to start. */
  startTimeoutMs?: number;
}

export async function startTwoBots(options: TwoBotsOptions): Promise<TwoBots> {
  const dir = await mkdtemp(join(tmpdir(), 'two-bots-'));
  let store: { child: ChildProcess; uri: string } | undefined;
  let simulator: Simulator | undefined;
  let client: MongoClient | undefined;
  const bots: ChildBot[] = [];
  const close = async (): Promise<void> => {
    await client?.close();
    await Promise.all(bots.map((bot) => stopChild(bot.child)));
    await simulator?.close();
    await stopChild(store?.child);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    store = await spawnStore(join(dir, 'store'));
    const sim = await startSimulator(
      { chatbotId: TWO_BOTS_CHATBOT_ID, appId: APP_ID, appKey: APP_KEY, callbackToken: options.callbackToken, apiVersion: 'v1', host: '127.0.0.1', reportDelayMs: options.reportDelayMs ?? 1 },
      pino({ level: 'silent' }),
    );
    simulator = sim;
    const env = {
      PORT: '0',
      HOST: '127.0.0.1',
      MONGODB_URI: `${store.uri.replace(/\/$/, '')}/${DATABASE}`,
      PLATFORM_URL: sim.serverRoot,
      CHATBOT_ID: TWO_BOTS_CHATBOT_ID,
      APP_ID,
      APP_KEY,
      CALLBACK_TOKEN: options.callbackToken,
      LOG_LEVEL: 'info',
      ...options.env,
    };
    // Both awaited, so that one that started is stopped with the rest when the other did not.
    const started = await Promise.allSettled([spawnBot(env, options.startTimeoutMs), spawnBot(env, options.startTimeoutMs)]);
    for (const result of started) if (result.status === 'fulfilled') bots.push(result.value);
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    // Delivery reports may go to either process; the first will do.
    sim.setNotifyUrl(bots[0]?.url ?? '');
    const connected = await MongoClient.connect(store.uri);
    client = connected;
    const post: TwoBots['post'] = (to, user, content, ids = {}) => {
      const body = {
        messageId: randomUUID(),
        messageList: [content],
        dateTime: chinaTime(new Date()),
        destinationAddress: TWO_BOTS_CHATBOT_ID,
        senderAddress: user,
        conversationId: ids.conversationId ?? `conversation-${user}`,
        contributionId: ids.contributionId ?? randomUUID(),
      };
      return postSigned({ chatbotId: TWO_BOTS_CHATBOT_ID, callbackToken: options.callbackToken, notifyUrl: () => bots[to]?.url }, notificationPath('messages', TWO_BOTS_CHATBOT_ID), body);
    };
    return { simulator: sim, bots, db: connected.db(DATABASE), post, close };
  } catch (error) {
    await close();
    throw error;
  }
}
