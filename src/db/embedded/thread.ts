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
import { startServiceThread } from '../../util/serviceThread.js';
import type { StoreThreadSettings } from './threadMain.js';

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

export async function startEmbeddedStoreThread(options: EmbeddedStoreThreadOptions): Promise<EmbeddedStoreThread> {
  const thread = await startServiceThread<StoreThreadSettings, string>({
    callerUrl: import.meta.url,
    module: './threadMain',
    settings: { dataDir: options.dataDir, socketPath: socketPathFor(options.dataDir) },
    log: options.log,
    onCrash: options.onCrash,
  });
  return { uri: thread.ready, stop: () => thread.stop() };
}

/** Unix socket paths are limited to about 100 bytes. */
const SOCKET_PATH_LIMIT = 100;

/**
 * The store's Unix socket: in the data directory, which belongs to the bot; when that path is
 * too long for a socket, in the temp directory under a name derived from the data directory.
 * Either way the next start replaces the file a killed process left behind.
 */
export function socketPathFor(dataDir: string): string {
  const inDataDir = join(resolve(dataDir), 'store.sock');
  if (Buffer.byteLength(inDataDir) <= SOCKET_PATH_LIMIT) return inDataDir;
  const key = createHash('sha256').update(resolve(dataDir)).digest('hex').slice(0, 16);
  return join(tmpdir(), `rcs-store-${key}.sock`);
}
