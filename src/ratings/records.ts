/**
 * What 好差评 stores. A service record is written when a service happens — a guide shown for an
 * item (one per item per conversation), a handoff an agent served, later a visit — so that the
 * rating rate is rated services over services. Its rating, when the citizen gives one, is kept on
 * the record itself: one rating per service by construction. An invitation is one question sent
 * to a citizen, covering the services of theirs that no question covered yet (usually one).
 */
import { createHash } from 'node:crypto';
import { Schema, type Connection, type Model } from 'mongoose';
import type { LocalDay } from './days.js';
import { RATING_LEVELS, type RatingLevel } from './levels.js';

export const SERVICE_KINDS = ['guide', 'handoff', 'visit'] as const;
export type ServiceKind = (typeof SERVICE_KINDS)[number];

/** Why the question was asked: the conversation ended (thanks, goodbye, idle), a handoff was closed, the citizen asked to give feedback. */
export const ASK_REASONS = ['thanks', 'goodbye', 'idle', 'handoff-closed', 'handoff-ended', 'feedback', 'visit'] as const;
export type AskReason = (typeof ASK_REASONS)[number];

export interface Rating {
  level: RatingLevel;
  at: Date;
  /** The message that gave it: a rerun of that turn recognises its own rating. */
  by: string;
  comment?: string;
}

export interface ServiceRecord {
  _id: string;
  kind: ServiceKind;
  userKey: string;
  userId: string;
  /** The channel of the statistics. */
  platformId: string;
  conversationId?: string;
  item?: string;
  hallId?: string;
  servedAt: Date;
  /** The district's day of servedAt. */
  day: LocalDay;
  /** Present while no question covers it: from then on the bot may ask on its own (idle). */
  askAfter?: Date;
  invitation?: string;
  askedAt?: Date;
  /** Never asked: too old by the time it could have been. */
  lapsed?: boolean;
  rating?: Rating;
}

export type NewService = Pick<ServiceRecord, '_id' | 'kind' | 'userKey' | 'userId' | 'platformId' | 'conversationId' | 'item' | 'hallId' | 'servedAt'> & { askAfter: Date };

export const INVITATION_STATES = ['claimed', 'sent', 'answered', 'void'] as const;
export type InvitationState = (typeof INVITATION_STATES)[number];

export interface Invitation {
  _id: string;
  userKey: string;
  userId: string;
  platformId: string;
  conversationId?: string;
  services: string[];
  items: string[];
  kinds: ServiceKind[];
  reason: AskReason;
  /** The message whose turn asked, so a rerun of that turn asks the same question again. */
  askedIn?: string;
  /** claimed: its services are being assigned or it is not sent yet; void: another question took them all. */
  state: InvitationState;
  createdAt: Date;
  sentAt?: Date;
  answeredAt?: Date;
  level?: RatingLevel;
  comment?: string;
}

/** The same user and the same services give the same id, so two askers racing collide on it. */
export function invitationId(userKey: string, services: readonly string[]): string {
  return createHash('sha256').update(`${userKey}\n${[...services].sort().join('\n')}`).digest('hex').slice(0, 32);
}

/** A guide service: one per item per conversation (`episode`: the id of the conversation's first service turn). */
export function guideServiceId(userKey: string, episode: string, item: string): string {
  return `guide|${userKey}|${episode}|${item}`;
}

export function handoffServiceId(handoffId: string): string {
  return `handoff|${handoffId}`;
}

export function visitServiceId(appointmentId: string): string {
  return `visit|${appointmentId}`;
}

export function serviceModel(connection: Connection): Model<ServiceRecord> {
  const existing = connection.models.RatedService as Model<ServiceRecord> | undefined;
  if (existing) return existing;
  const schema = new Schema<ServiceRecord>(
    {
      _id: { type: String, required: true },
      kind: { type: String, required: true, enum: SERVICE_KINDS },
      userKey: { type: String, required: true },
      userId: { type: String, required: true },
      platformId: { type: String, required: true },
      conversationId: String,
      item: String,
      hallId: String,
      servedAt: { type: Date, required: true },
      day: { type: String, required: true },
      askAfter: Date,
      invitation: String,
      askedAt: Date,
      lapsed: Boolean,
      rating: { _id: false, type: { level: { type: Number, enum: RATING_LEVELS, required: true }, at: { type: Date, required: true }, by: { type: String, required: true }, comment: String }, default: undefined },
    },
    { versionKey: false, collection: 'ratedServices' },
  );
  schema.index({ userKey: 1, servedAt: 1 });
  // Only services no question covers yet carry askAfter: the idle sweep's index stays small.
  schema.index({ askAfter: 1 }, { sparse: true });
  schema.index({ invitation: 1 }, { sparse: true });
  schema.index({ day: 1 });
  schema.index({ 'rating.at': -1 }, { sparse: true });
  return connection.model<ServiceRecord>('RatedService', schema);
}

export function invitationModel(connection: Connection): Model<Invitation> {
  const existing = connection.models.RatingInvitation as Model<Invitation> | undefined;
  if (existing) return existing;
  const schema = new Schema<Invitation>(
    {
      _id: { type: String, required: true },
      userKey: { type: String, required: true },
      userId: { type: String, required: true },
      platformId: { type: String, required: true },
      conversationId: String,
      services: { type: [String], required: true },
      items: { type: [String], default: [] },
      kinds: { type: [String], enum: SERVICE_KINDS, default: [] },
      reason: { type: String, required: true, enum: ASK_REASONS },
      askedIn: String,
      state: { type: String, required: true, enum: INVITATION_STATES },
      createdAt: { type: Date, required: true },
      sentAt: Date,
      answeredAt: Date,
      level: { type: Number, enum: RATING_LEVELS },
      comment: String,
    },
    { versionKey: false, collection: 'ratingInvitations' },
  );
  schema.index({ askedIn: 1 }, { sparse: true });
  schema.index({ state: 1, createdAt: 1 });
  schema.index({ userKey: 1, createdAt: -1 });
  return connection.model<Invitation>('RatingInvitation', schema);
}
