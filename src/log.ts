/** Structured JSON logging. One root logger; modules take a child with their own `module` field. */
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string, name = 'rcs-bot'): Logger {
  return pino({ name, level });
}
