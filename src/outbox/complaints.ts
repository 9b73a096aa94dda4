/**
 * Users who complained that the chatbot's messages are spam. A complaint is recorded per user
 * (platform + number, with the last reports) and blocks the user: nothing more is sent to them
 * unless they write first — a reply to a message they wrote after the complaint goes out and
 * lifts the block. The sender screens each batch it is about to send with one read.
 */
import { Schema, type Connection, type Model } from 'mongoose';
import type { ComplaintSink, SpamReport } from '../channels/model.js';
import { userKey } from '../channels/identity.js';
import type { OutboxDocument, OutboxModel } from './model.js';

interface RecordedReport {
  reportId?: string;
  messageIds: string[];
  spamType?: string;
  freeText?: string;
  at: Date;
}

export interface ComplaintDocument {
  /** The user's key (channels/identity.ts). */
  _id: string;
  platformId: string;
  userId: string;
  /** Set while the user is not to be messaged: the time of their latest complaint. */
  blockedSince?: Date;
  reports: RecordedReport[];
}

const KEPT_REPORTS = 20;

const complaintSchema = new Schema<ComplaintDocument>(
  {
    _id: { type: String, required: true },
    platformId: { type: String, required: true },
    userId: { type: String, required: true },
    blockedSince: Date,
    reports: { type: Schema.Types.Mixed, default: () => [] },
  },
  { collection: 'complaints', versionKey: false },
);

/** What the sender does with a message of a user who complained. */
export type Screening = { kind: 'send' } | { kind: 'sendAndLift'; blockedSince: Date } | { kind: 'withhold'; reason: string };

export class Complaints implements ComplaintSink {
  readonly model: Model<ComplaintDocument>;

  constructor(
    connection: Connection,
    private readonly outbox: OutboxModel,
  ) {
    this.model = (connection.models.Complaint as Model<ComplaintDocument> | undefined) ?? connection.model<ComplaintDocument>('Complaint', complaintSchema);
  }

  /** Records the report and blocks its user; a report naming no user is traced through the messages it reports. */
  async recordSpamReport(report: SpamReport): Promise<void> {
    const userId = report.userId ?? (await this.userOfMessages(report.platformId, report.messageIds));
    if (userId === undefined) return;
    const key = userKey({ platformId: report.platformId, userId });
    if (report.reportId !== undefined && (await this.model.exists({ _id: key, 'reports.reportId': report.reportId }))) return;
    const recorded: RecordedReport = { messageIds: report.messageIds, at: report.at };
    if (report.reportId !== undefined) recorded.reportId = report.reportId;
    if (report.spamType !== undefined) recorded.spamType = report.spamType;
    if (report.freeText !== undefined) recorded.freeText = report.freeText;
    await this.model.updateOne(
      { _id: key },
      { $set: { platformId: report.platformId, userId }, $max: { blockedSince: report.at }, $push: { reports: { $each: [recorded], $slice: -KEPT_REPORTS } } },
      { upsert: true },
    );
  }

  /** How each message of the batch is to be treated, by its user's complaint (one read for the batch). */
  async screen(documents: OutboxDocument[]): Promise<Map<string, Screening>> {
    const screening = new Map<string, Screening>();
    if (documents.length === 0) return screening;
    const keys = [...new Set(documents.map((document) => document.userKey))];
    const blocked = await this.model.find({ _id: { $in: keys }, blockedSince: { $exists: true } }, { blockedSince: 1 }).lean<Pick<ComplaintDocument, '_id' | 'blockedSince'>[]>();
    const since = new Map(blocked.map((row) => [row._id, row.blockedSince as Date]));
    for (const document of documents) {
      const blockedSince = since.get(document.userKey);
      if (blockedSince === undefined) continue;
      const wroteAfter = document.userWroteAt !== undefined && new Date(document.userWroteAt).getTime() > new Date(blockedSince).getTime();
      screening.set(
        document._id,
        wroteAfter ? { kind: 'sendAndLift', blockedSince } : { kind: 'withhold', reason: `withheld: the user reported spam at ${new Date(blockedSince).toISOString()} and has not written since` },
      );
    }
    return screening;
  }

  /** The user wrote after complaining: messages may go to them again (unless they complained once more meanwhile). */
  async lift(key: string, blockedSince: Date): Promise<void> {
    await this.model.updateOne({ _id: key, blockedSince }, { $unset: { blockedSince: '' } });
  }

  find(key: string): Promise<ComplaintDocument | null> {
    return this.model.findById(key).lean<ComplaintDocument>().exec();
  }

  private async userOfMessages(platformId: string, messageIds: string[]): Promise<string | undefined> {
    if (messageIds.length === 0) return undefined;
    const sent = await this.outbox.findOne({ _id: { $in: messageIds }, platformId }, { userId: 1 }).lean<Pick<OutboxDocument, 'userId'>>();
    return sent?.userId;
  }
}
