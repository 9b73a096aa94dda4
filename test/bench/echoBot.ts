/**
 * The conversation benchmark's baseline: the bot exactly as `npm start` runs it (configuration,
 * embedded store, sender, inbox, webhook), with the echo turn handler in place of the
 * conversation. The difference between the two is the cost of the conversation itself.
 */
import { collectDefaultMetrics } from 'prom-client';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { startBot } from '../../src/bot.js';
import { createEchoBot } from '../support/echoHandler.js';

collectDefaultMetrics();
const config = loadConfig();
const log = createLogger(config.LOG_LEVEL);
const bot = await startBot(config, log, { handler: createEchoBot() });
log.info({ url: bot.url }, 'bot listening');
const stop = (): void => void bot.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
