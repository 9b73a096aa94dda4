/**
 * How the simulator's platform APIs (CT/CU and MaaP) write what a simulated platform decided:
 * the status and body, a hook that runs once the answer is out (delivery reports follow it), or
 * a stall that holds the request and then drops the connection (injected timeouts).
 */
import type { Context } from 'koa';
import { sleep } from './httpBody.js';

export interface SimApiOptions {
  latencyMs: number;
  stallMs: number;
  /** Aborted when the simulator closes, ending any stalled request. */
  closing: AbortSignal;
}

export interface SimAnswer {
  httpStatus: number;
  /** A string is sent as `contentType`; an object as JSON. */
  body?: unknown;
  contentType?: string;
  /** `before`: hold without processing; `after`: processed, but the answer never comes. */
  stall?: 'before' | 'after';
  /** Runs once the answer has been written (delivery reports follow the answer, never precede it). */
  afterAnswer?: () => void;
}

/** The request headers a simulated platform checks. */
export function headersOf(ctx: Context): Record<string, string | undefined> {
  const pick = (name: string): string | undefined => ctx.get(name) || undefined;
  return { authorization: pick('authorization'), 'content-type': pick('content-type'), date: pick('date') };
}

export async function writeAnswer(ctx: Context, answer: SimAnswer, options: SimApiOptions): Promise<void> {
  if (answer.stall) {
    await sleep(options.stallMs, options.closing);
    ctx.respond = false;
    ctx.req.socket.destroy();
    return;
  }
  if (answer.afterAnswer) ctx.res.once('finish', answer.afterAnswer);
  ctx.status = answer.httpStatus;
  if (answer.body === undefined) return;
  if (answer.contentType !== undefined) ctx.type = answer.contentType;
  ctx.body = answer.body;
}
