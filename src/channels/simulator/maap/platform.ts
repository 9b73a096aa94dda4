/**
 * A simulated China Mobile MaaP gateway for one chatbot, in its dialect: it checks the bot's
 * credentials the way the gateway does, takes send requests through faults, rate limit and
 * validation (request.ts), answers 201 or an exception, shows what the phone receives, reports
 * delivery with the family's statuses, recalls messages on request, and passes the user's
 * messages on to the bot as MaaP inbound notifications.
 */
import { createHash, randomUUID } from 'node:crypto';
import { DATE_WINDOW_MS, parseUsernamePassword, passwordDigest } from '../../maap/auth.js';
import { encodeException, type Dialect, type MaapException } from '../../maap/codec.js';
import { MAAP_CONTENT_TYPES } from '../../maap/outbound.js';
import { buildXml } from '../../maap/xml.js';
import { chinaTime, shownText } from '../ctcuPlatform.js';
import type { CallbackAnswer } from '../callbacks.js';
import type { Fault } from '../faults.js';
import { SimPlatform, type SendOverrides, type SimContext } from '../simPlatform.js';
import type { InboundPart, ReceivedMessage, SendResult, SimulatedMaapPlatform } from '../types.js';
import { callbackPath, deliveryBody, inboundBody, postMaap, statusBody, type MaapCallbackTarget } from './callbacks.js';
import { acceptMaapRequest, MaapRejection } from './request.js';

export interface MaapAnswer {
  httpStatus: number;
  contentType?: string;
  body?: string;
  stall?: 'before' | 'after';
  afterAnswer?: () => void;
}

const FAILED_STATUSES = new Set(['DeliveryImpossible', 'DeliveredToSMSFailed', 'DeliveredToVmsFailed']);
const DONE_STATUSES = new Set(['DeliveredToTerminal', 'MessageDisplayed', 'DeliveredToNetwork', 'DeliveredToSMS', 'DeliverdToSMS', 'DeliveredToVms', 'Revoked']);

export class MaapSimPlatform extends SimPlatform {
  readonly family = 'maap';
  readonly dialect: Dialect;
  private readonly progress = new Map<string, string>();
  private readonly timers = new Map<string, NodeJS.Timeout[]>();
  private reports: Promise<void> = Promise.resolve();
  private failedCalls = 0;
  private closed = false;
  /** While set, accepted messages get no delivery notifications of their own (tests report by hand). */
  reportsHeld = false;

  constructor(
    readonly options: SimulatedMaapPlatform,
    context: SimContext,
  ) {
    super(options.id, options.chatbotId, options.label, options.notifyPath ?? '', context);
    this.dialect = options.dialect;
  }

  /** A send request: `headers` as received, `body` the raw text. */
  send(headers: Record<string, string | undefined>, body: string): MaapAnswer {
    this.counters.messageCalls++;
    const fault = this.faults.next();
    if (fault?.kind === 'timeout') return { httpStatus: 503, stall: 'before' };
    const injected = this.injectedAnswer(fault);
    if (injected) return injected;
    const problem = this.authProblem(headers);
    if (problem) return this.reject(401, { kind: 'serviceException', id: 'SVC0002', text: problem });
    if (!this.rate.admit()) return this.reject(403, { kind: 'policyException', id: 'POL0009', text: 'rate limit exceeded' });
    let send;
    try {
      send = acceptMaapRequest(this.dialect, body, this.chatbotId);
    } catch (error) {
      if (error instanceof MaapRejection) return this.reject(error.httpStatus, error.exception);
      throw error;
    }
    const created = this.created(send.messageId, String(send.raw.clientCorrelator ?? send.messageId));
    if (this.accepted.has(send.messageId)) {
      this.counters.duplicates++;
      return fault?.kind === 'lostResponse' ? { ...created, stall: 'after' } : created;
    }
    this.counters.accepted++;
    const message: ReceivedMessage = { ...send, platformId: this.id, wire: body, deliveredAs: this.deliveryFor(send.user, send.smsContent), receivedAt: new Date() };
    this.keepAccepted(message);
    if (fault?.kind === 'lostResponse') {
      this.deliver(message);
      return { ...created, stall: 'after' };
    }
    return { ...created, afterAnswer: () => this.deliver(message) };
  }

  /** A revoke: recalled when not yet delivered (Revoked), else RevokeFailed; the result comes as a status notification. */
  revoke(headers: Record<string, string | undefined>, messageId: string): MaapAnswer {
    const problem = this.authProblem(headers);
    if (problem) return this.reject(401, { kind: 'serviceException', id: 'SVC0002', text: problem });
    const message = this.accepted.get(messageId);
    if (!message) return this.reject(404, { kind: 'serviceException', id: 'SVC0002', text: `unknown messageId ${messageId.slice(0, 60)}` });
    const status = this.progress.get(messageId);
    const revocable = status === undefined || status === 'MessageSent';
    return {
      httpStatus: 200,
      afterAnswer: () => {
        if (revocable) {
          for (const timer of this.timers.get(messageId) ?? []) clearTimeout(timer);
          this.showOnPhone(message.user, { from: 'platform', revokedMessageId: messageId });
        }
        this.queueCallback('MessageStatusNotification', statusBody(this.dialect, { address: message.user, messageId, status: revocable ? 'Revoked' : 'RevokeFailed' }), messageId, revocable ? 'Revoked' : 'RevokeFailed');
      },
    };
  }

  /** Reports any status for a message at once (tests: every status the family knows). */
  report(messageId: string, deliveryStatus: string, description?: string): Promise<void> {
    const user = this.accepted.get(messageId)?.user ?? 'tel:+8613800000000';
    const body = deliveryBody(this.dialect, { address: user, messageId, deliveryStatus, ...(description ? { description } : {}) });
    return this.queueCallback('DeliveryInfoNotification', body, messageId, deliveryStatus);
  }

  async sendMessage(user: string, part: InboundPart, overrides: SendOverrides = {}): Promise<SendResult> {
    const messageId = overrides.messageId ?? randomUUID();
    const { contentType, bodyText } = toMaapBody(part);
    const body = inboundBody(this.dialect, {
      destinationAddress: this.chatbotId,
      // XML gateways name the user by their IMS identity; the bot normalises it to tel:.
      senderAddress: this.dialect === 'xml' ? `sip:${user.slice(4)}@ims.mnc000.mcc460.3gppnetwork.org` : user,
      dateTime: chinaTime(new Date()),
      messageId,
      contentType,
      ...(part.contentEncoding === 'base64' ? { contentEncoding: 'base64' } : {}),
      bodyText,
      conversationID: overrides.conversationId ?? createHash('sha256').update(`${this.chatbotId}|${user}`).digest('hex').slice(0, 32),
      contributionID: overrides.contributionId ?? randomUUID(),
      ...(overrides.inReplyTo ? { inReplyToContributionID: overrides.inReplyTo } : {}),
    });
    if (contentType !== MAAP_CONTENT_TYPES.spamReport) {
      this.showUserMessage(user, messageId, { from: 'user', contentType: part.contentType, text: shownText(part) });
    }
    const answer = await postMaap(this.target(), callbackPath('InboundMessageNotification', this.chatbotId), body);
    return { messageId, status: answer.status, body: answer.body };
  }

  postRaw(path: string, body: string | object, headers: Record<string, string> = {}): Promise<CallbackAnswer> {
    return postMaap(this.target(), path, typeof body === 'string' ? body : JSON.stringify(body), headers);
  }

  reportedStatus(messageId: string): string | undefined {
    return this.progress.get(messageId);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const timers of this.timers.values()) for (const timer of timers) clearTimeout(timer);
    this.timers.clear();
    await this.reports;
  }

  protected failedCallbacks(): number {
    return this.failedCalls;
  }

  private target(): MaapCallbackTarget {
    return { dialect: this.dialect, chatbotId: this.chatbotId, appId: this.options.appId, password: this.options.password, notifyUrl: () => this.notifyUrl };
  }

  /** Shows the message on the phone and plans its delivery notifications, one every reportDelayMs. */
  private deliver(message: ReceivedMessage): void {
    const steps = this.stepsFor(message);
    if (message.deliveredAs !== 'none') {
      this.showOnPhone(message.user, { from: 'bot', messageId: message.messageId, parts: message.parts, as: message.deliveredAs, smsContent: message.smsContent });
    }
    if (this.reportsHeld) return;
    const delay = this.context.settings.reportDelayMs ?? 15;
    // Each step timed from the one before: timers of different lengths set together may fire out
    // of order when the event loop was held up (displayed before delivered).
    const next = (index: number): void => {
      const step = steps[index];
      if (!step || this.closed) return;
      this.timers.set(message.messageId, [
        setTimeout(() => {
          void this.report(message.messageId, step.status, step.description);
          next(index + 1);
        }, delay),
      ]);
    };
    next(0);
  }

  private stepsFor(message: ReceivedMessage): { status: string; description?: string }[] {
    const wanted = new Set(message.reportRequest ?? []);
    const sent = wanted.has('Sent') ? [{ status: 'MessageSent' }] : [];
    if (this.context.terminals.unknown.has(message.user)) return [{ status: 'DeliveryImpossible', description: 'SVC0004' }];
    if (message.deliveredAs === 'none') return [{ status: 'DeliveryImpossible', description: 'UP2' }];
    if (message.deliveredAs === 'sms') return [...sent, { status: 'DeliveredToSMS', description: 'SMS' }];
    return [...sent, { status: 'DeliveredToTerminal' }, { status: 'MessageDisplayed' }];
  }

  /** Callbacks go one at a time, in the order they happened, each tried a few times. */
  private queueCallback(kind: 'DeliveryInfoNotification' | 'MessageStatusNotification', body: string, messageId: string, status: string): Promise<void> {
    this.progress.set(messageId, status);
    if (FAILED_STATUSES.has(status) || DONE_STATUSES.has(status)) this.timers.delete(messageId);
    this.reports = this.reports.then(async () => {
      for (let attempt = 1; attempt <= 3 && !this.closed; attempt++) {
        const answer = await postMaap(this.target(), callbackPath(kind, this.chatbotId), body);
        if (answer.status >= 200 && answer.status < 300) return;
        await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
      }
      this.failedCalls++;
    });
    return this.reports;
  }

  private authProblem(headers: Record<string, string | undefined>): string | undefined {
    const authorization = headers.authorization ?? '';
    if (this.dialect === 'json') {
      const pair = parseUsernamePassword(authorization);
      return pair?.username === this.options.appId && pair.password === this.options.password ? undefined : 'Username/Password wrong or missing';
    }
    const date = headers.date ?? '';
    const sentAt = Date.parse(date);
    if (Number.isNaN(sentAt) || Math.abs(Date.now() - sentAt) > DATE_WINDOW_MS) return 'Date header missing or off';
    const expected = Buffer.from(`${this.options.appId}:${passwordDigest(this.options.password, date)}`).toString('base64');
    return authorization === `Basic ${expected}` ? undefined : 'Authorization does not match';
  }

  private created(messageId: string, clientCorrelator: string): MaapAnswer {
    const echo = { messageId, clientCorrelator };
    return this.dialect === 'json'
      ? { httpStatus: 201, contentType: 'application/json', body: JSON.stringify({ outboundMessageRequest: echo }) }
      : { httpStatus: 201, contentType: 'application/xml', body: buildXml({ 'msg:outboundMessageRequest': { '@_xmlns:msg': 'urn:oma:xml:rest:netapi:messaging:1', ...echo } }) };
  }

  private injectedAnswer(fault: Fault | undefined): MaapAnswer | undefined {
    switch (fault?.kind) {
      case 'serverError':
        return this.reject(500, { kind: 'serviceException', id: 'SVC0001', text: 'internal error (injected)' });
      case 'busy':
        return this.reject(503, { kind: 'serviceException', id: 'SVC0001', text: 'busy (injected)' });
      case 'rateLimited':
        return this.reject(403, { kind: 'policyException', id: 'POL0009', text: 'rate limit exceeded (injected)' });
      case 'tokenExpired':
        return this.reject(401, { kind: 'serviceException', id: 'SVC0002', text: 'credentials refused (injected)' });
      case 'rejection':
        return this.reject(400, { kind: 'serviceException', id: 'SVC0002', text: `rejected (injected ${fault.errorCode})` });
      default:
        return undefined;
    }
  }

  private reject(httpStatus: number, exception: MaapException): MaapAnswer {
    this.countRejection(exception.id);
    this.context.log.debug({ exception }, 'MaaP platform rejected a call');
    const encoded = encodeException(this.dialect, exception);
    return { httpStatus, contentType: encoded.contentType, body: encoded.body };
  }
}

/** The phone's part in MaaP terms: a file transfer becomes the descriptor XML; JSON content goes as text. */
function toMaapBody(part: InboundPart): { contentType: string; bodyText: string } {
  const text = typeof part.contentText === 'string' ? part.contentText : JSON.stringify(part.contentText);
  if (part.contentType !== 'application/vnd.gsma.rcs-ft-http') return { contentType: part.contentType, bodyText: text };
  const files = (typeof part.contentText === 'string' ? JSON.parse(part.contentText) : part.contentText) as Array<Record<string, unknown>>;
  const info = files.map((file) => ({
    '@_type': String(file.type),
    ...(file.fileSize !== undefined ? { 'file-size': String(file.fileSize) } : {}),
    ...(file.fileName !== undefined ? { 'file-name': String(file.fileName) } : {}),
    ...(file.contentType !== undefined ? { 'content-type': String(file.contentType) } : {}),
    data: { '@_url': String(file.url), ...(file.until !== undefined ? { '@_until': String(file.until) } : {}) },
  }));
  return { contentType: MAAP_CONTENT_TYPES.file, bodyText: buildXml({ file: { '@_xmlns': 'urn:gsma:params:xml:ns:rcs:rcs:fthttp', 'file-info': info } }) };
}
