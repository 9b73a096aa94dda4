/**
 * The embedded store thread's entry point (see thread.ts): starts the server with the settings
 * it was given and reports its URI; stops when asked.
 */
import { runAsServiceThread } from '../../util/serviceThread.js';
import { EmbeddedMongoServer } from './server.js';

export interface StoreThreadSettings {
  dataDir: string;
  socketPath: string;
}

let server: EmbeddedMongoServer | undefined;

await runAsServiceThread<StoreThreadSettings, string>({
  start(settings, log) {
    // A failed commit ends the thread; the process then exits (thread.ts) and a restart reloads from disk.
    server = new EmbeddedMongoServer({ dataDir: settings.dataDir, socketPath: settings.socketPath, log, onFatal: () => process.exit(1) });
    return server.start();
  },
  async stop() {
    await server?.stop();
  },
});
