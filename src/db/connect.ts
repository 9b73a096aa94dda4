/**
 * The product's database connection: MongoDB at MONGODB_URI when set, otherwise the embedded
 * store started in-process on a free loopback port. Mongoose code is the same either way.
 */
import mongoose from 'mongoose';
import type { Logger } from '../log.js';
import { EmbeddedMongoServer } from './embedded/server.js';

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
  let embedded: EmbeddedMongoServer | undefined;
  let uri = options.mongodbUri;
  if (!uri) {
    embedded = new EmbeddedMongoServer({ dataDir: options.dataDir, port: 0, log });
    uri = await embedded.start();
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
