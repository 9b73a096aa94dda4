import { expect } from 'chai';
import { connect, type Socket } from 'node:net';
import { deserialize, serialize } from 'bson';
import { realMongoUri, startTestMongo, type TestMongo } from '../../support/mongo.js';

/** Sends raw bytes and resolves when the server closes the socket (or rejects after a timeout). */
function sendAndAwaitClose(port: number, bytes: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(port, '127.0.0.1', () => socket.write(bytes));
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('server kept the connection open'));
    }, 3000);
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

function header(length: number, opCode: number): Buffer {
  const buffer = Buffer.alloc(16);
  buffer.writeInt32LE(length, 0);
  buffer.writeInt32LE(7, 4);
  buffer.writeInt32LE(opCode, 12);
  return buffer;
}

function opMsg(body: Buffer, kind = 0): Buffer {
  const prefix = Buffer.alloc(5);
  prefix[4] = kind;
  return Buffer.concat([header(16 + 5 + body.length, 2013).subarray(0, 16), prefix, body]);
}

/** Sends one request and resolves with the BSON reply document (OP_MSG or OP_REPLY). */
function request(port: number, bytes: Buffer): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(port, '127.0.0.1', () => socket.write(bytes));
    let received = Buffer.alloc(0);
    socket.on('error', reject);
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length < 4 || received.length < received.readInt32LE(0)) return;
      const opCode = received.readInt32LE(12);
      const bodyAt = opCode === 2013 ? 21 : 36;
      socket.destroy();
      resolve(deserialize(received.subarray(bodyAt)));
    });
    socket.on('close', () => reject(new Error('closed without a reply')));
  });
}

function withLength(parts: Buffer[]): Buffer {
  const message = Buffer.concat(parts);
  message.writeInt32LE(message.length, 0);
  return message;
}

function bson(doc: Record<string, unknown>): Buffer {
  return Buffer.from(serialize(doc));
}

describe('embedded store: wire protocol variants (embedded store only: raw protocol)', () => {
  let mongo: TestMongo;
  let port: number;

  before(async function () {
    if (realMongoUri) this.skip();
    mongo = await startTestMongo({ name: 'wire_variants' });
    port = Number(new URL(mongo.uri).port);
  });
  after(async () => mongo?.close());

  it('accepts an OP_MSG with the checksum flag and a CRC trailer', async () => {
    const flags = Buffer.alloc(4);
    flags.writeUInt32LE(1, 0);
    const reply = await request(port, withLength([header(0, 2013), flags, Buffer.from([0]), bson({ ping: 1, $db: 'admin' }), Buffer.alloc(4)]));
    expect(reply).to.deep.equal({ ok: 1 });
  });

  it('reads kind-1 document sequences as the named command field', async () => {
    const docs = Buffer.concat([bson({ _id: 1, v: 'a' }), bson({ _id: 2, v: 'b' })]);
    const name = Buffer.from('documents\0');
    const size = Buffer.alloc(4);
    size.writeInt32LE(4 + name.length + docs.length, 0);
    const body = bson({ insert: 'seq', $db: mongo.dbName });
    const reply = await request(port, withLength([header(0, 2013), Buffer.alloc(4), Buffer.from([0]), body, Buffer.from([1]), size, name, docs]));
    expect(reply).to.deep.include({ n: 2, ok: 1 });
    expect(await mongo.db.collection('seq').countDocuments()).to.equal(2);
  });

  it('answers a legacy OP_QUERY handshake with an OP_REPLY', async () => {
    const namespace = Buffer.from('admin.$cmd\0');
    const skipAndReturn = Buffer.alloc(8);
    skipAndReturn.writeInt32LE(-1, 4);
    const reply = await request(port, withLength([header(0, 2004), Buffer.alloc(4), namespace, skipAndReturn, bson({ isMaster: 1 })]));
    expect(reply).to.include({ ismaster: true, ok: 1 });
    expect(reply.maxWireVersion).to.be.at.least(8);
  });
});

describe('embedded store: malformed wire messages (embedded store only: raw protocol)', () => {
  let mongo: TestMongo;
  let port: number;

  before(async function () {
    if (realMongoUri) this.skip();
    mongo = await startTestMongo({ name: 'wire' });
    port = Number(new URL(mongo.uri).port);
    await mongo.db.collection('kept').insertOne({ alive: true });
  });
  after(async () => mongo?.close());

  const cases: Array<[string, () => Buffer]> = [
    ['a messageLength below 16', () => header(8, 2013)],
    ['a messageLength above 48 MB', () => header(49_000_000, 2013)],
    ['an unknown opCode', () => Buffer.concat([header(20, 9999), Buffer.alloc(4)])],
    ['unparsable BSON', () => opMsg(Buffer.from([0x20, 0, 0, 0, 0x02, 0x61, 0, 0xff, 0xff, 0xff, 0x7f, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]))],
    ['an unknown section kind', () => opMsg(Buffer.from(serialize({ ping: 1 })), 7)],
    ['plain text', () => Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n')],
  ];

  for (const [name, bytes] of cases) {
    it(`closes the connection that sends ${name}, and keeps serving other clients`, async () => {
      await sendAndAwaitClose(port, bytes());
      expect(await mongo.db.collection('kept').countDocuments({ alive: true })).to.equal(1);
    });
  }
});
