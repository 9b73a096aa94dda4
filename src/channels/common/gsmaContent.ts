/**
 * The GSMA payloads every carrier family carries the same way inside its own envelope: text (a
 * `geo:` text is a location push), the tapped-suggestion response and shared client data JSON,
 * and base64 content encoding. Pure functions; each problem is an InvalidRequestError naming
 * where (`where`, e.g. `messageList[0].contentText`) and what is wrong.
 */
import { z } from 'zod';
import type { InboundContent } from '../model.js';
import { InvalidRequestError } from '../../http/errors.js';
import { describeIssues } from './zodIssues.js';
import { parseGeoUri } from './geo.js';
import { withoutUndefined } from '../../util/withoutUndefined.js';

export const GSMA_CONTENT_TYPES = {
  text: 'text/plain',
  suggestionResponse: 'application/vnd.gsma.botsuggestion.response.v1.0+json',
  sharedClientData: 'application/vnd.gsma.botsharedclientdata.v1.0+json',
} as const;

/** The media type alone, lower-cased: `Text/Plain; charset=UTF-8` → `text/plain`. */
export function mediaType(contentType: string): string {
  return contentType.split(';')[0]?.trim().toLowerCase() ?? '';
}

/** Sizes arrive as numbers or numeric strings depending on the platform. */
export const size = z.union([z.number().int().nonnegative(), z.string().trim().regex(/^\d{1,15}$/).transform(Number)]);

const postbackSchema = z.object({ data: z.string().max(4096) });
const replySchema = z.object({ displayText: z.string().max(1000), postback: postbackSchema });
const actionSchema = z.object({ displayText: z.string().max(1000), postback: postbackSchema.optional() }).loose();
const suggestionResponseSchema = z.object({
  response: z.union([z.object({ reply: replySchema }), z.object({ action: actionSchema })]),
});

const sharedClientDataSchema = z.object({
  sharedData: z.object({
    deviceSpecifics: z.object({
      deviceModel: z.string().max(200).optional(),
      platformVersion: z.string().max(200).optional(),
      clientVendor: z.string().max(200).optional(),
      clientVersion: z.string().max(200).optional(),
      batteryRemainingMinutes: size.optional(),
    }),
  }),
});

/** Undoes `base64` content encoding; the result must be UTF-8 text. */
export function decodeContent(text: string, encoding: string | undefined, where: string): string {
  if (encoding === undefined || encoding.toLowerCase() !== 'base64') return text;
  const compact = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 === 1) {
    throw new InvalidRequestError(`${where}: not valid base64`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(compact, 'base64'));
  } catch {
    throw new InvalidRequestError(`${where}: base64 content is not UTF-8 text`);
  }
}

export function parseTextContent(body: string | object, where: string): InboundContent {
  if (typeof body !== 'string') throw new InvalidRequestError(`${where}: text/plain content must be a string`);
  if (body.length === 0) throw new InvalidRequestError(`${where}: empty text`);
  if (body.length > 10_000) throw new InvalidRequestError(`${where}: text longer than 10000 characters`);
  // A malformed geo: string is something the user typed, not a location push: keep it as text.
  return parseGeoUri(body) ?? { type: 'text', text: body };
}

/** A JSON payload, as a string or already decoded by the platform, checked against `schema`. */
export function parseJsonContent<T>(body: string | object, schema: z.ZodType<T>, where: string): T {
  let value: unknown = body;
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body);
    } catch {
      throw new InvalidRequestError(`${where}: not valid JSON`);
    }
  }
  const result = schema.safeParse(value);
  if (!result.success) throw new InvalidRequestError(describeIssues(result.error, where));
  return result.data;
}

export function parseSuggestionResponse(body: string | object, where: string): InboundContent {
  const value = parseJsonContent(body, suggestionResponseSchema, where);
  const tapped = 'reply' in value.response ? value.response.reply : value.response.action;
  return { type: 'postback', data: tapped.postback?.data ?? '', displayText: tapped.displayText };
}

export function parseSharedClientData(body: string | object, where: string): InboundContent {
  const value = parseJsonContent(body, sharedClientDataSchema, where);
  return { type: 'device', device: withoutUndefined(value.sharedData.deviceSpecifics) };
}

