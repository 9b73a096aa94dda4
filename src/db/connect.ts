/**
 * The product's database connection: MongoDB at MONGODB_URI when set, otherwise the embedded
 * store started on its own thread, reached over a Unix socket. Mongoose code is the same either way.
 */
import mongoose from 'mongoose';
import type { Logger } from '../log.js';
import { startEmbeddedStoreThread, type EmbeddedStoreThread } from './embedded/thread.js';

export interface DatabaseHandle {
  connection: mongoose.Connection;
  uri: string;
  embedded: boolean;
  close(): Promise<void>;
}

/** The URI with any password replaced, for logs. */
export function redactUri(uri: string): string {
  return uri.replace(/\/\/([^:@/]+):([^@/]*)@/, '//$1:***@');
}

export async function connectDatabase(options: { mongodbUri?: string; dataDir: string }, log: Logger): Promise<DatabaseHandle> {
  const dbLog = log.child({ module: 'db' });
  let embedded: EmbeddedStoreThread | undefined;
  let uri = options.mongodbUri;
  if (!uri) {
    embedded = await startEmbeddedStoreThread({ dataDir: options.dataDir, log, onCrash: storeLost(dbLog) });
    uri = embedded.uri;
    dbLog.info({ dataDir: options.dataDir }, 'MONGODB_URI not set: using the embedded store');
  } else {
    dbLog.info({ uri: redactUri(uri) }, 'using MongoDB at MONGODB_URI');
  }
  try {
    await mongoose.connect(uri, embedded ? { dbName: 'rcs' } : {});
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
  return {
    connection: mongoose.connection,
    uri,
    embedded: embedded !== undefined,
    async close() {
      await mongoose.disconnect();
      await embedded?.stop();
    },
  };
}

/**
 * The embedded store's thread ended on its own: nothing can be stored or answered any more.
 * Exit, so that a supervisor restarts the process; every acknowledged message is on disk.
 */
function storeLost(log: Logger): (error: Error) => void {
  return (error) => {
    log.fatal({ err: error }, 'embedded store stopped unexpectedly; exiting');
    process.exit(1);
  };
}
