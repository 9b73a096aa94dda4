/**
 * One CT/CU `messageList` part → the carrier-neutral InboundContent. Pure functions; every
 * problem is an InvalidRequestError naming the part and what is wrong with it.
 */
import { z } from 'zod';
import type { FileReference, InboundContent } from '../model.js';
import { InvalidRequestError } from '../../http/errors.js';
import { describeIssues } from './zodIssues.js';
import { parseGeoUri } from './geo.js';

export const CONTENT_TYPES = {
  text: 'text/plain',
  file: 'application/vnd.gsma.rcs-ft-http',
  suggestionResponse: 'application/vnd.gsma.botsuggestion.response.v1.0+json',
  sharedClientData: 'application/vnd.gsma.botsharedclientdata.v1.0+json',
} as const;

export const messagePartSchema = z.object({
  contentType: z.string().min(1).max(200),
  contentEncoding: z.enum(['utf8', 'base64']).optional(),
  // A string on the wire; JSON content types are also accepted already decoded as JSON.
  contentText: z.union([z.string().max(1_000_000), z.array(z.unknown()), z.record(z.string(), z.unknown())]),
});
export type MessagePart = z.infer<typeof messagePartSchema>;

/** Sizes arrive as numbers or numeric strings depending on the platform. */
const size = z.union([z.number().int().nonnegative(), z.string().regex(/^\d{1,15}$/).transform(Number)]);

const fileInfoSchema = z.object({
  type: z.enum(['file', 'thumbnail']),
  url: z.string().min(1).max(4096),
  fileName: z.string().max(1024).optional(),
  contentType: z.string().max(200).optional(),
  fileSize: size.optional(),
  until: z.string().max(100).optional(),
});
const filesSchema = z.array(fileInfoSchema).min(1).max(10);

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

/** Converts one validated part; `where` names it in error reasons (e.g. `messageList[0]`). */
export function parseMessagePart(part: MessagePart, where: string): InboundContent {
  const body = decodeContentText(part, where);
  switch (part.contentType.split(';')[0]?.trim().toLowerCase()) {
    case CONTENT_TYPES.text:
      return parseText(body, where);
    case CONTENT_TYPES.file:
      return { type: 'file', files: parseJson(body, filesSchema, where).map(toFileReference) };
    case CONTENT_TYPES.suggestionResponse:
      return parseSuggestionResponse(parseJson(body, suggestionResponseSchema, where));
    case CONTENT_TYPES.sharedClientData:
      return { type: 'device', device: withoutUndefined(parseJson(body, sharedClientDataSchema, where).sharedData.deviceSpecifics) };
    default:
      throw new InvalidRequestError(`${where}.contentType: unsupported content type "${part.contentType}"`);
  }
}

/** Undoes `contentEncoding: base64`; JSON already decoded by the platform passes through. */
function decodeContentText(part: MessagePart, where: string): string | object {
  if (typeof part.contentText !== 'string') return part.contentText;
  if (part.contentEncoding !== 'base64') return part.contentText;
  const compact = part.contentText.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 === 1) {
    throw new InvalidRequestError(`${where}.contentText: not valid base64`);
  }
  const bytes = Buffer.from(compact, 'base64');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new InvalidRequestError(`${where}.contentText: base64 content is not UTF-8 text`);
  }
}

function parseText(body: string | object, where: string): InboundContent {
  if (typeof body !== 'string') throw new InvalidRequestError(`${where}.contentText: text/plain content must be a string`);
  if (body.length === 0) throw new InvalidRequestError(`${where}.contentText: empty text`);
  if (body.length > 10_000) throw new InvalidRequestError(`${where}.contentText: text longer than 10000 characters`);
  // A malformed geo: string is something the user typed, not a location push: keep it as text.
  return parseGeoUri(body) ?? { type: 'text', text: body };
}

function parseJson<T>(body: string | object, schema: z.ZodType<T>, where: string): T {
  let value: unknown = body;
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body);
    } catch {
      throw new InvalidRequestError(`${where}.contentText: not valid JSON`);
    }
  }
  const result = schema.safeParse(value);
  if (!result.success) throw new InvalidRequestError(describeIssues(result.error, `${where}.contentText`));
  return result.data;
}

function parseSuggestionResponse(value: z.infer<typeof suggestionResponseSchema>): InboundContent {
  const tapped = 'reply' in value.response ? value.response.reply : value.response.action;
  return { type: 'postback', data: tapped.postback?.data ?? '', displayText: tapped.displayText };
}

function toFileReference(file: z.infer<typeof fileInfoSchema>): FileReference {
  return withoutUndefined({
    kind: file.type,
    url: file.url,
    fileName: file.fileName,
    contentType: file.contentType,
    fileSize: file.fileSize,
    until: file.until,
  });
}

/** Drops absent optional fields so stored records and comparisons stay clean. */
function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}
