/**
 * MongoDB wire protocol framing: the 16-byte header, OP_MSG (kind 0 body + kind 1 document
 * sequences, optional CRC-32C trailer which is tolerated and not verified) and the legacy
 * OP_QUERY/OP_REPLY pair that older handshakes use. Anything malformed throws a WireError,
 * after which the connection is closed.
 */
import { serialize } from 'bson';
import { decodeDocument } from './bsonValues.js';
import type { Doc } from './documents.js';

export const OP_REPLY = 1;
export const OP_QUERY = 2004;
export const OP_MSG = 2013;
export const HEADER_SIZE = 16;
export const MAX_MESSAGE_SIZE = 48_000_000;

const CHECKSUM_PRESENT = 1;
const MORE_TO_COME = 2;

export class WireError extends Error {
  override name = 'WireError';
}

/**
 * A well-framed message holding a document nested too deep to decode. The framing is intact, so
 * the request is answered with an error (as MongoDB does) and the connection stays open.
 */
export class NestedTooDeep extends Error {
  override name = 'NestedTooDeep';
  constructor(readonly request: WireRequest) {
    super('BSON document nested too deeply to read');
  }
}

/** Thrown while reading a document; parseMessage turns it into NestedTooDeep with the request. */
class DecodeOverflow extends Error {}

export interface WireRequest {
  requestId: number;
  opCode: typeof OP_MSG | typeof OP_QUERY;
  db: string;
  command: Doc;
  /** The client expects no reply (w: 0 writes). */
  moreToCome: boolean;
}

/** Length of the next message in the buffer, validated, or undefined when the header is incomplete. */
export function peekMessageLength(buffer: Buffer): number | undefined {
  if (buffer.length < 4) return undefined;
  const length = buffer.readInt32LE(0);
  if (length < HEADER_SIZE || length > MAX_MESSAGE_SIZE) {
    throw new WireError(`invalid messageLength ${length}`);
  }
  return length;
}

function readDocument(message: Buffer, offset: number, end: number): { doc: Doc; next: number } {
  if (offset + 5 > end) throw new WireError('truncated BSON document');
  const size = message.readInt32LE(offset);
  // A document over MAX_BSON_SIZE is framed fine: the command refuses it with a server error.
  if (size < 5 || offset + size > end) throw new WireError(`invalid BSON size ${size}`);
  try {
    return { doc: decodeDocument(message.subarray(offset, offset + size)), next: offset + size };
  } catch (error) {
    // Decoding recurses once per level, so only nesting exhausts the stack.
    if (error instanceof RangeError && /call stack/.test(error.message)) throw new DecodeOverflow();
    throw new WireError(`unparsable BSON: ${(error as Error).message}`);
  }
}

function readCString(message: Buffer, offset: number, end: number): { value: string; next: number } {
  const zero = message.indexOf(0, offset);
  if (zero < 0 || zero >= end) throw new WireError('unterminated string');
  return { value: message.toString('utf8', offset, zero), next: zero + 1 };
}

function parseOpMsg(message: Buffer, requestId: number): WireRequest {
  const flags = message.readUInt32LE(HEADER_SIZE);
  const end = flags & CHECKSUM_PRESENT ? message.length - 4 : message.length;
  let offset = HEADER_SIZE + 4;
  let body: Doc | undefined;
  const sequences: Array<[string, Doc[]]> = [];
  while (offset < end) {
    const kind = message[offset++];
    if (kind === 0) {
      if (body) throw new WireError('OP_MSG with two body sections');
      const read = readDocument(message, offset, end);
      body = read.doc;
      offset = read.next;
    } else if (kind === 1) {
      if (offset + 4 > end) throw new WireError('truncated document sequence');
      const sectionEnd = offset + message.readInt32LE(offset);
      if (sectionEnd > end || sectionEnd < offset + 5) throw new WireError('invalid document sequence size');
      const name = readCString(message, offset + 4, sectionEnd);
      const docs: Doc[] = [];
      for (let at = name.next; at < sectionEnd; ) {
        const read = readDocument(message, at, sectionEnd);
        docs.push(read.doc);
        at = read.next;
      }
      sequences.push([name.value, docs]);
      offset = sectionEnd;
    } else throw new WireError(`unknown OP_MSG section kind ${String(kind)}`);
  }
  if (!body) throw new WireError('OP_MSG without a body section');
  for (const [name, docs] of sequences) body[name] = docs;
  const db = typeof body.$db === 'string' ? body.$db : 'admin';
  return { requestId, opCode: OP_MSG, db, command: body, moreToCome: (flags & MORE_TO_COME) !== 0 };
}

function parseOpQuery(message: Buffer, requestId: number): WireRequest {
  const name = readCString(message, HEADER_SIZE + 4, message.length);
  const read = readDocument(message, name.next + 8, message.length);
  if (!name.value.endsWith('.$cmd')) throw new WireError(`OP_QUERY is only supported for commands, got ${name.value}`);
  const wrapped = read.doc.$query;
  const command = wrapped !== null && typeof wrapped === 'object' ? (wrapped as Doc) : read.doc;
  return { requestId, opCode: OP_QUERY, db: name.value.slice(0, -'.$cmd'.length), command, moreToCome: false };
}

/** Parses one complete message (exactly messageLength bytes). */
export function parseMessage(message: Buffer): WireRequest {
  const requestId = message.readInt32LE(4);
  const opCode = message.readInt32LE(12);
  try {
    if (opCode === OP_MSG && message.length >= HEADER_SIZE + 5) return parseOpMsg(message, requestId);
    if (opCode === OP_QUERY && message.length >= HEADER_SIZE + 4) return parseOpQuery(message, requestId);
  } catch (error) {
    if (!(error instanceof DecodeOverflow)) throw error;
    const moreToCome = opCode === OP_MSG && (message.readUInt32LE(HEADER_SIZE) & MORE_TO_COME) !== 0;
    throw new NestedTooDeep({ requestId, opCode: opCode === OP_MSG ? OP_MSG : OP_QUERY, db: 'admin', command: {}, moreToCome });
  }
  throw new WireError(`unsupported opCode ${opCode}`);
}

function header(length: number, requestId: number, responseTo: number, opCode: number): Buffer {
  const buffer = Buffer.allocUnsafe(HEADER_SIZE);
  buffer.writeInt32LE(length, 0);
  buffer.writeInt32LE(requestId, 4);
  buffer.writeInt32LE(responseTo, 8);
  buffer.writeInt32LE(opCode, 12);
  return buffer;
}

let nextRequestId = 1;

/** The reply to a request, in the same protocol the request used. */
export function encodeReply(request: WireRequest, reply: Doc): Buffer {
  const body = serialize(reply);
  const requestId = nextRequestId++ & 0x7fffffff;
  if (request.opCode === OP_MSG) {
    const prefix = Buffer.alloc(5); // flagBits 0, section kind 0
    const length = HEADER_SIZE + prefix.length + body.length;
    return Buffer.concat([header(length, requestId, request.requestId, OP_MSG), prefix, body]);
  }
  const fields = Buffer.alloc(20); // responseFlags, cursorID (int64), startingFrom, numberReturned
  fields.writeInt32LE(1, 16);
  const length = HEADER_SIZE + fields.length + body.length;
  return Buffer.concat([header(length, requestId, request.requestId, OP_REPLY), fields, body]);
}
