/**
 * Reads a JSON (or XML) request body ourselves (raw-body with a size limit, then JSON.parse), so that every
 * way a body can be broken — too large, cut off, not UTF-8, not JSON — is a typed 4xx error.
 */
import type { Context } from 'koa';
import getRawBody from 'raw-body';
import { InvalidRequestError, PayloadTooLargeError, RequestError } from './errors.js';

export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;

export async function readJsonBody(ctx: Context, limitBytes = DEFAULT_BODY_LIMIT_BYTES): Promise<unknown> {
  const text = await readTextBody(ctx, limitBytes);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new InvalidRequestError(`body is not valid JSON: ${(error as Error).message.slice(0, 120)}`);
  }
}

/** The whole body as UTF-8 text (for the XML a carrier sends); an empty body is refused. */
export async function readTextBody(ctx: Context, limitBytes = DEFAULT_BODY_LIMIT_BYTES): Promise<string> {
  const encoding = ctx.get('content-encoding').toLowerCase();
  if (encoding !== '' && encoding !== 'identity') {
    throw new RequestError(415, `content-encoding "${encoding.slice(0, 32)}" is not supported`);
  }
  const text = await readText(ctx, limitBytes);
  if (text.trim() === '') throw new InvalidRequestError('body is empty');
  return text;
}

async function readText(ctx: Context, limitBytes: number): Promise<string> {
  try {
    return await getRawBody(ctx.req, { limit: limitBytes, length: ctx.get('content-length') || undefined, encoding: 'utf-8' });
  } catch (error) {
    const type = (error as { type?: unknown }).type;
    // Let the rest of a refused body drain so the client reads our answer instead of a reset,
    // and close the connection afterwards.
    ctx.req.resume();
    ctx.set('connection', 'close');
    if (type === 'entity.too.large') throw new PayloadTooLargeError(`body larger than ${limitBytes} bytes`);
    if (type === 'request.size.invalid') throw new InvalidRequestError('body shorter than its content-length (truncated)');
    if (type === 'request.aborted') throw new InvalidRequestError('request aborted before the body was complete');
    if (type === 'encoding.unsupported') throw new RequestError(415, 'unsupported charset');
    throw error;
  }
}
