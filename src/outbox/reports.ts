/**
 * How delivery reports change an outbox message. A status only ever moves forward: a report
 * moves it from the statuses listed in MOVES_FROM, stamping the moment; anything else is late or
 * repeated news, of which only the moment is kept (if none was recorded yet).
 *
 * A report that moves a message also sets when it expires (`expiresAt`, the outbox retention):
 * a report can overtake the sender's own record of the send. Any report that moves a message
 * keeps `sentAt` at the earliest moment the platform is known to have had it: a message still
 * recorded as sending gets one (a `failed` for an unknown number can come before the sender has
 * recorded the send).
 *
 * Two ways to apply a call's reports, with the same result:
 *  - planned: read the messages once, work out each one's end state here, and write only those
 *    that change, one guarded update each (most calls: a `sent` report after the sender already
 *    recorded the send changes nothing; `delivered` and `displayed` together are one write);
 *  - in order: one conditional update per report, then one per late report's moment — used when
 *    a guard shows a message changed between the read and the write.
 */
import type { AnyBulkWriteOperation } from 'mongoose';
import type { DeliveryReport, DeliveryStatus } from '../channels/model.js';
import type { OutboxDocument } from './model.js';

type ReportedStatus = DeliveryReport['status'];
type Operation = AnyBulkWriteOperation<OutboxDocument>;
type Stamp = 'sentAt' | 'deliveredAt' | 'displayedAt' | 'failedAt' | 'revokedAt';

/** Reports that never move a message: only news to keep (see newsFields). */
type NewsStatus = 'revokeFailed' | 'unrecognised';

/** From which statuses a report may move a message; anything else is late or repeated news. */
const MOVES_FROM: Record<Exclude<ReportedStatus, NewsStatus>, DeliveryStatus[]> = {
  sent: ['queued', 'sending'],
  delivered: ['queued', 'sending', 'sent'],
  deliveredToNetwork: ['queued', 'sending', 'sent'],
  displayed: ['queued', 'sending', 'sent', 'delivered'],
  failed: ['queued', 'sending', 'sent'],
  revoked: ['queued', 'sending', 'sent'],
};

/** The moment each status is first reached, kept even when the status itself has moved on. */
const STAMP: Partial<Record<ReportedStatus, Stamp>> = {
  sent: 'sentAt',
  delivered: 'deliveredAt',
  deliveredToNetwork: 'deliveredAt',
  displayed: 'displayedAt',
  failed: 'failedAt',
  revoked: 'revokedAt',
};

const RELEASED = { leaseUntil: '', claimedBy: '', claimId: '' } as const;
const REVOKE_FAILED = 'revoke failed';

/** What the planner reads of a message. */
export type ReportedMessage = Pick<OutboxDocument, '_id' | 'status' | 'lastError' | 'unrecognisedStatus' | Stamp>;
export const REPORTED_FIELDS = { status: 1, lastError: 1, unrecognisedStatus: 1, sentAt: 1, deliveredAt: 1, displayedAt: 1, failedAt: 1, revokedAt: 1 } as const;

/** What a report that does not move the message keeps of it. */
function newsFields(status: NewsStatus, report: DeliveryReport): Partial<OutboxDocument> {
  return status === 'revokeFailed' ? { lastError: REVOKE_FAILED } : { unrecognisedStatus: (report.carrierStatus ?? 'unknown').slice(0, 64) };
}

function failureFields(report: DeliveryReport): Partial<OutboxDocument> {
  if (report.status !== 'failed') return {};
  return { ...(report.errorCode === undefined ? {} : { errorCode: report.errorCode }), lastError: report.errorMessage ?? `errorCode ${report.errorCode ?? '?'}` };
}

/**
 * One guarded update per message the reports change, as applying them one by one in order would
 * (see applyInOrder). The guard is the status read and the absence of each moment recorded as
 * late news; a write that matches nothing means the message changed meanwhile.
 */
export function plannedOperations(messages: ReportedMessage[], reports: DeliveryReport[], expiresAt: Date): Operation[] {
  const operations: Operation[] = [];
  for (const message of messages) {
    const own = reports.filter((report) => report.messageId === message._id);
    const state: ReportedMessage = { ...message };
    const set: Partial<OutboxDocument> = {};
    let moved = false;
    for (const report of own) {
      const status = report.status;
      if (status === 'revokeFailed' || status === 'unrecognised') {
        const news = newsFields(status, report);
        if (news.lastError !== undefined && state.lastError !== news.lastError) set.lastError = state.lastError = news.lastError;
        if (news.unrecognisedStatus !== undefined && state.unrecognisedStatus !== news.unrecognisedStatus) {
          set.unrecognisedStatus = state.unrecognisedStatus = news.unrecognisedStatus;
        }
      } else if (MOVES_FROM[status].includes(state.status)) {
        moved = true;
        const at = report.at ?? new Date();
        Object.assign(set, failureFields(report), { status });
        state.status = status;
        const stamp = STAMP[report.status];
        if (stamp && stamp !== 'sentAt') set[stamp] = state[stamp] = at;
        // As moveOperation's $min: the earliest moment the platform is known to have had it.
        if (state.sentAt === undefined || new Date(state.sentAt).getTime() > at.getTime()) set.sentAt = state.sentAt = at;
      }
    }
    const lateStamps: Stamp[] = [];
    for (const report of own) {
      const stamp = STAMP[report.status];
      if (stamp && state[stamp] === undefined) {
        set[stamp] = state[stamp] = report.at ?? new Date();
        lateStamps.push(stamp);
      }
    }
    if (Object.keys(set).length === 0) continue;
    if (moved) set.expiresAt = expiresAt;
    const filter = { _id: message._id, status: message.status, ...Object.fromEntries(lateStamps.map((stamp) => [stamp, { $exists: false }])) };
    operations.push({ updateOne: { filter, update: { $set: set, ...(moved ? { $unset: RELEASED } : {}) } } });
  }
  return operations;
}

/** Moves the status forward if it is behind, stamping the moment; matches nothing for late news. */
export function moveOperation(report: DeliveryReport, expiresAt: Date): Operation {
  const status = report.status;
  if (status === 'revokeFailed' || status === 'unrecognised') {
    return { updateOne: { filter: { _id: report.messageId }, update: { $set: newsFields(status, report) } } };
  }
  const stamp = STAMP[status];
  const at = report.at ?? new Date();
  return {
    updateOne: {
      filter: { _id: report.messageId, status: { $in: MOVES_FROM[status] } },
      // $min: a send already recorded keeps its own moment; one not yet recorded gets the report's.
      update: { $set: { status, expiresAt, ...failureFields(report), ...(stamp && stamp !== 'sentAt' ? { [stamp]: at } : {}) }, $min: { sentAt: at }, $unset: RELEASED },
    },
  };
}

/** Keeps the moment a status was reached when a late report did not move the status. */
export function stampOperation(report: DeliveryReport): Operation[] {
  const stamp = STAMP[report.status];
  if (!stamp) return [];
  return [{ updateOne: { filter: { _id: report.messageId, [stamp]: { $exists: false } }, update: { $set: { [stamp]: report.at ?? new Date() } } } }];
}
