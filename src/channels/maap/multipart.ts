/**
 * The `multipart/mixed` bodyText of the MaaP family: a card or text plus a chip list, each part
 * with `Content-Type`, an optional `Content-Disposition` and `Content-Length` in UTF-8 bytes,
 * lines ending CRLF, the parts between `--<boundary>` lines, the last followed by `--<boundary>--`.
 *
 * Written here rather than taken from a multipart library: the npm parsers (busboy, dicer,
 * @mjackson/multipart-parser) read form-data streams by boundary and build nothing, while this
 * format is a small string inside an XML/JSON field whose per-part byte lengths are the point.
 */
import { createHash } from 'node:crypto';

export interface MimePart {
  contentType: string;
  /** e.g. `inline; filename="Message"`. */
  disposition?: string;
  body: string;
}

export const DEFAULT_BOUNDARY = 'next';
const CRLF = '\r\n';

/** The boundary to use: `next`, unless a part holds its delimiter line (then one derived from the parts). */
function boundaryFor(parts: MimePart[]): string {
  const clashes = (boundary: string): boolean => parts.some((part) => part.body.includes(`--${boundary}`));
  if (!clashes(DEFAULT_BOUNDARY)) return DEFAULT_BOUNDARY;
  const digest = createHash('sha256').update(parts.map((part) => part.body).join('\u0000')).digest('hex');
  for (let length = 16; ; length += 8) {
    const boundary = `next-${digest.slice(0, length)}`;
    if (!clashes(boundary) || length >= digest.length) return boundary;
  }
}

/** The body and its content type, e.g. `multipart/mixed; boundary="next"`. */
export function buildMultipart(parts: MimePart[]): { contentType: string; body: string } {
  const boundary = boundaryFor(parts);
  const sections = parts.map((part) => {
    const headers = [`Content-Type: ${part.contentType}`];
    if (part.disposition) headers.push(`Content-Disposition: ${part.disposition}`);
    headers.push(`Content-Length: ${Buffer.byteLength(part.body, 'utf8')}`);
    return `--${boundary}${CRLF}${headers.join(CRLF)}${CRLF}${CRLF}${part.body}${CRLF}`;
  });
  return { contentType: `multipart/mixed; boundary="${boundary}"`, body: `${sections.join('')}--${boundary}--${CRLF}` };
}

/** The boundary parameter of a multipart content type, or undefined. */
export function boundaryOf(contentType: string): string | undefined {
  const match = /;\s*boundary\s*=\s*(?:"([^"]{1,70})"|([^\s;"]{1,70}))/i.exec(contentType);
  return match?.[1] ?? match?.[2];
}

export class MultipartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MultipartError';
  }
}

/**
 * Splits a multipart body. A part with Content-Length is read by its byte count, which must end
 * exactly at a line break before the next delimiter; lines may end CRLF or LF (an XML parser turns
 * CRLF inside CDATA into LF). Throws MultipartError naming what is wrong.
 */
export function parseMultipart(body: string, boundary: string): MimePart[] {
  const bytes = Buffer.from(body, 'utf8');
  const delimiter = Buffer.from(`--${boundary}`, 'utf8');
  let position = bytes.indexOf(delimiter);
  if (position < 0) throw new MultipartError(`no --${boundary} delimiter`);
  const parts: MimePart[] = [];
  for (;;) {
    position += delimiter.length;
    if (bytes.subarray(position, position + 2).toString() === '--') return parts;
    position = skipLineBreak(bytes, position, 'after a delimiter');
    const { headers, next } = readHeaders(bytes, position, parts.length);
    const contentType = headers.get('content-type');
    if (!contentType) throw new MultipartError(`part ${parts.length}: no Content-Type`);
    const declared = headers.get('content-length');
    let end: number;
    if (declared !== undefined) {
      if (!/^\d{1,9}$/.test(declared)) throw new MultipartError(`part ${parts.length}: Content-Length "${declared.slice(0, 20)}" is not a byte count`);
      end = next + Number(declared);
      const following = bytes.subarray(end, end + delimiter.length + 2).toString('utf8');
      if (!following.startsWith(`\r\n--${boundary}`) && !following.startsWith(`\n--${boundary}`)) {
        throw new MultipartError(`part ${parts.length}: Content-Length ${declared} does not end at the next delimiter`);
      }
    } else {
      const found = bytes.indexOf(delimiter, next);
      if (found < 0) throw new MultipartError(`part ${parts.length}: no closing delimiter`);
      end = found - (bytes[found - 2] === 0x0d ? 2 : 1);
    }
    const disposition = headers.get('content-disposition');
    parts.push({ contentType, ...(disposition ? { disposition } : {}), body: bytes.subarray(next, end).toString('utf8') });
    position = bytes.indexOf(delimiter, end);
    if (parts.length > 10) throw new MultipartError('more than 10 parts');
  }
}

function skipLineBreak(bytes: Buffer, position: number, where: string): number {
  if (bytes[position] === 0x0d && bytes[position + 1] === 0x0a) return position + 2;
  if (bytes[position] === 0x0a) return position + 1;
  throw new MultipartError(`no line break ${where}`);
}

function readHeaders(bytes: Buffer, start: number, index: number): { headers: Map<string, string>; next: number } {
  const headers = new Map<string, string>();
  let position = start;
  for (let count = 0; count < 20; count++) {
    const lineEnd = bytes.indexOf(0x0a, position);
    if (lineEnd < 0) throw new MultipartError(`part ${index}: headers not ended by a blank line`);
    const line = bytes.subarray(position, lineEnd).toString('utf8').replace(/\r$/, '');
    position = lineEnd + 1;
    if (line === '') return { headers, next: position };
    const colon = line.indexOf(':');
    if (colon <= 0) throw new MultipartError(`part ${index}: header line without a name`);
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  throw new MultipartError(`part ${index}: too many header lines`);
}
