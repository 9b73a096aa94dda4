/**
 * The bodyText of a MaaP inbound message → InboundContent, by its content type: text (a `geo:`
 * text is a location), the file transfer descriptor XML, a tapped suggestion, shared client
 * data; and the spam report XML. Pure functions; problems are InvalidRequestErrors.
 */
import type { FileReference, InboundContent } from '../model.js';
import { InvalidRequestError } from '../../http/errors.js';
import { mediaType, parseSharedClientData, parseSuggestionResponse, parseTextContent } from '../common/gsmaContent.js';
import { withoutUndefined } from '../../util/withoutUndefined.js';
import { MAAP_CONTENT_TYPES } from './outbound.js';
import { asArray, parseXml, xmlText, type XmlValue } from './xml.js';
import { isRecord } from './codec.js';

export function parseMaapContent(contentType: string, body: string, where: string): InboundContent {
  switch (mediaType(contentType)) {
    case MAAP_CONTENT_TYPES.text:
      return parseTextContent(body, where);
    // The CT/CU name without +xml names the same descriptor: accepted too.
    case MAAP_CONTENT_TYPES.file:
    case 'application/vnd.gsma.rcs-ft-http':
      return { type: 'file', files: parseFileDescriptor(body, where) };
    case MAAP_CONTENT_TYPES.suggestionResponse:
      return parseSuggestionResponse(body, where);
    case MAAP_CONTENT_TYPES.sharedClientData:
      return parseSharedClientData(body, where);
    default:
      throw new InvalidRequestError(`inboundMessage.contentType: unsupported content type "${contentType.slice(0, 100)}"`);
  }
}

const SIZE = /^\s*\d{1,15}\s*$/;

/** `<file><file-info type="file|thumbnail"><file-size/><file-name/><content-type/><data url until/></file-info></file>`. */
export function parseFileDescriptor(body: string, where: string): FileReference[] {
  const document = parseXml(body, where);
  const infos = asArray(isRecord(document.file) ? document.file['file-info'] : undefined);
  if (infos.length === 0 || infos.length > 10) throw new InvalidRequestError(`${where}: a file descriptor holds 1–10 file-info elements`);
  return infos.map((info, index) => fileReference(info, `${where}.file-info[${index}]`));
}

function fileReference(info: XmlValue, where: string): FileReference {
  if (!isRecord(info)) throw new InvalidRequestError(`${where}: not an element`);
  const kind = xmlText(info['@_type']);
  if (kind !== 'file' && kind !== 'thumbnail') throw new InvalidRequestError(`${where}: type must be file or thumbnail`);
  const data = isRecord(info.data) ? info.data : {};
  const url = xmlText(data['@_url']);
  if (!url || url.length > 4096) throw new InvalidRequestError(`${where}.data: url missing or too long`);
  const size = xmlText(info['file-size']);
  if (size !== undefined && !SIZE.test(size)) throw new InvalidRequestError(`${where}.file-size: not a byte count`);
  return withoutUndefined({
    kind,
    url,
    fileName: xmlText(info['file-name'])?.slice(0, 1024),
    contentType: xmlText(info['content-type'])?.slice(0, 200),
    // Sizes may come as strings ("151250"): both are read.
    fileSize: size === undefined ? undefined : Number(size),
    until: xmlText(data['@_until'])?.slice(0, 100),
  });
}

/**
 * A GSMA spam report (`application/vnd.gsma.rcsspam-report+xml`): the reported messages and why.
 * Element names vary in case between clients (Message-ID, message-id), so they are matched
 * without case; a report that names no message still counts as a complaint.
 */
export function parseSpamReport(body: string, where: string): { messageIds: string[]; spamType?: string; freeText?: string } {
  const document = parseXml(body, where);
  const [, root] = Object.entries(document).find(([name]) => !name.startsWith('?')) ?? [];
  if (!isRecord(root)) throw new InvalidRequestError(`${where}: no spam report element`);
  const field = (name: string): XmlValue | undefined => Object.entries(root).find(([key]) => key.toLowerCase() === name)?.[1];
  const messageIds = asArray(field('message-id') ?? field('messageid'))
    .map((value) => xmlText(value))
    .filter((id): id is string => id !== undefined && id !== '')
    .slice(0, 100)
    .map((id) => id.slice(0, 256));
  const spamType = xmlText(field('spam-type'))?.slice(0, 200);
  const freeText = xmlText(field('free-text'))?.slice(0, 2000);
  return withoutUndefined({ messageIds, spamType, freeText });
}
