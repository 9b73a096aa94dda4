/**
 * The database for a command-line tool (npm run staff …): MONGODB_URI when set; otherwise the
 * running bot's embedded store, through its socket in DATA_DIR; otherwise (the bot is not running)
 * the embedded store started here. The store keeps its files locked, so a tool must never open
 * them beside a running bot.
 */
import { existsSync } from 'node:fs';
import mongoose from 'mongoose';
import type { Logger } from '../log.js';
import { connectDatabase, type DatabaseHandle } from './connect.js';
import { socketPathFor } from './embedded/thread.js';

/** The database name the bot uses inside its embedded store. */
const EMBEDDED_DB = 'rcs';

export async function connectTool(options: { mongodbUri?: string; dataDir: string }, log: Logger): Promise<DatabaseHandle> {
  if (!options.mongodbUri) {
    const socket = socketPathFor(options.dataDir);
    if (existsSync(socket)) {
      const uri = `mongodb://${encodeURIComponent(socket)}/`;
      const connected = await mongoose.connect(uri, { dbName: EMBEDDED_DB, serverSelectionTimeoutMS: 2_000 }).then(
        () => true,
        () => false,
      );
      if (connected) return { connection: mongoose.connection, uri, embedded: true, close: () => mongoose.disconnect() };
    }
  }
  return connectDatabase(options, log);
}
