/**
 * The ledger in MongoDB. Asking exactly once rests on two atomic steps that hold across
 * processes and restarts:
 *
 * 1. The question is inserted under an id made of the user and the services it covers, so two
 *    askers seeing the same open services (the idle sweep in two processes, or the sweep and a
 *    citizen's "谢谢" at the same moment) collide on the unique _id and only one asks.
 * 2. Each service is then given to the question by a conditional update (`invitation` unset), so
 *    a service is covered by one question at most even when two askers saw different services.
 *    A question left with none is void and never sent.
 *
 * A question asked by a turn is sent as part of that turn's replies; one asked by the bot on its
 * own stays `claimed` until it is in the outbox, and the sweep finishes one a crash left behind.
 */
import type { Collection } from 'mongodb';
import type { Connection, Model } from 'mongoose';
import { isDuplicateKey } from '../db/duplicateKey.js';
import { GroupInsert } from '../db/groupInsert.js';
import { withoutUndefined } from '../util/withoutUndefined.js';
import { dayOf } from './days.js';
import { MAX_SERVICES_PER_QUESTION, newInvitation, unique, type InviteRequest, type RateOutcome, type RatingLedger } from './ledger.js';
import { isNegative, type RatingLevel } from './levels.js';
import { invitationModel, serviceModel, type Invitation, type NewService, type ServiceRecord } from './records.js';
import type { RectificationStore } from './rectifications.js';


export class MongoRatingLedger implements RatingLedger {
  readonly services: Model<ServiceRecord>;
  readonly invitations: Model<Invitation>;
  /** Guide services are recorded on turns' paths: concurrent turns' records share a round trip. */
  private readonly serviceInserts: GroupInsert;

  constructor(
    connection: Connection,
    readonly rectifications: RectificationStore,
    private readonly timeZone: string,
  ) {
    this.services = serviceModel(connection);
    this.invitations = invitationModel(connection);
    this.serviceInserts = new GroupInsert(() => this.services.collection as unknown as Collection);
  }

  async init(): Promise<void> {
    await Promise.all([this.services.init(), this.invitations.init(), this.rectifications.init()]);
  }

  /** Recorded once: the service's id says which service it is, so a repeat is a duplicate and ignored. */
  async served(service: NewService): Promise<void> {
    await this.serviceInserts.insert(withoutUndefined({ ...service, day: dayOf(service.servedAt, this.timeZone) }));
  }

  async invite(request: InviteRequest, now: Date): Promise<Invitation | undefined> {
    if (request.askedIn !== undefined) {
      const earlier = await this.invitations.findOne({ askedIn: request.askedIn }).lean<Invitation>().exec();
      if (earlier) return earlier.state === 'void' ? undefined : earlier;
    }
    const open = await this.services
      .find({ userKey: request.userKey, invitation: { $exists: false }, askAfter: { $exists: true } })
      .sort({ servedAt: -1 })
      .limit(MAX_SERVICES_PER_QUESTION)
      .lean<ServiceRecord[]>()
      .exec();
    if (open.length === 0) return undefined;
    const invitation = newInvitation(request, open.reverse(), now);
    try {
      await this.invitations.create(invitation);
    } catch (error) {
      if (isDuplicateKey(error)) return undefined;
      throw error;
    }
    return this.assign(invitation, now);
  }

  /**
   * Gives the question its services that no other question took; the rest stay with the other.
   * Safe to run again (the sweep finishes a question a crash interrupted).
   */
  async assign(invitation: Invitation, now: Date): Promise<Invitation | undefined> {
    await this.services
      .updateMany({ _id: { $in: invitation.services }, invitation: { $exists: false } }, { $set: { invitation: invitation._id, askedAt: now }, $unset: { askAfter: 1 } })
      .exec();
    const mine = await this.services.find({ invitation: invitation._id }).sort({ servedAt: 1 }).lean<ServiceRecord[]>().exec();
    if (mine.length === 0) {
      await this.invitations.updateOne({ _id: invitation._id }, { $set: { state: 'void' } }).exec();
      return undefined;
    }
    if (mine.length === invitation.services.length) return invitation;
    const covered = { services: mine.map((service) => service._id), items: unique(mine.map((service) => service.item)), kinds: unique(mine.map((service) => service.kind)) };
    await this.invitations.updateOne({ _id: invitation._id }, { $set: covered }).exec();
    return { ...invitation, ...covered };
  }

  /** A question the bot asked on its own is in the outbox. */
  async markSent(id: string, now: Date): Promise<void> {
    await this.invitations.updateOne({ _id: id, state: 'claimed' }, { $set: { state: 'sent', sentAt: now } }).exec();
  }

  /** Questions claimed before `cutoff` and still not sent: their asker stopped half-way. */
  unfinished(cutoff: Date, limit: number): Promise<Invitation[]> {
    return this.invitations.find({ state: 'claimed', createdAt: { $lt: cutoff } }).sort({ createdAt: 1 }).limit(limit).lean<Invitation[]>().exec();
  }

  invitation(id: string): Promise<Invitation | null> {
    return this.invitations.findById(id).lean<Invitation>().exec();
  }

  outstanding(userKey: string, since: Date): Promise<Invitation | null> {
    return this.invitations.findOne({ userKey, state: 'sent', sentAt: { $gte: since } }).sort({ createdAt: -1 }).lean<Invitation>().exec();
  }

  async rate(id: string, level: RatingLevel, by: string, now: Date): Promise<RateOutcome> {
    const invitation = await this.invitation(id);
    if (!invitation || invitation.state === 'void') return { outcome: 'missing' };
    await this.services.updateMany({ invitation: id, rating: { $exists: false } }, { $set: { rating: { level, at: now, by } } }).exec();
    const rated = await this.services.find({ invitation: id }).lean<ServiceRecord[]>().exec();
    const first = rated.find((service) => service.rating !== undefined)?.rating;
    if (!first) return { outcome: 'missing' };
    if (first.by !== by) return { outcome: 'already', level: first.level };
    await this.invitations.updateOne({ _id: id }, { $set: { state: 'answered', level, answeredAt: now } }).exec();
    if (isNegative(level)) await this.rectifications.open(invitation, level, unique(rated.map((service) => service.hallId)), now);
    return { outcome: 'rated', invitation: { ...invitation, state: 'answered', level, answeredAt: now } };
  }

  async comment(id: string, text: string): Promise<boolean> {
    const answered = await this.invitations.findOneAndUpdate({ _id: id, state: 'answered' }, { $set: { comment: text } }).lean<Invitation>().exec();
    if (!answered) return false;
    await this.services.updateMany({ invitation: id, rating: { $exists: true } }, { $set: { 'rating.comment': text } }).exec();
    await this.rectifications.addComment(id, text);
    return true;
  }

  /** Services no question covers, whose time to be asked about has come (oldest first). */
  due(now: Date, limit: number): Promise<ServiceRecord[]> {
    return this.services.find({ askAfter: { $lte: now } }).sort({ askAfter: 1 }).limit(limit).lean<ServiceRecord[]>().exec();
  }

  /** Not before `until`: the user is still talking, in a handoff, or it is night. */
  async postpone(userKey: string, until: Date): Promise<void> {
    await this.services.updateMany({ userKey, invitation: { $exists: false }, askAfter: { $exists: true, $lt: until } }, { $set: { askAfter: until } }).exec();
  }

  /** Services served before `cutoff` and never asked about: too late to ask now. */
  async lapse(cutoff: Date): Promise<number> {
    const result = await this.services.updateMany({ askAfter: { $exists: true }, invitation: { $exists: false }, servedAt: { $lt: cutoff } }, { $set: { lapsed: true }, $unset: { askAfter: 1 } }).exec();
    return result.modifiedCount;
  }
}
