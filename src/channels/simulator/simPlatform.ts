/**
 * What every simulated platform has, whatever its carrier family: what it accepted from the bot,
 * the failures a test injected, its rate window, its counters, the phones' terminals, and the
 * way to the bot's notify URL. CtcuSimPlatform and MaapSimPlatform add their wire format.
 */
import type { Logger } from '../../log.js';
import { FaultInjector, RateWindow } from './faults.js';
import type { NewEntry, PhoneFeed } from './phoneFeed.js';
import type { CallbackAnswer } from './callbacks.js';
import type { FailureInjection, InboundPart, ReceivedMessage, SendResult, SimulatorSettings, SimulatorStats } from './types.js';

export interface SendOverrides {
  messageId?: string;
  conversationId?: string;
  contributionId?: string;
  inReplyTo?: string;
}

/** The phones: which numbers are not 5G-messaging terminals, and which the network does not know. */
export interface Terminals {
  non5g: Set<string>;
  unknown: Set<string>;
}

/** What the simulator shares with each platform it plays. */
export interface SimContext {
  settings: SimulatorSettings;
  terminals: Terminals;
  feed: PhoneFeed;
  /** Aborted when the simulator closes, ending any stalled request. */
  closing: AbortSignal;
  log: Logger;
}

/** One conversation on the phone page: a number on one platform. */
export function phoneKey(platformId: string, user: string): string {
  return `${platformId}|${user}`;
}

export abstract class SimPlatform {
  abstract readonly family: 'ctcu' | 'maap';
  readonly accepted = new Map<string, ReceivedMessage>();
  readonly faults = new FaultInjector();
  readonly rate: RateWindow;
  readonly counters: SimulatorStats = { tokenRequests: 0, messageCalls: 0, accepted: 0, duplicates: 0, rejected: {}, callbacksFailed: 0 };
  protected notifyUrl: string | undefined;
  /** User messageIds already shown on the phone (a repeated callback is not a new message). */
  private readonly shownUserMessages = new Set<string>();
  private readonly acceptListeners = new Set<(message: ReceivedMessage) => void>();

  constructor(
    readonly id: string,
    readonly chatbotId: string,
    readonly label: string | undefined,
    private readonly notifyPath: string,
    protected readonly context: SimContext,
  ) {
    this.rate = new RateWindow(context.settings.rateLimitPerSecond);
  }

  /** Where this platform's callbacks go: the bot's notify URL and this chatbot's notify path. */
  setNotifyUrl(base: string | undefined): void {
    this.notifyUrl = base === undefined ? undefined : `${base.replace(/\/$/, '')}${this.notifyPath}`;
  }

  /** The user sends one message part (any content type) to the bot, as the platform would pass it on. */
  abstract sendMessage(user: string, part: InboundPart, overrides?: SendOverrides): Promise<SendResult>;

  /** POSTs any body to a path under the notify URL, authenticated as the platform unless `headers` override it. */
  abstract postRaw(path: string, body: string | object, headers?: Record<string, string>): Promise<CallbackAnswer>;

  /** The last delivery status reported for a message. */
  abstract reportedStatus(messageId: string): string | undefined;

  abstract close(): Promise<void>;

  /** The extra failed callbacks of the platform's reporter. */
  protected abstract failedCallbacks(): number;

  sendText(user: string, text: string, overrides: SendOverrides = {}): Promise<SendResult> {
    return this.sendMessage(user, { contentType: 'text/plain', contentText: text }, overrides);
  }

  /**
   * Calls `listener` with every message the platform accepts from now on, as it is accepted (a
   * load generator that waits for the bot's answer needs it at once, not on its next poll).
   * Returns the unsubscribe.
   */
  onAccepted(listener: (message: ReceivedMessage) => void): () => void {
    this.acceptListeners.add(listener);
    return () => this.acceptListeners.delete(listener);
  }

  /** Keeps an accepted message and tells the listeners. */
  protected keepAccepted(message: ReceivedMessage): void {
    this.accepted.set(message.messageId, message);
    for (const listener of this.acceptListeners) listener(message);
  }

  /** What the bot sent that the platform accepted (each messageId once), optionally for one user. */
  received(user?: string): ReceivedMessage[] {
    const all = [...this.accepted.values()];
    return user === undefined ? all : all.filter((message) => message.user === user);
  }

  /** Waits until `count` messages were received, or `predicate` holds over them. */
  async waitForMessages(until: number | ((received: ReceivedMessage[]) => boolean), timeoutMs = 5000): Promise<ReceivedMessage[]> {
    const done = typeof until === 'number' ? (all: ReceivedMessage[]) => all.length >= until : until;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const all = this.received();
      if (done(all)) return all;
      if (Date.now() > deadline) throw new Error(`waitForMessages(${this.id}): condition not met within ${timeoutMs} ms (${all.length} received)`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Makes the next message calls fail in the given ways. */
  injectFailures(injection: FailureInjection): void {
    this.faults.inject(injection);
  }

  setRateLimit(perSecond: number | undefined): void {
    this.rate.setLimit(perSecond);
  }

  stats(): SimulatorStats {
    return { ...this.counters, rejected: { ...this.counters.rejected }, callbacksFailed: this.failedCallbacks() };
  }

  /** How the phone gets a message to `user`: as a 5G message, as an SMS, or not at all. */
  protected deliveryFor(user: string, smsContent: string | undefined): ReceivedMessage['deliveredAs'] {
    const { non5g, unknown } = this.context.terminals;
    if (unknown.has(user)) return 'none';
    if (non5g.has(user)) return smsContent ? 'sms' : 'none';
    return 'rcs';
  }

  protected showOnPhone(user: string, entry: NewEntry): void {
    this.context.feed.add(phoneKey(this.id, user), entry);
  }

  /** The user's own message on their phone, once per messageId. */
  protected showUserMessage(user: string, messageId: string, entry: NewEntry): void {
    if (this.shownUserMessages.has(messageId)) return;
    this.shownUserMessages.add(messageId);
    this.showOnPhone(user, entry);
  }

  protected countRejection(code: string): void {
    this.counters.rejected[code] = (this.counters.rejected[code] ?? 0) + 1;
  }
}
