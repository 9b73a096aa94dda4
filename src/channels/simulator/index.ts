/**
 * A local stand-in for the CT/CU 5G messaging platform: the bot API (tokens, sends, revokes),
 * signed callbacks to the bot (user messages, delivery reports) and a web phone a person can
 * chat with. Tests, benchmarks and `npm start` (without PLATFORM_URL) use it.
 */
import Koa from 'koa';
import { createHash, randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../log.js';
import { notificationPath, postSigned, type CallbackAnswer, type CallbackTarget } from './callbacks.js';
import { DeliveryReporter } from './deliveryReports.js';
import { Platform } from './platform.js';
import { platformRouter } from './platformApi.js';
import { PhoneFeed } from './phoneFeed.js';
import { phoneRouter } from './phoneApi.js';
import type { FailureInjection, InboundPart, ReceivedMessage, SendResult, SimulatorOptions, SimulatorStats } from './types.js';

export type { FailureInjection, InboundPart, ReceivedMessage, ReceivedPart, SendResult, SimulatorOptions, SimulatorStats } from './types.js';

const DEFAULT_PHONE_USER = 'tel:+8613800138000';
const TEXT = 'text/plain';
const SUGGESTION_RESPONSE = 'application/vnd.gsma.botsuggestion.response.v1.0+json';

export interface SendOverrides {
  messageId?: string;
  conversationId?: string;
  contributionId?: string;
  inReplyTo?: string;
}

/** The platform's dateTime format: local China time with its offset. */
function chinaTime(date: Date): string {
  return new Date(date.getTime() + 8 * 3600_000).toISOString().replace('Z', '+08:00');
}

/** What the phone shows for a message the user sent. */
function shownText(part: InboundPart): string {
  if (typeof part.contentText !== 'string') return JSON.stringify(part.contentText);
  const text = part.contentEncoding === 'base64' ? Buffer.from(part.contentText, 'base64').toString('utf8') : part.contentText;
  if (part.contentType !== SUGGESTION_RESPONSE) return text;
  try {
    const response = (JSON.parse(text) as { response?: Record<string, { displayText?: string }> }).response ?? {};
    return response.reply?.displayText ?? response.action?.displayText ?? text;
  } catch {
    return text;
  }
}

export class Simulator {
  private readonly abort = new AbortController();
  private readonly feed = new PhoneFeed();
  /** User messageIds already shown on the phone (a repeated callback is not a new message). */
  private readonly sentByUsers = new Set<string>();
  private readonly reporter: DeliveryReporter;
  private readonly platform: Platform;
  private notifyUrl: string | undefined;
  private server: Server | undefined;
  serverRoot = '';
  phoneUrl = '';

  constructor(
    private readonly options: SimulatorOptions,
    private readonly log: Logger,
  ) {
    this.notifyUrl = options.notifyUrl;
    this.reporter = new DeliveryReporter(this.callbackTarget(), options.reportDelayMs ?? 15, log);
    this.platform = new Platform(options, this.reporter, this.feed, log);
  }

  async listen(): Promise<void> {
    const app = new Koa();
    const platformApi = platformRouter(this.platform, {
      chatbotId: this.options.chatbotId,
      apiVersion: this.options.apiVersion,
      latencyMs: this.options.latencyMs ?? 0,
      stallMs: this.options.stallMs ?? 30_000,
      closing: this.abort.signal,
    });
    const phone = phoneRouter({
      feed: this.feed,
      sendMessage: (user, part) => this.sendMessage(user, part),
      setNon5g: (user, non5g) => void (non5g ? this.platform.non5g.add(user) : this.platform.non5g.delete(user)),
      isNon5g: (user) => this.platform.non5g.has(user),
      menu: () => this.platform.menu,
      defaultUser: DEFAULT_PHONE_USER,
    });
    app.on('error', (error: Error) => this.log.debug({ err: error }, 'simulator request error'));
    app.use(platformApi.routes()).use(phone.routes());
    const host = this.options.host ?? '127.0.0.1';
    const server = app.listen(this.options.port ?? 0, host);
    this.server = server;
    await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
    const { port } = server.address() as AddressInfo;
    const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
    this.serverRoot = `http://${shownHost}:${port}`;
    this.phoneUrl = `${this.serverRoot}/phone?user=${encodeURIComponent(DEFAULT_PHONE_USER)}`;
  }

  /** Where callbacks go; the bot's address may only be known after it listens. */
  setNotifyUrl(url: string): void {
    this.notifyUrl = url;
  }

  /** The user sends a text message to the bot. */
  sendText(user: string, text: string, overrides: SendOverrides = {}): Promise<SendResult> {
    return this.sendMessage(user, { contentType: TEXT, contentText: text }, overrides);
  }

  /** The user sends one message part (any content type) to the bot, signed like the platform. */
  async sendMessage(user: string, part: InboundPart, overrides: SendOverrides = {}): Promise<SendResult> {
    const messageId = overrides.messageId ?? randomUUID();
    const body = {
      messageId,
      messageList: [part],
      dateTime: chinaTime(new Date()),
      destinationAddress: this.options.chatbotId,
      senderAddress: user,
      conversationId: overrides.conversationId ?? this.conversationOf(user),
      contributionId: overrides.contributionId ?? randomUUID(),
      ...(overrides.inReplyTo ? { inReplyTo: overrides.inReplyTo } : {}),
    };
    if (!this.sentByUsers.has(messageId)) {
      this.sentByUsers.add(messageId);
      this.feed.add(user, { from: 'user', contentType: part.contentType, text: shownText(part) });
    }
    const answer = await postSigned(this.callbackTarget(), notificationPath('messages', this.options.chatbotId), body);
    return { messageId, status: answer.status, body: answer.body };
  }

  /** POSTs any body to a path under the notify URL, signed unless `headers` override the signature. */
  postRaw(path: string, body: string | object, headers: Record<string, string> = {}): Promise<CallbackAnswer> {
    return postSigned(this.callbackTarget(), path, body, headers);
  }

  /** What the bot sent that the platform accepted (each messageId once), optionally for one user. */
  received(user?: string): ReceivedMessage[] {
    const all = [...this.platform.received.values()];
    return user === undefined ? all : all.filter((message) => message.user === user);
  }

  /** Waits until `count` messages were received, or `predicate` holds over them. */
  async waitForMessages(until: number | ((received: ReceivedMessage[]) => boolean), timeoutMs = 5000): Promise<ReceivedMessage[]> {
    const done = typeof until === 'number' ? (all: ReceivedMessage[]) => all.length >= until : until;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const all = this.received();
      if (done(all)) return all;
      if (Date.now() > deadline) {
        throw new Error(`waitForMessages: condition not met within ${timeoutMs} ms (${all.length} received)`);
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Makes the next message calls fail in the given ways. */
  injectFailures(injection: FailureInjection): void {
    this.platform.faults.inject(injection);
  }

  setRateLimit(perSecond: number | undefined): void {
    this.platform.rate.setLimit(perSecond);
  }

  setTerminal(user: string, kind: 'rcs' | 'non5g' | 'unknown'): void {
    this.platform.non5g.delete(user);
    this.platform.unknown.delete(user);
    if (kind === 'non5g') this.platform.non5g.add(user);
    if (kind === 'unknown') this.platform.unknown.add(user);
  }

  /** The fixed menu the chatbot set, if any. */
  menu(): unknown {
    return this.platform.menu;
  }

  /** The last delivery status reported for a message. */
  reportedStatus(messageId: string): string | undefined {
    return this.reporter.statusOf(messageId);
  }

  stats(): SimulatorStats {
    return { ...this.platform.stats, rejected: { ...this.platform.stats.rejected }, callbacksFailed: this.reporter.failedCalls };
  }

  async close(): Promise<void> {
    this.abort.abort();
    await this.reporter.close();
    const server = this.server;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private callbackTarget(): CallbackTarget {
    return { chatbotId: this.options.chatbotId, callbackToken: this.options.callbackToken, notifyUrl: () => this.notifyUrl };
  }

  private conversationOf(user: string): string {
    return createHash('sha256').update(`${this.options.chatbotId}|${user}`).digest('hex').slice(0, 32);
  }
}

export async function startSimulator(options: SimulatorOptions, log: Logger): Promise<Simulator> {
  const simulator = new Simulator(options, log.child({ module: 'simulator' }));
  await simulator.listen();
  return simulator;
}
