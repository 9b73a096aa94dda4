/** A pino logger at info whose output the test can read: each record as written, and parsed. */
import { Writable } from 'node:stream';
import { pino } from 'pino';

export interface CapturedLog {
  log: pino.Logger;
  lines: string[];
  records(): Array<Record<string, unknown>>;
}

export function capturingLogger(): CapturedLog {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { log: pino({ level: 'info' }, sink), lines, records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}
