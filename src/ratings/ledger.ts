/**
 * The citizen's side of 好差评, as the conversation uses it: record that a service happened,
 * ask about the services no question covered yet, take the answer and a comment. Two
 * implementations with one behaviour (test/ratings/ledger.test.ts runs the same spec on both):
 * MongoDB for the bot, memory for transcript tests.
 */
import type { LevelNames, RatingLevel } from './levels.js';
import { invitationId, type AskReason, type Invitation, type NewService, type ServiceRecord } from './records.js';

export interface InviteRequest {
  userKey: string;
  reason: AskReason;
  /** Set when a turn asks: the question is part of that turn's replies (sent with them). */
  askedIn?: string;
}

export type RateOutcome = { outcome: 'rated'; invitation: Invitation } | { outcome: 'already'; level: RatingLevel } | { outcome: 'missing' };

export interface RatingLedger {
  /** Records a service; recording the same one again changes nothing. */
  served(service: NewService): Promise<void>;
  /**
   * One question for every service of the user no question covers yet, or undefined when there
   * is none (or another asker, in any process, is asking about them right now). Each service is
   * covered by at most one question, ever. A turn that asked and is run again gets its question back.
   */
  invite(request: InviteRequest, now: Date): Promise<Invitation | undefined>;
  invitation(id: string): Promise<Invitation | null>;
  /** The user's latest question sent since `since` and not answered. */
  outstanding(userKey: string, since: Date): Promise<Invitation | null>;
  /**
   * The answer, once: a second answer to the same question is `already` (with the first level),
   * except from the same message `by` (a rerun turn), which gets `rated` again. A negative
   * answer opens the rectification task.
   */
  rate(id: string, level: RatingLevel, by: string, now: Date): Promise<RateOutcome>;
  /** The comment on a negative answer (on its ratings and its task); false when not answered. */
  comment(id: string, text: string): Promise<boolean>;
}

/** How many services one question covers at most (a long conversation over many items). */
export const MAX_SERVICES_PER_QUESTION = 20;

export const unique = <T>(values: Array<T | undefined>): T[] => [...new Set(values.filter((value): value is T => value !== undefined))];

/**
 * The question about `open` (the citizen's uncovered services, oldest first, at least one): sent
 * with the turn's replies when a turn asks, `claimed` until it is in the outbox when the bot asks
 * on its own. Its id is made of the user and the services, so two askers of the same collide.
 */
export function newInvitation(request: InviteRequest, open: readonly ServiceRecord[], now: Date): Invitation {
  const latest = open.at(-1) as ServiceRecord;
  const ids = open.map((service) => service._id);
  return {
    _id: invitationId(request.userKey, ids),
    userKey: request.userKey,
    userId: latest.userId,
    platformId: latest.platformId,
    ...(latest.conversationId ? { conversationId: latest.conversationId } : {}),
    services: ids,
    items: unique(open.map((service) => service.item)),
    kinds: unique(open.map((service) => service.kind)),
    reason: request.reason,
    ...(request.askedIn !== undefined ? { askedIn: request.askedIn, state: 'sent' as const, sentAt: now } : { state: 'claimed' as const }),
    createdAt: now,
  };
}

/** What the conversation's flows need for 好差评. */
export interface RatingServices {
  ledger: RatingLedger;
  levels: LevelNames;
  /** RATING_IDLE_MINUTES: how long a conversation is quiet before the bot asks on its own. */
  idleMs: number;
  /** RECTIFICATION_WORKING_DAYS: within how many working days a negative rating is answered. */
  workingDays: number;
}
