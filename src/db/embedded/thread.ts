/**
 * The embedded store on a thread of its own, reached over a Unix socket. Its work — running
 * commands, keeping indexes, committing to SQLite — then no longer shares an event loop with the
 * HTTP server and turns, and runs on another core; and a command over a Unix socket costs the
 * driver's side much less than over loopback TCP. The thread dies with the process, like the
 * in-process store; what it acknowledged is durable either way (the commit precedes every reply).
 */
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import { startModuleWorker } from '../../util/worker.js';
import type { ThreadReport, ThreadRequest, ThreadSettings } from './threadMain.js';

export interface EmbeddedStoreThread {
  uri: string;
  /** Stops the server, closes storage (checkpointing the WAL) and ends the thread. */
  stop(): Promise<void>;
}

export interface EmbeddedStoreThreadOptions {
  dataDir: string;
  log: Logger;
  /** Called when the thread ends without being asked to (the store is gone). */
  onCrash?: (error: Error) => void;
}

export function startEmbeddedStoreThread(options: EmbeddedStoreThreadOptions): Promise<EmbeddedStoreThread> {
  const settings: ThreadSettings = { dataDir: options.dataDir, socketPath: socketPathFor(options.dataDir), logLevel: options.log.level };
  const worker = startModuleWorker(import.meta.url, './threadMain', { workerData: settings });
  const request = (message: ThreadRequest): void => worker.postMessage(message);
  let stopping = false;
  let stopped: Promise<void> | undefined;

  return new Promise((resolve, reject) => {
    const onStartFailure = (error: Error): void => reject(error);
    const onEarlyExit = (code: number): void => reject(new Error(`embedded store thread exited with code ${code} while starting`));
    worker.once('error', onStartFailure);
    worker.once('exit', onEarlyExit);
    worker.on('message', (report: ThreadReport) => {
      if (report.kind === 'log') {
        relay(options.log, report.record);
        return;
      }
      if (report.kind === 'failed') {
        reject(new Error(report.message));
        return;
      }
      if (report.kind !== 'listening') return;
      worker.off('error', onStartFailure);
      worker.off('exit', onEarlyExit);
      worker.on('error', (error) => options.log.error({ err: error }, 'embedded store thread failed'));
      worker.once('exit', (code) => {
        if (!stopping) options.onCrash?.(new Error(`embedded store thread exited with code ${code}`));
      });
      resolve({
        uri: report.uri,
        stop() {
          stopping = true;
          stopped ??= new Promise<void>((done) => {
            worker.once('exit', () => done());
            request({ kind: 'stop' });
          });
          return stopped;
        },
      });
    });
  });
}

/**
 * The store's Unix socket: in the temp directory (a data directory may be on a filesystem
 * without sockets, or too deep for a socket path's ~100 bytes), named after the data directory,
 * so that the next start replaces the file a killed process left behind.
 */
export function socketPathFor(dataDir: string): string {
  const key = createHash('sha256').update(resolve(dataDir)).digest('hex').slice(0, 16);
  return join(tmpdir(), `rcs-store-${key}.sock`);
}

/** Writes a record logged on the store thread through `log` (its level, fields and message). */
function relay(log: Logger, record: string): void {
  const { level, msg, ...fields } = JSON.parse(record) as { level: number; msg?: string } & Record<string, unknown>;
  const label = log.levels.labels[level] ?? 'info';
  if (log.isLevelEnabled(label)) log[label as 'info'](fields, msg);
}
