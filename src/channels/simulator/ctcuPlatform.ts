/**
 * A simulated CT/CU platform. Its side of the bot API, free of HTTP: issue tokens, take a send
 * request through faults, rate limit, auth and validation, record what the phone receives and
 * plan the delivery reports (the HTTP layer, platformApi.ts, only reads requests and writes
 * these answers). And its signed callbacks: the user's messages, passed on to the bot.
 */
import { createHash, randomUUID } from 'node:crypto';
import { checkMenu, PlatformRejection, type ChatbotMenuDocument } from './cardRules.js';
import type { Fault } from './faults.js';
import { notificationPath, postSigned, type CallbackAnswer, type CallbackTarget } from './callbacks.js';
import { DeliveryReporter, type ReportStatus } from './deliveryReports.js';
import { acceptSendRequest, type AcceptedSend } from './sendRequest.js';
import { SimPlatform, type SendOverrides, type SimContext } from './simPlatform.js';
import { TokenIssuer } from './tokens.js';
import type { InboundPart, ReceivedMessage, SendResult, SimulatedCtcuPlatform } from './types.js';

export interface PlatformAnswer {
  httpStatus: number;
  body: { errorCode: number; errorMessage?: string; [key: string]: unknown };
  /** `before`: hold without processing; `after`: processed, but the answer never comes. */
  stall?: 'before' | 'after';
  /** Runs once the answer has been written (delivery reports follow the answer, never precede it). */
  afterAnswer?: () => void;
}

const HTTP_STATUS_OF: Record<number, number> = { [-1]: 503, [-2]: 500, 30003: 429, 40001: 401, 40014: 401, 42001: 401 };

function answer(errorCode: number, errorMessage?: string, extra: Record<string, unknown> = {}): PlatformAnswer {
  const httpStatus = errorCode === 0 ? 200 : (HTTP_STATUS_OF[errorCode] ?? 400);
  return { httpStatus, body: { ...extra, errorCode, ...(errorMessage ? { errorMessage } : {}) } };
}

/** The platform's dateTime format: local China time with its offset. */
export function chinaTime(date: Date): string {
  return new Date(date.getTime() + 8 * 3600_000).toISOString().replace('Z', '+08:00');
}

export class CtcuSimPlatform extends SimPlatform {
  readonly family = 'ctcu';
  readonly tokens: TokenIssuer;
  private readonly reporter: DeliveryReporter;
  /** The fixed menu the chatbot last set (update/chatBotInfo/menu), shown by the phone page. */
  menu: ChatbotMenuDocument | undefined;

  constructor(
    readonly options: SimulatedCtcuPlatform,
    context: SimContext,
  ) {
    super(options.id, options.chatbotId, options.label, options.notifyPath ?? '', context);
    this.tokens = new TokenIssuer(context.settings.tokenTtlSeconds ?? 7200);
    this.reporter = new DeliveryReporter(this.callbackTarget(), context.settings.reportDelayMs ?? 15, context.log, context.settings.reportAttempts);
  }

  /** The user sends one message part (any content type) to the bot, signed like the platform. */
  async sendMessage(user: string, part: InboundPart, overrides: SendOverrides = {}): Promise<SendResult> {
    const messageId = overrides.messageId ?? randomUUID();
    const body = {
      messageId,
      messageList: [part],
      dateTime: chinaTime(new Date()),
      destinationAddress: this.chatbotId,
      senderAddress: user,
      conversationId: overrides.conversationId ?? this.conversationOf(user),
      contributionId: overrides.contributionId ?? randomUUID(),
      ...(overrides.inReplyTo ? { inReplyTo: overrides.inReplyTo } : {}),
    };
    this.showUserMessage(user, messageId, { from: 'user', contentType: part.contentType, text: shownText(part) });
    const answer = await postSigned(this.callbackTarget(), notificationPath('messages', this.chatbotId), body);
    return { messageId, status: answer.status, body: answer.body };
  }

  postRaw(path: string, body: string | object, headers: Record<string, string> = {}): Promise<CallbackAnswer> {
    return postSigned(this.callbackTarget(), path, body, headers);
  }

  reportedStatus(messageId: string): string | undefined {
    return this.reporter.statusOf(messageId);
  }

  close(): Promise<void> {
    return this.reporter.close();
  }

  protected failedCallbacks(): number {
    return this.reporter.failedCalls;
  }

  private callbackTarget(): CallbackTarget {
    return { chatbotId: this.chatbotId, callbackToken: this.options.callbackToken, notifyUrl: () => this.notifyUrl };
  }

  private conversationOf(user: string): string {
    return createHash('sha256').update(`${this.chatbotId}|${user}`).digest('hex').slice(0, 32);
  }

  issueToken(body: unknown): PlatformAnswer {
    this.counters.tokenRequests++;
    const credentials = body as { appId?: unknown; appKey?: unknown } | null;
    if (credentials?.appId !== this.options.appId || credentials.appKey !== this.options.appKey) {
      return this.reject(20002, 'appId or appKey is wrong');
    }
    const { token, expiresIn } = this.tokens.issue();
    return answer(0, undefined, { accessToken: token, expires: expiresIn, url: '' });
  }

  /** Takes a send request: `body` is the raw text, parsed here so a parse error is 47001. */
  send(headers: Record<string, string | undefined>, body: string): PlatformAnswer {
    this.counters.messageCalls++;
    const fault = this.faults.next();
    if (fault?.kind === 'timeout') return { ...answer(-1), stall: 'before' };
    const injected = this.injectedAnswer(fault);
    if (injected) return injected;
    if (!this.rate.admit()) return this.reject(30003, 'per-second rate exceeded');
    const result = this.acceptRequest(headers, body);
    if (result instanceof PlatformRejection) return this.reject(result.errorCode, result.message);
    const ok = answer(0, undefined, { messageId: result.messageId });
    if (this.accepted.has(result.messageId)) {
      this.counters.duplicates++;
      return fault?.kind === 'lostResponse' ? { ...ok, stall: 'after' } : ok;
    }
    this.counters.accepted++;
    const message = this.record(result);
    if (fault?.kind === 'lostResponse') {
      this.deliver(message);
      return { ...ok, stall: 'after' };
    }
    return { ...ok, afterAnswer: () => this.deliver(message) };
  }

  revoke(headers: Record<string, string | undefined>, body: unknown): PlatformAnswer {
    const auth = this.tokens.check(headers.authorization);
    if (auth !== 0) return this.reject(auth, 'access token not valid');
    const request = body as { messageId?: unknown; status?: unknown } | null;
    const message = typeof request?.messageId === 'string' ? this.accepted.get(request.messageId) : undefined;
    if (!message || request?.status !== 'RevokeRequested') return this.reject(20002, 'unknown messageId or status');
    return {
      ...answer(0, undefined, { messageId: message.messageId }),
      afterAnswer: () => {
        if (this.reporter.revoke(message.messageId, message.user)) {
          this.showOnPhone(message.user, { from: 'platform', revokedMessageId: message.messageId });
        }
      },
    };
  }

  /** Sets the chatbot's fixed menu: `body` is the raw text. */
  updateMenu(headers: Record<string, string | undefined>, body: string): PlatformAnswer {
    const auth = this.tokens.check(headers.authorization);
    if (auth !== 0) return this.reject(auth, 'access token not valid');
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return this.reject(47001, 'body is not valid JSON');
    }
    try {
      this.menu = checkMenu(parsed, 'menu');
    } catch (error) {
      if (error instanceof PlatformRejection) return this.reject(error.errorCode, error.message);
      throw error;
    }
    return answer(0);
  }

  private injectedAnswer(fault: Fault | undefined): PlatformAnswer | undefined {
    switch (fault?.kind) {
      case 'serverError':
        return this.reject(-2, 'internal error (injected)');
      case 'busy':
        return this.reject(-1, 'system busy (injected)');
      case 'rateLimited':
        return this.reject(30003, 'per-second rate exceeded (injected)');
      case 'tokenExpired':
        this.tokens.expireCurrent();
        return this.reject(42001, 'access token expired (injected)');
      case 'rejection':
        return this.reject(fault.errorCode, 'rejected (injected)');
      default:
        return undefined;
    }
  }

  private acceptRequest(headers: Record<string, string | undefined>, body: string): AcceptedSend | PlatformRejection {
    const auth = this.tokens.check(headers.authorization);
    if (auth !== 0) return new PlatformRejection(auth, 'access token not valid');
    if (!headers['content-type']?.includes('application/json')) return new PlatformRejection(20002, 'content-type must be application/json');
    if (Number.isNaN(Date.parse(headers.date ?? ''))) return new PlatformRejection(20002, 'date header missing or not a date');
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return new PlatformRejection(47001, 'body is not valid JSON');
    }
    try {
      return acceptSendRequest(parsed, this.options.chatbotId);
    } catch (error) {
      if (error instanceof PlatformRejection) return error;
      throw error;
    }
  }

  private record(send: AcceptedSend): ReceivedMessage {
    const message: ReceivedMessage = { ...send, platformId: this.id, deliveredAs: this.deliveryFor(send.user, send.smsContent), receivedAt: new Date() };
    this.keepAccepted(message);
    return message;
  }

  private deliver(message: ReceivedMessage): void {
    const steps: { status: ReportStatus; errorCode?: number; errorMessage?: string }[] = [];
    if (this.context.terminals.unknown.has(message.user)) {
      steps.push({ status: 'failed', errorCode: 1, errorMessage: 'no terminal found' });
    } else if (message.deliveredAs === 'none') {
      steps.push({ status: 'failed', errorCode: 2, errorMessage: 'not a 5G messaging terminal' });
    } else if (message.deliveredAs === 'sms') {
      steps.push({ status: 'sent' }, { status: 'deliveredToNetwork' });
    } else {
      steps.push({ status: 'sent' }, { status: 'delivered' }, { status: 'displayed' });
    }
    const requested = message.raw.reportRequest;
    const wanted = Array.isArray(requested) ? steps.filter((step) => requested.includes(step.status)) : steps;
    if (message.deliveredAs !== 'none') {
      this.showOnPhone(message.user, { from: 'bot', messageId: message.messageId, parts: message.parts, as: message.deliveredAs, smsContent: message.smsContent });
    }
    this.reporter.plan(message.messageId, message.user, wanted);
  }

  private reject(errorCode: number, errorMessage: string): PlatformAnswer {
    this.countRejection(String(errorCode));
    this.context.log.debug({ errorCode, errorMessage }, 'platform rejected a call');
    return answer(errorCode, errorMessage);
  }
}

const SUGGESTION_RESPONSE = 'application/vnd.gsma.botsuggestion.response.v1.0+json';

/** What the phone shows for a message the user sent. */
export function shownText(part: InboundPart): string {
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
