/** Test helpers for the simulator: a recording Koa receiver standing in for the bot's webhook. */
import Koa from 'koa';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import getRawBody from 'raw-body';
import { createLogger } from '../../src/log.js';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../src/channels/simulator/index.js';

export const CHATBOT_ID = 'sip:106500@botplatform.rcs.domain.cn';
export const CALLBACK_TOKEN = 'test-callback-token';
export const APP_ID = 'test-app';
export const APP_KEY = 'test-key';
export const silentLog = createLogger('silent');

export interface ReceivedCall {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

/** A JSON body parsed; anything else (the MaaP XML dialect) as its text. */
function parsedOrText(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** A webhook that records every call and answers 200. */
export class Receiver {
  readonly calls: ReceivedCall[] = [];
  private server: Server | undefined;
  url = '';

  async start(): Promise<this> {
    const app = new Koa();
    app.use(async (ctx) => {
      const text = await getRawBody(ctx.req, { encoding: 'utf8' });
      this.calls.push({ path: ctx.path, headers: ctx.headers, body: parsedOrText(text) });
      ctx.body = { errorCode: 0 };
    });
    const server = app.listen(0, '127.0.0.1');
    this.server = server;
    await new Promise((resolve) => server.once('listening', resolve));
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this;
  }

  async waitFor(predicate: (calls: ReceivedCall[]) => boolean, timeoutMs = 3000): Promise<ReceivedCall[]> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.calls)) {
      if (Date.now() > deadline) throw new Error(`receiver: condition not met (${this.calls.length} calls)`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return this.calls;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }
}

export function simulatorFor(notifyUrl: string | undefined, extra: Partial<SimulatorOptions> = {}): Promise<Simulator> {
  return startSimulator(
    { chatbotId: CHATBOT_ID, appId: APP_ID, appKey: APP_KEY, callbackToken: CALLBACK_TOKEN, apiVersion: 'v1', notifyUrl, port: 0, ...extra },
    silentLog,
  );
}

/** A raw client of the simulator's bot API, for checking what it accepts and refuses. */
export class BotApi {
  token = '';
  constructor(private readonly serverRoot: string) {}

  url(endpoint: string): string {
    return `${this.serverRoot}/bot/v1/${encodeURIComponent(CHATBOT_ID)}/${endpoint}`;
  }

  async fetchToken(appKey = APP_KEY): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await fetch(this.url('accessToken'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ appId: APP_ID, appKey }),
    });
    const body = (await response.json()) as Record<string, unknown>;
    if (typeof body.accessToken === 'string') this.token = body.accessToken;
    return { status: response.status, body };
  }

  async send(body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; errorCode: number; errorMessage?: string }> {
    const response = await fetch(this.url('messages'), {
      method: 'POST',
      headers: {
        authorization: `accessToken ${this.token}`,
        'content-type': 'application/json',
        accept: 'application/json',
        date: new Date().toUTCString(),
        ...headers,
      },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const answer = (await response.json()) as { errorCode: number; errorMessage?: string };
    return { status: response.status, ...answer };
  }
}

let counter = 0;
/** A valid send request with one text part; `patch` overrides envelope fields. */
export function textRequest(text = '你好', patch: Record<string, unknown> = {}): Record<string, unknown> {
  counter++;
  return {
    messageId: `m-${Date.now()}-${counter}`,
    messageList: [{ contentType: 'text/plain', contentText: text }],
    destinationAddress: ['tel:+8613900000001'],
    senderAddress: CHATBOT_ID,
    conversationId: 'c1',
    contributionId: `k-${counter}`,
    ...patch,
  };
}
