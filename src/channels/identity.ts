/**
 * Who a user is. A number is a user of one platform (one chatbot on one carrier): the same
 * number writing to the China Mobile chatbot and to the China Telecom one is two users, with two
 * sessions, two reply orders and two delivery histories. `userId` stays the plain `tel:` address
 * (what cards, logs and the carriers use); everything that keys per user uses `userKey`.
 */
export interface PlatformUser {
  platformId: string;
  userId: string;
}

/** The per-user key: sessions, the order of a user's turns and of their replies. */
export function userKey(user: PlatformUser): string {
  return `${user.platformId}|${user.userId}`;
}

/** The id an inbound message is stored and deduplicated under: a messageId is unique per platform only. */
export function inboundRecordId(event: { platformId: string; messageId: string }): string {
  return `${event.platformId}|${event.messageId}`;
}

/** Platform ids go into keys and logs: short, lower-case, no separator. */
export const PLATFORM_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,31}$/;
