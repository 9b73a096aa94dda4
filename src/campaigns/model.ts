/**
 * A broadcast campaign: a policy sent to the directory's contacts who fit a segment and the
 * policy's eligibility, as a card (with an SMS fallback), within a schedule and a rate. Its
 * lifecycle: draft → scheduled → running ⇄ paused → completed | cancelled. Every change of
 * status is a conditional update on the status it leaves, so processes and people acting at once
 * cannot both win.
 */
import { Schema, type Connection, type Model } from 'mongoose';
import type { Criteria } from '../directory/criteria.js';

export const CAMPAIGN_STATUSES = ['draft', 'scheduled', 'running', 'paused', 'completed', 'cancelled'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

/** "HH:MM" in the district's time zone; start after end spans midnight (21:00–08:00). */
export interface QuietHours {
  start: string;
  end: string;
}

export interface Schedule {
  /** Not before (absent: as soon as it is started). */
  startAt?: Date;
  /** Not after: recipients not reached by then are left out (reason windowClosed). */
  endAt?: Date;
  /** No sends between these times each day; null: at any hour. */
  quietHours: QuietHours | null;
}

export interface StaffRef {
  id: string;
  name: string;
}

/** Build-time exclusions: enterprises of the directory that did not become recipients. */
export interface AudienceExclusions {
  /** In the segment but not eligible for the policy, or not in the segment. */
  notEligible: number;
  /** No mobile number to reach. */
  noNumber: number;
  /** Their contact number already receives the message for another enterprise. */
  duplicate: number;
}

export interface Audience extends AudienceExclusions {
  /** Recipients (distinct contact numbers). */
  targeted: number;
  /** Enterprises that fit (before numbers were deduplicated). */
  enterprises: number;
  builtAt: Date;
  buildMs: number;
}

export interface CampaignDocument {
  _id: string;
  name: string;
  policyId: string;
  segment: Criteria;
  /** The card template (cards/templates/campaign-*.yaml). */
  template: string;
  /** Replaces the template's SMS fallback text. */
  smsText?: string;
  schedule: Schedule;
  /** Messages per second for this campaign over all processes (absent: the chatbot's rate). */
  rate?: number;
  /** The chatbot it is sent through. */
  platformId: string;
  status: CampaignStatus;
  /** The preview's count when it was created (and again when started). */
  estimate: number;
  createdBy: StaffRef;
  createdAt: Date;
  approval?: { by: StaffRef; at: Date; estimate: number };
  startedBy?: StaffRef;
  startedAt?: Date;
  completedAt?: Date;
  cancelledAt?: Date;
  /** Why it completed: every recipient handled, or the schedule's end came first. */
  endedBy?: 'done' | 'window';
  /** Set once the recipients are written (by one process, under the build lease). */
  audience?: Audience;
  build?: { owner: string; leaseUntil: Date };
  history: Array<{ at: Date; status: CampaignStatus; by?: string }>;
  /** Why the dispatcher paused it by itself (its policy or template went away). */
  problem?: string;
  /** The last statistics read, kept for when the outbox no longer holds the messages. */
  stats?: Record<string, unknown>;
  updatedAt: Date;
}

// Mixed, not a nested path: with minimize off a nested path would be stored as {} while unset.
const staffRef = { type: Schema.Types.Mixed };

const campaignSchema = new Schema<CampaignDocument>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    policyId: { type: String, required: true },
    segment: { type: Schema.Types.Mixed, required: true },
    template: { type: String, required: true },
    smsText: String,
    schedule: { type: Schema.Types.Mixed, required: true },
    rate: Number,
    platformId: { type: String, required: true },
    status: { type: String, enum: CAMPAIGN_STATUSES, required: true },
    estimate: { type: Number, required: true },
    createdBy: staffRef,
    createdAt: { type: Date, required: true },
    approval: { type: Schema.Types.Mixed },
    startedBy: staffRef,
    startedAt: Date,
    completedAt: Date,
    cancelledAt: Date,
    endedBy: String,
    audience: { type: Schema.Types.Mixed },
    build: { type: Schema.Types.Mixed },
    history: { type: Schema.Types.Mixed, default: () => [] },
    problem: String,
    stats: { type: Schema.Types.Mixed },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'campaigns', versionKey: false, minimize: false },
);
campaignSchema.index({ status: 1 });
campaignSchema.index({ createdAt: -1 });

export type CampaignModel = Model<CampaignDocument>;

export function campaignModel(connection: Connection): CampaignModel {
  return (connection.models.Campaign as CampaignModel | undefined) ?? connection.model<CampaignDocument>('Campaign', campaignSchema);
}
