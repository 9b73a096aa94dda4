import { expect } from 'chai';
import { connect, type Socket } from 'node:net';
import { serialize } from 'bson';
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
