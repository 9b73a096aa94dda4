/**
 * The whole bot (store, simulator, sender, inbox, webhook) in this process, on free ports, in a
 * temp dir. The channel tests answer with the echo handler (every content type comes back
 * recognisably); pass `handler: undefined` for the real conversation.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { parseConfig } from '../../../src/config.js';
import { startBot, type Bot, type BotOverrides } from '../../../src/bot.js';
import type { Simulator } from '../../../src/channels/simulator/index.js';
import { APP_ID, CALLBACK_TOKEN, CHATBOT_ID } from './signedRequest.js';
import { createEchoBot } from '../../support/echoHandler.js';

export interface RunningBot extends Bot {
  simulator: Simulator;
  close(): Promise<void>;
}

export async function startTestBot(env: Record<string, string> = {}, overrides: BotOverrides = {}): Promise<RunningBot> {
  const dataDir = await mkdtemp(join(tmpdir(), 'bot-test-'));
  const config = parseConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    CHATBOT_ID,
    APP_ID,
    CALLBACK_TOKEN,
    SEND_RATE: '1000',
    ...env,
  });
  const bot = await startBot(config, pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }), { handler: createEchoBot(), ...overrides, simulator: { reportDelayMs: 1, port: 0, ...overrides.simulator } });
  if (!bot.simulator) throw new Error('expected the simulator to run (PLATFORM_URL unset)');
  const simulator = bot.simulator;
  return {
    ...bot,
    simulator,
    async close() {
      await bot.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
