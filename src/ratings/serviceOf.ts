/** The service records of what happened: a guide shown for an item, a handoff an agent served, a visit to a hall. */
import type { Catalog } from '../catalog/catalog.js';
import type { Handoff } from '../handoff/handoffs.js';
import { guideServiceId, handoffServiceId, visitServiceId, type NewService } from './records.js';

export interface Served {
  userKey: string;
  userId: string;
  platformId: string;
  conversationId?: string;
  at: Date;
  /** When the bot may ask about it on its own if the conversation goes quiet. */
  askAfter: Date;
}

export function guideService(who: Served, episode: string, itemCode: string, catalog: Catalog): NewService {
  return {
    _id: guideServiceId(who.userKey, episode, itemCode),
    kind: 'guide',
    userKey: who.userKey,
    userId: who.userId,
    platformId: who.platformId,
    ...(who.conversationId ? { conversationId: who.conversationId } : {}),
    item: itemCode,
    ...hallOf(itemCode, catalog),
    servedAt: who.at,
    askAfter: who.askAfter,
  };
}

/** A handoff is a service when an agent took it; one the citizen left while waiting is not. */
export function handoffService(handoff: Handoff, at: Date, askAfter: Date, catalog: Catalog): NewService | undefined {
  if (handoff.takenAt === undefined) return undefined;
  return {
    _id: handoffServiceId(handoff._id),
    kind: 'handoff',
    userKey: handoff.userKey,
    userId: handoff.userId,
    platformId: handoff.platformId,
    ...(handoff.conversationId ? { conversationId: handoff.conversationId } : {}),
    ...(handoff.item ? { item: handoff.item, ...hallOf(handoff.item, catalog) } : {}),
    servedAt: at,
    askAfter,
  };
}

/**
 * A visit to a hall: the citizen with an appointment was called to a window. Its id is the
 * appointment's, so a visit reported twice is one service.
 */
export interface Visit {
  appointmentId: string;
  userKey: string;
  userId: string;
  platformId: string;
  item: string;
  hallId: string;
  /** When the citizen was called to the window. */
  at: Date;
}

/** How long after the call to a window the visit is asked about: the time it takes to be served. */
export const VISIT_ASK_AFTER_MS = 30 * 60_000;

export function visitService(visit: Visit): NewService {
  return {
    _id: visitServiceId(visit.appointmentId),
    kind: 'visit',
    userKey: visit.userKey,
    userId: visit.userId,
    platformId: visit.platformId,
    item: visit.item,
    hallId: visit.hallId,
    servedAt: visit.at,
    askAfter: new Date(visit.at.getTime() + VISIT_ASK_AFTER_MS),
  };
}

function hallOf(itemCode: string, catalog: Catalog): { hallId?: string } {
  const hallId = catalog.item(itemCode)?.hallId;
  return hallId ? { hallId } : {};
}
