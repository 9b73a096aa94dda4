/**
 * A bot process that only sends: started as a child by the crash test, which kills it with
 * SIGKILL mid-send. Configured through the environment; prints `started` when running.
 */
import mongoose from 'mongoose';
import { createLogger } from '../../src/log.js';
import { startSender } from '../../src/outbox/index.js';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};

const connection = await mongoose.createConnection(env('TEST_MONGO_URI'), { dbName: env('TEST_DB_NAME') }).asPromise();
startSender({
  connection,
  log: createLogger('silent'),
  config: {
    CHATBOT_ID: env('CHATBOT_ID'),
    PLATFORM_URL: env('PLATFORM_URL'),
    PLATFORM_API_VERSION: 'v1',
    APP_ID: 'app',
    APP_KEY: 'key',
    SEND_RATE: 1000,
  },
  tuning: { pollMs: 20, leaseMs: Number(env('LEASE_MS')), requestTimeoutMs: 5000 },
});
console.log('started');
