/**
 * Structured JSON logging. One root logger; modules take a child with their own `module` field.
 * Lines are written asynchronously (pino's sonic-boom), so that a turn never waits on the pipe
 * or terminal behind stdout; lines written while a write is under way go out together.
 * `flushLog` empties the buffer before the process exits.
 */
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string, name = 'rcs-bot'): Logger {
  return pino({ name, level }, pino.destination({ dest: 1, sync: false }));
}

/** Writes out what is still buffered (call before process.exit). */
export function flushLog(log: Logger): Promise<void> {
  return new Promise((resolve) => log.flush(() => resolve()));
}
