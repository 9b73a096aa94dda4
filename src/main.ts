/** Process entry: configuration, logging, the database; stops cleanly on SIGTERM/SIGINT. */
import { loadConfig } from './config.js';
import { connectDatabase } from './db/connect.js';
import { createLogger } from './log.js';

const config = loadConfig();
const log = createLogger(config.LOG_LEVEL);
const database = await connectDatabase({ mongodbUri: config.MONGODB_URI, dataDir: config.DATA_DIR }, log);

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'shutting down');
  await database.close();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
