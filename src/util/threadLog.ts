/**
 * Logging from a worker thread through the starting thread's logger, so that a thread's records
 * go where the rest of the process's logs go, at the same level, with the same fields.
 */
import type { MessagePort } from 'node:worker_threads';
import { pino, type Logger } from 'pino';

/** The message a thread's logger posts for each record. */
export interface LogRecordMessage {
  kind: 'log';
  record: string;
}

/** In the worker: a logger whose records are posted to the starting thread. */
export function threadLogger(port: MessagePort, level: string): Logger {
  const post = (record: string): void => port.postMessage({ kind: 'log', record } satisfies LogRecordMessage);
  return pino({ level, base: undefined, timestamp: false }, { write: post });
}

/** In the starting thread: writes a record posted by threadLogger through `log`. */
export function relayLogRecord(log: Logger, record: string): void {
  const { level, msg, ...fields } = JSON.parse(record) as { level: number; msg?: string } & Record<string, unknown>;
  const label = log.levels.labels[level] ?? 'info';
  if (log.isLevelEnabled(label)) log[label as pino.Level](fields, msg);
}
