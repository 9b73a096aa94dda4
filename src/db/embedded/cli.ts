/**
 * Runs the embedded store on its own so mongosh, Compass or any driver can open the data:
 *   npm run mongo -- --port 27018 --dbpath ./data
 */
import { parseArgs } from 'node:util';
import { createLogger, flushLog } from '../../log.js';
import { EmbeddedMongoServer } from './server.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '27017' },
    host: { type: 'string', default: '127.0.0.1' },
    dbpath: { type: 'string', default: process.env.DATA_DIR ?? './data' },
    sync: { type: 'string', default: 'NORMAL' },
  },
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be an integer 0..65535, got ${values.port}`);
  process.exit(2);
}
if (values.sync !== 'NORMAL' && values.sync !== 'FULL') {
  console.error(`--sync must be NORMAL or FULL, got ${values.sync}`);
  process.exit(2);
}

const log = createLogger(process.env.LOG_LEVEL ?? 'info', 'embedded-mongo');
const server = new EmbeddedMongoServer({ dataDir: values.dbpath, port, host: values.host, sync: values.sync, log, onFatal: () => process.exit(1) });
const uri = await server.start();
console.log(uri);

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'stopping');
  await server.stop();
  await flushLog(log);
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
