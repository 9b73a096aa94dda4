/** The ledger in memory, for transcript tests: the citizen's side of MongoRatingLedger, same behaviour. */
import { dayOf } from './days.js';
import { MAX_SERVICES_PER_QUESTION, newInvitation, type InviteRequest, type RateOutcome, type RatingLedger } from './ledger.js';
import { isNegative, type RatingLevel } from './levels.js';
import type { Invitation, NewService, ServiceRecord } from './records.js';

export interface MemoryRectification {
  id: string;
  level: RatingLevel;
  comment?: string;
  openedAt: Date;
}


export class MemoryRatingLedger implements RatingLedger {
  readonly services: ServiceRecord[] = [];
  readonly invitations: Invitation[] = [];
  readonly rectifications: MemoryRectification[] = [];

  constructor(private readonly timeZone = 'Asia/Shanghai') {}

  async served(service: NewService): Promise<void> {
    if (this.services.some((each) => each._id === service._id)) return;
    this.services.push({ ...service, day: dayOf(service.servedAt, this.timeZone) });
  }

  async invite(request: InviteRequest, now: Date): Promise<Invitation | undefined> {
    if (request.askedIn !== undefined) {
      const earlier = this.invitations.find((invitation) => invitation.askedIn === request.askedIn);
      if (earlier) return earlier.state === 'void' ? undefined : structuredClone(earlier);
    }
    const open = this.services.filter((service) => service.userKey === request.userKey && service.invitation === undefined && service.askAfter !== undefined).slice(-MAX_SERVICES_PER_QUESTION);
    if (open.length === 0) return undefined;
    const invitation = newInvitation(request, open, now);
    if (this.invitations.some((each) => each._id === invitation._id)) return undefined;
    this.invitations.push(invitation);
    for (const service of open) {
      service.invitation = invitation._id;
      service.askedAt = now;
      delete service.askAfter;
    }
    return structuredClone(invitation);
  }

  async invitation(id: string): Promise<Invitation | null> {
    const found = this.invitations.find((invitation) => invitation._id === id);
    return found ? structuredClone(found) : null;
  }

  async outstanding(userKey: string, since: Date): Promise<Invitation | null> {
    const found = this.invitations.filter((invitation) => invitation.userKey === userKey && invitation.state === 'sent' && (invitation.sentAt ?? invitation.createdAt) >= since).at(-1);
    return found ? structuredClone(found) : null;
  }

  async rate(id: string, level: RatingLevel, by: string, now: Date): Promise<RateOutcome> {
    const invitation = this.invitations.find((each) => each._id === id);
    if (!invitation || invitation.state === 'void') return { outcome: 'missing' };
    const covered = this.services.filter((service) => service.invitation === id);
    for (const service of covered) service.rating ??= { level, at: now, by };
    const first = covered[0]?.rating;
    if (!first) return { outcome: 'missing' };
    if (first.by !== by) return { outcome: 'already', level: first.level };
    Object.assign(invitation, { state: 'answered', level, answeredAt: now });
    if (isNegative(level) && !this.rectifications.some((task) => task.id === id)) this.rectifications.push({ id, level, openedAt: now });
    return { outcome: 'rated', invitation: structuredClone(invitation) };
  }

  async comment(id: string, text: string): Promise<boolean> {
    const invitation = this.invitations.find((each) => each._id === id && each.state === 'answered');
    if (!invitation) return false;
    invitation.comment = text;
    for (const service of this.services) if (service.invitation === id && service.rating) service.rating.comment = text;
    const task = this.rectifications.find((each) => each.id === id);
    if (task) task.comment = text;
    return true;
  }
}
