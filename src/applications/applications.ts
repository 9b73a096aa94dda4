/**
 * Applications citizens have filed (办件), looked up by their number for the progress query.
 * In production the records come from the district's approval system; here they live in the
 * `applications` collection, seeded with demo records on a first start (demoApplications.ts).
 */
import { Schema, type Connection, type Model } from 'mongoose';
import { isDuplicateKey } from '../db/duplicateKey.js';

export const APPLICATION_STATUSES = ['accepted', 'reviewing', 'needs_supplement', 'completed', 'rejected'] as const;
/** 已受理, 审核中, 待补正, 已办结, 不予受理 — worded in cards/templates/progress-status.yaml. */
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

export interface ApplicationRecord {
  /** The application number, e.g. NS202611280042. */
  _id: string;
  itemCode: string;
  status: ApplicationStatus;
  submittedAt: Date;
  updatedAt: Date;
  history: Array<{ status: ApplicationStatus; at: Date }>;
  /** Needs supplement: the materials to hand in. */
  supplement?: string[];
  /** Rejected: the condition not met. */
  reason?: string;
  /** Completed: how the result reaches the applicant. */
  delivery?: 'post' | 'window' | 'online';
}

export interface ApplicationLookup {
  find(number: string): Promise<ApplicationRecord | null>;
}

/** District prefix NS, the filing date (8 digits) and a 4-digit sequence: NS202611280042. */
const NUMBER = /NS(\d{12})(?!\d)/i;
/** Something the citizen meant as a number: NS and digits, or a run of four digits or more. */
const NUMBER_ATTEMPT = /NS[\s-]*\d[\d\s-]*|[A-Za-z]{0,4}\d{4}[\d\s-]*/i;

export type NumberInText = { kind: 'number'; number: string } | { kind: 'malformed'; text: string } | { kind: 'absent' };

/** Finds an application number in what the citizen typed (spaces, dashes and case forgiven). */
export function findApplicationNumber(text: string): NumberInText {
  const normalized = text.normalize('NFKC');
  const match = NUMBER.exec(normalized.replace(/[\s-]/g, ''));
  if (match) return { kind: 'number', number: `NS${match[1]}` };
  const attempt = NUMBER_ATTEMPT.exec(normalized);
  return attempt ? { kind: 'malformed', text: attempt[0].trim() } : { kind: 'absent' };
}

export class MongoApplications implements ApplicationLookup {
  readonly model: Model<ApplicationRecord>;

  constructor(connection: Connection) {
    const schema = new Schema<ApplicationRecord>(
      {
        _id: { type: String, required: true },
        itemCode: { type: String, required: true },
        status: { type: String, required: true, enum: APPLICATION_STATUSES },
        submittedAt: { type: Date, required: true },
        updatedAt: { type: Date, required: true },
        history: [{ _id: false, status: { type: String, enum: APPLICATION_STATUSES }, at: Date }],
        supplement: { type: [String], default: undefined },
        reason: String,
        delivery: { type: String, enum: ['post', 'window', 'online'] },
      },
      { versionKey: false, collection: 'applications' },
    );
    this.model = connection.models.Application ?? connection.model<ApplicationRecord>('Application', schema);
  }

  find(number: string): Promise<ApplicationRecord | null> {
    return this.model.findById(number).lean<ApplicationRecord>().exec();
  }

  /** Inserts the records when the collection is empty (a first start); true when it did. */
  async seedIfEmpty(records: readonly ApplicationRecord[]): Promise<boolean> {
    if ((await this.model.estimatedDocumentCount().exec()) > 0) return false;
    await this.model.insertMany(records, { ordered: false }).catch((error: unknown) => {
      // Another process seeding at the same moment: its records are the same ones.
      if (!isDuplicateKey(error)) throw error;
    });
    return true;
  }
}

export class MemoryApplications implements ApplicationLookup {
  private readonly records: Map<string, ApplicationRecord>;

  constructor(records: readonly ApplicationRecord[]) {
    this.records = new Map(records.map((record) => [record._id, record]));
  }

  async find(number: string): Promise<ApplicationRecord | null> {
    return this.records.get(number) ?? null;
  }
}
