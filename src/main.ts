/**
 * Process entry point (`npm start`): configuration → logger → the bot (store, simulator when no
 * PLATFORM_URL, sender, inbox, HTTP). Prints where to chat with it when the simulator runs.
 * SIGINT/SIGTERM shut down gracefully; a second signal exits at once.
 */
import { collectDefaultMetrics } from 'prom-client';
import { ConfigError, loadConfig } from './config.js';
import { createLogger, flushLog } from './log.js';
import { PortInUse, startBot } from './bot.js';
import { ContentError } from './content/problems.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const log = createLogger(config.LOG_LEVEL);
  // Registered once per process, not per bot: CPU and memory of the whole process; heap, GC and
  // event loop lag of this (the main) thread only, not of the embedded store's.
  collectDefaultMetrics();
  let bot;
  try {
    bot = await startBot(config, log);
  } catch (error) {
    // What a newcomer can fix gets a sentence, not a stack.
    if (error instanceof PortInUse || error instanceof ContentError) {
      await flushLog(log);
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  log.info({ url: bot.url, notifyUrl: bot.notifyUrl }, 'bot listening');
  log.info({ platforms: bot.platforms.map((platform) => `${platform.id} (${platform.family}${platform.family === 'maap' ? ` ${platform.dialect}` : ''})`) }, 'serving platforms');
  if (bot.simulator) {
    log.info({ simulator: bot.simulator.serverRoot, platforms: bot.simulator.all().map((platform) => platform.id) }, 'the local platform simulator plays the platforms without serverRoot');
    console.log(`\nChat with the bot as a citizen: ${bot.simulator.phoneUrl}\n`);
  }
  console.log(`Staff console (agents, card preview, accounts): ${bot.url}/staff — log in with a key from npm run staff -- add NAME --role ROLE${config.ADMIN_TOKEN ? ' or with ADMIN_TOKEN' : ''}\n`);

  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) process.exit(1);
    stopping = true;
    log.info({ signal }, 'shutting down');
    bot.close().then(
      () => flushLog(log).then(() => process.exit(0)),
      (error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        void flushLog(log).then(() => process.exit(1));
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
