/**
 * The embedded store thread's entry point (see thread.ts): starts the server with the settings
 * it was given, reports where it listens, and stops when asked, then lets the thread end.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { pino } from 'pino';
import { EmbeddedMongoServer } from './server.js';

export interface ThreadSettings {
  dataDir: string;
  socketPath: string;
  logLevel: string;
}

export type ThreadRequest = { kind: 'stop' };
export type ThreadReport =
  | { kind: 'listening'; uri: string }
  | { kind: 'failed'; message: string }
  /** One log record of the store, for the starting thread's logger to write. */
  | { kind: 'log'; record: string };

const port = parentPort;
if (!port) throw new Error('threadMain.ts runs as a worker thread (see thread.ts)');
const settings = workerData as ThreadSettings;
const report = (message: ThreadReport): void => port.postMessage(message);
// Records go to the starting thread, which writes them where the rest of the bot's logs go.
const log = pino({ level: settings.logLevel, base: undefined, timestamp: false }, { write: (record: string) => report({ kind: 'log', record }) });
const server = new EmbeddedMongoServer({ dataDir: settings.dataDir, socketPath: settings.socketPath, log });

try {
  report({ kind: 'listening', uri: await server.start() });
} catch (error) {
  report({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
  port.close();
}

port.on('message', (request: ThreadRequest) => {
  if (request.kind !== 'stop') return;
  server.stop().finally(() => port.close());
});
