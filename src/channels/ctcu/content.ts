/**
 * One CT/CU `messageList` part → the carrier-neutral InboundContent. Pure functions; every
 * problem is an InvalidRequestError naming the part and what is wrong with it.
 */
import { z } from 'zod';
import type { FileReference, InboundContent } from '../model.js';
import { InvalidRequestError } from '../../http/errors.js';
import {
  GSMA_CONTENT_TYPES,
  decodeContent,
  mediaType,
  parseJsonContent,
  parseSharedClientData,
  parseSuggestionResponse,
  parseTextContent,
  size,
} from '../common/gsmaContent.js';
import { withoutUndefined } from '../../util/withoutUndefined.js';

export const CONTENT_TYPES = { ...GSMA_CONTENT_TYPES, file: 'application/vnd.gsma.rcs-ft-http' } as const;

export const messagePartSchema = z.object({
  contentType: z.string().min(1).max(200),
  contentEncoding: z.enum(['utf8', 'base64']).optional(),
  // A string on the wire; JSON content types are also accepted already decoded as JSON.
  contentText: z.union([z.string().max(1_000_000), z.array(z.unknown()), z.record(z.string(), z.unknown())]),
});
export type MessagePart = z.infer<typeof messagePartSchema>;

const fileInfoSchema = z.object({
  type: z.enum(['file', 'thumbnail']),
  url: z.string().min(1).max(4096),
  fileName: z.string().max(1024).optional(),
  contentType: z.string().max(200).optional(),
  fileSize: size.optional(),
  until: z.string().max(100).optional(),
});
const filesSchema = z.array(fileInfoSchema).min(1).max(10);

/** Converts one validated part; `where` names it in error reasons (e.g. `messageList[0]`). */
export function parseMessagePart(part: MessagePart, where: string): InboundContent {
  const at = `${where}.contentText`;
  const body = typeof part.contentText === 'string' ? decodeContent(part.contentText, part.contentEncoding, at) : part.contentText;
  switch (mediaType(part.contentType)) {
    case CONTENT_TYPES.text:
      return parseTextContent(body, at);
    case CONTENT_TYPES.file:
      return { type: 'file', files: parseJsonContent(body, filesSchema, at).map(toFileReference) };
    case CONTENT_TYPES.suggestionResponse:
      return parseSuggestionResponse(body, at);
    case CONTENT_TYPES.sharedClientData:
      return parseSharedClientData(body, at);
    default:
      throw new InvalidRequestError(`${where}.contentType: unsupported content type "${part.contentType}"`);
  }
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
