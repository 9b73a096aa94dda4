/**
 * The rating questions the bot asks on its own, outside a turn: when an agent has closed a
 * handoff, and — found by a background sweep every process runs — half an hour after a citizen
 * was called to a window, and when a conversation with a service in it has gone quiet for
 * RATING_IDLE_MINUTES (the ledger's atomic claims make each question go out once however many
 * processes sweep). Never at night (RATING_QUIET_HOURS): those wait for the morning. Never
 * while the citizen is still talking or waits for an agent. A question is in the outbox under a
 * key of its own before it counts as sent, and the sweep finishes one a crash left half-way, so
 * a restart neither loses nor repeats it.
 */
import type { OutboundQueue } from '../channels/model.js';
import type { Catalog } from '../catalog/catalog.js';
import type { PostbackCodec } from '../conversation/postback.js';
import type { Conversation } from '../conversation/turn.js';
import type { Handoffs } from '../handoff/handoffs.js';
import type { Logger } from '../log.js';
import type { ConversationActivity } from './activity.js';
import type { LevelNames } from './levels.js';
import type { MongoRatingLedger } from './mongoLedger.js';
import { questionReply } from './question.js';
import type { QuietHours } from './quietHours.js';
import type { AskReason, Invitation, ServiceRecord } from './records.js';

/** A question claimed this long ago and not yet sent: its asker stopped; finish it. */
const CLAIM_LEASE_MS = 60_000;
/** A service not asked about within a day (quiet hours, an outage) is not asked about at all. */
export const ASK_WITHIN_MS = 24 * 3_600_000;
const BATCH = 200;

export interface AskerPorts {
  ledger: MongoRatingLedger;
  conversation: Pick<Conversation, 'compose'>;
  outbox: OutboundQueue;
  postbacks: PostbackCodec;
  catalog: Catalog;
  levels: LevelNames;
  activity: ConversationActivity;
  handoffs: Pick<Handoffs, 'findOpen'>;
  quietHours: QuietHours;
  idleMs: number;
  log: Logger;
}

export interface SweepReport {
  finished: number;
  lapsed: number;
  asked: number;
  postponed: number;
}

/** A visit is asked about as a visit (感谢您前来办理); anything else as a conversation gone quiet. */
function reasonFor(services: readonly ServiceRecord[]): AskReason {
  return services.every((service) => service.kind === 'visit') ? 'visit' : 'idle';
}

export class RatingAsker {
  constructor(private readonly ports: AskerPorts) {}

  /** Asks the user now about their services no question covered yet; true when it asked. */
  async askNow(userKey: string, reason: AskReason, now: Date): Promise<boolean> {
    const invitation = await this.ports.ledger.invite({ userKey, reason }, now);
    if (!invitation) return false;
    await this.send(invitation, now);
    return true;
  }

  /** One pass: finish interrupted questions, let old services lapse, ask where a conversation went quiet. */
  async sweep(now: Date): Promise<SweepReport> {
    const { ledger, activity, handoffs, quietHours, idleMs } = this.ports;
    const report: SweepReport = { finished: 0, lapsed: 0, asked: 0, postponed: 0 };
    for (const unfinished of await ledger.unfinished(new Date(now.getTime() - CLAIM_LEASE_MS), BATCH)) {
      const invitation = await ledger.assign(unfinished, now);
      if (invitation) await this.send(invitation, now);
      report.finished++;
    }
    report.lapsed = await ledger.lapse(new Date(now.getTime() - ASK_WITHIN_MS));
    if (quietHours.isQuiet(now)) return report;
    const due = await ledger.due(now, BATCH);
    for (const userKey of new Set(due.map((service) => service.userKey))) {
      const lastTurn = await activity.lastTurnAt(userKey);
      const quietSince = lastTurn === undefined ? undefined : lastTurn.getTime() + idleMs;
      if (quietSince !== undefined && quietSince > now.getTime()) {
        await ledger.postpone(userKey, new Date(quietSince));
        report.postponed++;
      } else if (await handoffs.findOpen(userKey)) {
        await ledger.postpone(userKey, new Date(now.getTime() + idleMs));
        report.postponed++;
      } else if (await this.askNow(userKey, reasonFor(due.filter((service) => service.userKey === userKey)), now)) {
        report.asked++;
      }
    }
    return report;
  }

  /** Sweeps every `intervalMs` until stopped; a failed sweep is logged and the next one tries again. */
  start(intervalMs: number, clock: () => Date = () => new Date()): { stop(): Promise<void> } {
    // One sweep at a time in this process: a slow one is not overtaken by the next tick.
    let inFlight: Promise<void> | undefined;
    const timer = setInterval(() => {
      if (inFlight) return;
      inFlight = this.sweep(clock())
        .then((report) => {
          if (report.asked + report.finished + report.lapsed > 0) this.ports.log.info(report, 'rating sweep');
        })
        .catch((error: unknown) => this.ports.log.error({ err: error }, 'rating sweep failed'))
        .finally(() => (inFlight = undefined));
    }, intervalMs);
    timer.unref();
    return {
      async stop() {
        clearInterval(timer);
        await inFlight;
      },
    };
  }

  private async send(invitation: Invitation, now: Date): Promise<void> {
    const { conversation, outbox, postbacks, catalog, levels, ledger } = this.ports;
    const recipient = { userId: invitation.userId, platformId: invitation.platformId, ...(invitation.conversationId ? { conversationId: invitation.conversationId } : {}) };
    const reply = questionReply(invitation, { action: (name, ...args) => postbacks.encode(name, ...args), catalog, levels });
    for (const [index, message] of conversation.compose(recipient, [reply]).entries()) {
      await outbox.enqueue(message, { dedupeKey: `rating:${invitation._id}:${index}` });
    }
    await ledger.markSent(invitation._id, now);
  }
}
