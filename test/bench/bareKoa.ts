/**
 * The benchmark's baseline: a bare Koa handler on the same route. It reads and parses the body and
 * answers 200 — nothing else. With BARE_REPLY_TO set (a platform serverRoot) it also sends the
 * text back to the platform right after answering, the shortest possible inbound → outbound path.
 * Prints `{"msg":"bot listening","url":...}` like the bot, so the benchmark drives both alike.
 */
import Koa from 'koa';
import getRawBody from 'raw-body';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';

const CHATBOT_ID = process.env.CHATBOT_ID ?? 'sip:106500@botplatform.rcs.domain.cn';
const platform = process.env.BARE_REPLY_TO;
const apiBase = platform ? `${platform}/bot/v1/${encodeURIComponent(CHATBOT_ID)}` : '';
let token: Promise<string> | undefined;

function accessToken(): Promise<string> {
  token ??= fetch(`${apiBase}/accessToken`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', date: new Date().toUTCString() },
    body: JSON.stringify({ appId: process.env.APP_ID, appKey: process.env.APP_KEY }),
  })
    .then((response) => response.json())
    .then((body) => (body as { accessToken: string }).accessToken);
  return token;
}

interface Inbound {
  senderAddress: string;
  contributionId: string;
  conversationId: string;
  messageList: Array<{ contentText: string }>;
}

async function reply(message: Inbound): Promise<void> {
  await fetch(`${apiBase}/messages`, {
    method: 'POST',
    headers: {
      authorization: `accessToken ${await accessToken()}`,
      'content-type': 'application/json',
      accept: 'application/json',
      date: new Date().toUTCString(),
    },
    body: JSON.stringify({
      messageId: randomUUID(),
      messageList: [{ contentType: 'text/plain', contentText: message.messageList[0]?.contentText ?? '' }],
      destinationAddress: [message.senderAddress],
      senderAddress: CHATBOT_ID,
      conversationId: message.conversationId,
      contributionId: randomUUID(),
      inReplyTo: message.contributionId,
    }),
  });
}

const app = new Koa();
app.use(async (ctx) => {
  // Only callbacks; the benchmark's look at /metrics finds none here.
  if (ctx.method !== 'POST') {
    ctx.status = 404;
    return;
  }
  const body = JSON.parse(await getRawBody(ctx.req, { limit: '1mb', encoding: 'utf-8' })) as Inbound;
  ctx.status = 200;
  ctx.body = { errorCode: 0 };
  if (platform) setImmediate(() => void reply(body).catch(() => undefined));
});
const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  console.log(JSON.stringify({ msg: 'bot listening', url: `http://127.0.0.1:${port}` }));
});
server.keepAliveTimeout = 65_000;
process.on('SIGTERM', () => server.close(() => process.exit(0)));
