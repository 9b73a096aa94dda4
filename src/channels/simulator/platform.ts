/**
 * The platform's side of the bot API, free of HTTP: issue tokens, take a send request through
 * faults, rate limit, auth and validation, record what the phone receives and plan the delivery
 * reports. The HTTP layer (platformApi.ts) only reads requests and writes these answers.
 */
import type { Logger } from '../../log.js';
import { checkMenu, PlatformRejection, type ChatbotMenuDocument } from './cardRules.js';
import type { DeliveryReporter, ReportStatus } from './deliveryReports.js';
import { FaultInjector, RateWindow } from './faults.js';
import type { PhoneFeed } from './phoneFeed.js';
import { acceptSendRequest, type AcceptedSend } from './sendRequest.js';
import { TokenIssuer } from './tokens.js';
import type { ReceivedMessage, SimulatorOptions, SimulatorStats } from './types.js';

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

export class Platform {
  readonly tokens: TokenIssuer;
  readonly faults = new FaultInjector();
  readonly rate: RateWindow;
  readonly non5g: Set<string>;
  readonly unknown: Set<string>;
  readonly received = new Map<string, ReceivedMessage>();
  /** The fixed menu the chatbot last set (update/chatBotInfo/menu), shown by the phone page. */
  menu: ChatbotMenuDocument | undefined;
  readonly stats: SimulatorStats = { tokenRequests: 0, messageCalls: 0, accepted: 0, duplicates: 0, rejected: {}, callbacksFailed: 0 };

  constructor(
    private readonly options: SimulatorOptions,
    private readonly reporter: DeliveryReporter,
    private readonly feed: PhoneFeed,
    private readonly log: Logger,
  ) {
    this.tokens = new TokenIssuer(options.tokenTtlSeconds ?? 7200);
    this.rate = new RateWindow(options.rateLimitPerSecond);
    this.non5g = new Set(options.non5gNumbers ?? []);
    this.unknown = new Set(options.unknownNumbers ?? []);
  }

  issueToken(body: unknown): PlatformAnswer {
    this.stats.tokenRequests++;
    const credentials = body as { appId?: unknown; appKey?: unknown } | null;
    if (credentials?.appId !== this.options.appId || credentials.appKey !== this.options.appKey) {
      return this.reject(20002, 'appId or appKey is wrong');
    }
    const { token, expiresIn } = this.tokens.issue();
    return answer(0, undefined, { accessToken: token, expires: expiresIn, url: '' });
  }

  /** Takes a send request: `body` is the raw text, parsed here so a parse error is 47001. */
  send(headers: Record<string, string | undefined>, body: string): PlatformAnswer {
    this.stats.messageCalls++;
    const fault = this.faults.next();
    if (fault?.kind === 'timeout') return { ...answer(-1), stall: 'before' };
    const injected = this.injectedAnswer(fault);
    if (injected) return injected;
    if (!this.rate.admit()) return this.reject(30003, 'per-second rate exceeded');
    const result = this.acceptRequest(headers, body);
    if (result instanceof PlatformRejection) return this.reject(result.errorCode, result.message);
    const ok = answer(0, undefined, { messageId: result.messageId });
    if (this.received.has(result.messageId)) {
      this.stats.duplicates++;
      return fault?.kind === 'lostResponse' ? { ...ok, stall: 'after' } : ok;
    }
    this.stats.accepted++;
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
    const message = typeof request?.messageId === 'string' ? this.received.get(request.messageId) : undefined;
    if (!message || request?.status !== 'RevokeRequested') return this.reject(20002, 'unknown messageId or status');
    return {
      ...answer(0, undefined, { messageId: message.messageId }),
      afterAnswer: () => {
        if (this.reporter.revoke(message.messageId, message.user)) {
          this.feed.add(message.user, { from: 'platform', revokedMessageId: message.messageId });
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

  private injectedAnswer(fault: ReturnType<FaultInjector['next']>): PlatformAnswer | undefined {
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
    const deliveredAs = this.unknown.has(send.user) ? 'none' : this.non5g.has(send.user) ? (send.smsContent ? 'sms' : 'none') : 'rcs';
    const message: ReceivedMessage = { ...send, deliveredAs, receivedAt: new Date() };
    this.received.set(send.messageId, message);
    return message;
  }

  private deliver(message: ReceivedMessage): void {
    const steps: { status: ReportStatus; errorCode?: number; errorMessage?: string }[] = [];
    if (this.unknown.has(message.user)) {
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
      this.feed.add(message.user, { from: 'bot', messageId: message.messageId, parts: message.parts, as: message.deliveredAs, smsContent: message.smsContent });
    }
    this.reporter.plan(message.messageId, message.user, wanted);
  }

  private reject(errorCode: number, errorMessage: string): PlatformAnswer {
    const key = String(errorCode);
    this.stats.rejected[key] = (this.stats.rejected[key] ?? 0) + 1;
    this.log.debug({ errorCode, errorMessage }, 'platform rejected a call');
    return answer(errorCode, errorMessage);
  }
}
