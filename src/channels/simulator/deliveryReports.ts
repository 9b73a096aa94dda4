/**
 * The platform's delivery reports. After answering a send, it reports each message's progress
 * (sent → delivered → displayed, sent → deliveredToNetwork for an SMS, failed for an unknown
 * number) with small delays. Reports go out one call at a time, in the order they happened; the
 * ones that pile up while a call is in flight travel together in the next call (up to 200 a call).
 */
import type { Logger } from '../../log.js';
import { notificationPath, postSigned, type CallbackTarget } from './callbacks.js';

export type ReportStatus = 'sent' | 'delivered' | 'displayed' | 'deliveredToNetwork' | 'failed' | 'revokeOk' | 'revokeFail';

interface Report {
  messageId: string;
  status: ReportStatus;
  dateTime: string;
  destinationAddress: string;
  senderAddress: string;
  errorCode?: number;
  errorMessage?: string;
}

/** How often a report call is tried (unless the simulator is told otherwise: a platform retries for longer). */
export const DEFAULT_REPORT_ATTEMPTS = 3;
const MAX_REPORTS_PER_CALL = 200;

export class DeliveryReporter {
  private readonly waiting: Report[] = [];
  private readonly timers = new Map<string, NodeJS.Timeout[]>();
  private readonly progress = new Map<string, ReportStatus>();
  private flushing: Promise<void> | undefined;
  private stopped = false;
  failedCalls = 0;

  constructor(
    private readonly target: CallbackTarget,
    private readonly delayMs: number,
    private readonly log: Logger,
    private readonly attempts = DEFAULT_REPORT_ATTEMPTS,
  ) {}

  /**
   * Plans a message's reports; `steps` in order, one every delayMs. Each step is timed from the
   * one before it: timers of different lengths set together may fire out of order when the event
   * loop was held up, and a report of displayed must never come before delivered.
   */
  plan(messageId: string, user: string, steps: { status: ReportStatus; errorCode?: number; errorMessage?: string }[]): void {
    const next = (index: number): void => {
      const step = steps[index];
      if (!step || this.stopped) {
        this.timers.delete(messageId);
        return;
      }
      this.timers.set(
        messageId,
        [setTimeout(() => {
          this.report(messageId, user, step.status, step.errorCode, step.errorMessage);
          next(index + 1);
        }, this.delayMs)],
      );
    };
    next(0);
  }

  /** Where the message has got to, as last reported. */
  statusOf(messageId: string): ReportStatus | undefined {
    return this.progress.get(messageId);
  }

  /** Recalls a message not yet delivered: its later reports are cancelled. */
  revoke(messageId: string, user: string): boolean {
    const status = this.progress.get(messageId);
    const revocable = status === undefined || status === 'sent';
    if (revocable) {
      for (const timer of this.timers.get(messageId) ?? []) clearTimeout(timer);
    }
    this.report(messageId, user, revocable ? 'revokeOk' : 'revokeFail');
    return revocable;
  }

  private report(messageId: string, user: string, status: ReportStatus, errorCode?: number, errorMessage?: string): void {
    this.progress.set(messageId, status);
    this.waiting.push({
      messageId,
      status,
      dateTime: new Date().toISOString(),
      destinationAddress: this.target.chatbotId,
      senderAddress: user,
      ...(errorCode === undefined ? {} : { errorCode, errorMessage }),
    });
    this.flushing ??= this.flush().finally(() => {
      this.flushing = undefined;
    });
  }

  private async flush(): Promise<void> {
    while (this.waiting.length > 0) {
      const batch = this.waiting.splice(0, MAX_REPORTS_PER_CALL);
      await this.deliver(batch);
    }
  }

  private async deliver(batch: Report[]): Promise<void> {
    for (let attempt = 1; attempt <= this.attempts; attempt++) {
      const answer = await postSigned(this.target, notificationPath('status', this.target.chatbotId), { deliveryInfoList: batch });
      if (answer.status >= 200 && answer.status < 300) return;
      if (this.stopped) return;
      this.log.debug({ status: answer.status, body: answer.body, attempt }, 'delivery report not accepted');
      await new Promise((resolve) => setTimeout(resolve, Math.min(50 * attempt, 1000)));
    }
    this.failedCalls++;
  }

  /** Cancels everything planned and waits for a call in flight. */
  async close(): Promise<void> {
    this.stopped = true;
    for (const timers of this.timers.values()) for (const timer of timers) clearTimeout(timer);
    this.timers.clear();
    this.waiting.length = 0;
    await this.flushing;
  }
}
