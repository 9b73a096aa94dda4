/**
 * The persisted inbound message: written before the platform gets its 2xx, keyed by its platform
 * and the carrier's messageId (so a retried callback is recognised), and the unit of work the processor
 * claims. States: received → processing → done, or back to received with a later availableAt
 * after a failed attempt, or failed after too many attempts.
 *
 * A claim is an atomic findOneAndUpdate that moves availableAt one lease ahead: a process that
 * dies mid-turn leaves a record whose lease expires, and any process then claims it again. The
 * process that receives a message writes it already claimed by itself (one write, not two).
 *
 * A message done is kept for a retention period (expiresAt, a TTL index), long enough that the
 * platform's retries of it are still recognised; a message that failed is kept until removed.
 *
 * The collection also keeps the callback keys (see Inbox): a message's key in its own record,
 * under a unique index, so that storing the message and using up its key is one atomic write;
 * the key of any other callback in a small key record of its own ({ _id: { callbackKey } }, no
 * state, so no query for messages ever matches it) that expires once replays are refused by
 * their timestamp anyway.
 */
import { Schema, type Connection, type Model } from 'mongoose';
import { DAY_MS } from '../config.js';
import type { InboundEvent } from '../channels/model.js';
import { inboundRecordId, userKey } from '../channels/identity.js';
import { GroupInsert } from '../db/groupInsert.js';
import type { CallbackKey, ReceiveOutcome } from './inbox.js';
import { GroupComplete } from './groupComplete.js';
import { Batcher } from '../util/batcher.js';

export type InboundState = 'received' | 'processing' | 'done' | 'failed';

export interface InboundRecord {
  /** platformId + messageId (channels/identity.ts): a messageId is unique per platform only. */
  _id: string;
  channel: string;
  userId: string;
  /** The user on their platform (channels/identity.ts): one user's turns run in order. */
  userKey: string;
  event: InboundEvent;
  state: InboundState;
  attempts: number;
  /** When the record may next be claimed (now, the end of a lease, or a retry time). */
  availableAt: Date;
  owner?: string;
  receivedAt: Date;
  processedAt?: Date;
  lastError?: string;
  /** The key of the callback that delivered the message, unique across every callback. */
  callbackKey?: string;
  /** Once done: when the TTL index removes the record. */
  expiresAt?: Date;
}

/** A message about to run: may it, or must another of its user go first? */
interface BlockerCheck {
  record: Pick<InboundRecord, '_id' | 'userKey' | 'receivedAt'>;
  owner: string;
  now: Date;
}

/** A used-up key of a callback that carried no message. */
interface CallbackKeyRecord {
  _id: { callbackKey: string };
  callbackKey: string;
  expiresAt: Date;
}

const CALLBACK_KEY_INDEX = 'callbackKey_1';

const CLAIMABLE: InboundState[] = ['received', 'processing'];
const DEFAULT_RETENTION_MS = 7 * DAY_MS;

export class InboundStore {
  readonly model: Model<InboundRecord>;
  private readonly inserts: GroupInsert;
  private readonly completions: GroupComplete;
  private readonly blockerChecks = new Batcher<BlockerCheck, string | undefined>((checks) => this.findBlockers(checks));

  /** `retentionMs`: how long a message done is kept (see INBOUND_RETENTION_DAYS). */
  constructor(connection: Connection, options: { retentionMs?: number } = {}) {
    const schema = new Schema<InboundRecord>(
      {
        _id: { type: String, required: true },
        channel: { type: String, required: true },
        userId: { type: String, required: true },
        userKey: { type: String, required: true },
        event: { type: Schema.Types.Mixed, required: true },
        state: { type: String, required: true, enum: ['received', 'processing', 'done', 'failed'] },
        attempts: { type: Number, required: true },
        availableAt: { type: Date, required: true },
        owner: String,
        receivedAt: { type: Date, required: true },
        processedAt: Date,
        lastError: String,
        callbackKey: String,
        expiresAt: Date,
      },
      { versionKey: false, collection: 'inboundMessages' },
    );
    schema.index({ state: 1, availableAt: 1 });
    // A user's unfinished messages, oldest first: the turn of one waits for those before it.
    schema.index({ userKey: 1, state: 1, receivedAt: 1 });
    schema.index({ callbackKey: 1 }, { name: CALLBACK_KEY_INDEX, unique: true, partialFilterExpression: { callbackKey: { $exists: true } } });
    // Key records and messages done have expiresAt. Sparse rather than partial: the TTL sweep
    // then reads the expired records off the index instead of scanning every message.
    schema.index({ expiresAt: 1 }, { expireAfterSeconds: 0, sparse: true });
    this.model = connection.models.InboundMessage ?? connection.model<InboundRecord>('InboundMessage', schema);
    this.inserts = new GroupInsert(() => this.model.collection);
    this.completions = new GroupComplete(this.model, options.retentionMs ?? DEFAULT_RETENTION_MS);
  }

  async init(): Promise<void> {
    await this.model.init();
  }

  /**
   * Persists a new message, claimed by `claim.owner` for `claim.leaseMs` when given (the receiving
   * process handles it at once), else claimable by anyone now. 'duplicate' when this messageId
   * was already recorded; with a `callbackKey`, 'replayed' (and nothing stored) when any callback
   * already used that key — the key is taken in the same write as the message.
   */
  async record(
    event: InboundEvent,
    options: { claim?: { owner: string; leaseMs: number }; callbackKey?: CallbackKey } = {},
    now = new Date(),
  ): Promise<ReceiveOutcome> {
    const { claim, callbackKey } = options;
    const record: InboundRecord = {
      _id: inboundRecordId(event),
      channel: event.channel,
      userId: event.userId,
      userKey: userKey(event),
      event,
      state: claim ? 'processing' : 'received',
      attempts: claim ? 1 : 0,
      availableAt: claim ? new Date(now.getTime() + claim.leaseMs) : now,
      receivedAt: now,
      ...(claim ? { owner: claim.owner } : {}),
      ...(callbackKey === undefined ? {} : { callbackKey: callbackKey.key }),
    };
    const result = await this.inserts.insertReporting(record);
    if (result.outcome === 'inserted') return 'new';
    if (result.index === CALLBACK_KEY_INDEX) return 'replayed';
    // A repeat of a message already stored (the platform retries with a new key): its key is
    // used up all the same, or the retry's headers could carry a made-up message later.
    if (callbackKey === undefined) return 'duplicate';
    return (await this.takeCallbackKey(callbackKey)) ? 'duplicate' : 'replayed';
  }

  /** Uses up the key of a callback that carries no message; false when a callback already used it. */
  async takeCallbackKey({ key, keepUntil }: CallbackKey): Promise<boolean> {
    const record: CallbackKeyRecord = { _id: { callbackKey: key }, callbackKey: key, expiresAt: keepUntil };
    return (await this.inserts.insert(record)) === 'inserted';
  }

  /** Takes the record (by its id, see inboundRecordId) for `leaseMs` if it is claimable now; null when another process has it or it is finished. */
  async claim(messageId: string, owner: string, leaseMs: number, now = new Date()): Promise<InboundRecord | null> {
    return this.model
      .findOneAndUpdate(
        { _id: messageId, state: { $in: CLAIMABLE }, availableAt: { $lte: now } },
        { $set: { state: 'processing', owner, availableAt: new Date(now.getTime() + leaseMs) }, $inc: { attempts: 1 } },
        { returnDocument: 'after' },
      )
      .lean<InboundRecord>()
      .exec();
  }

  /** Claimable records, oldest first (so one user's messages are taken in the order received). */
  async findClaimable(limit: number, now = new Date()): Promise<Array<Pick<InboundRecord, '_id' | 'userKey'>>> {
    return this.model
      .find({ state: { $in: CLAIMABLE }, availableAt: { $lte: now } }, { _id: 1, userKey: 1 })
      .sort({ receivedAt: 1 })
      .limit(limit)
      .lean<Array<Pick<InboundRecord, '_id' | 'userKey'>>>()
      .exec();
  }

  /**
   * Another unfinished message of the same user that must go first: one received earlier (in
   * whatever state, so a user's turns run in the order their messages arrived), or one that
   * another process is handling right now. Undefined when this message may run. Concurrent
   * checks share one query (the unfinished messages of all their users).
   */
  findBlocker(record: Pick<InboundRecord, '_id' | 'userKey' | 'receivedAt'>, owner: string, now = new Date()): Promise<string | undefined> {
    return this.blockerChecks.submit({ record, owner, now });
  }

  private async findBlockers(checks: BlockerCheck[]): Promise<Array<string | undefined>> {
    const users = [...new Set(checks.map((check) => check.record.userKey))];
    const unfinished = await this.model
      .find({ userKey: { $in: users }, state: { $in: CLAIMABLE } }, { _id: 1, userKey: 1, state: 1, owner: 1, receivedAt: 1, availableAt: 1 })
      .lean<Array<Pick<InboundRecord, '_id' | 'userKey' | 'state' | 'owner' | 'receivedAt' | 'availableAt'>>>()
      .exec();
    return checks.map(({ record, owner, now }) => {
      const mine = new Date(record.receivedAt).getTime();
      const first = unfinished.find((other) => {
        if (other.userKey !== record.userKey || other._id === record._id) return false;
        const theirs = new Date(other.receivedAt).getTime();
        if (theirs < mine || (theirs === mine && other._id < record._id)) return true;
        return other.state === 'processing' && other.owner !== owner && new Date(other.availableAt) > now;
      });
      return first?._id;
    });
  }

  /** Hands a claimed message back untouched, to be claimed again from `retryAt`; the attempt does not count. */
  async defer(messageId: string, owner: string, retryAt: Date): Promise<void> {
    await this.model.updateOne({ _id: messageId, owner, state: 'processing' }, { $set: { state: 'received', availableAt: retryAt }, $inc: { attempts: -1 } }).exec();
  }

  /** Marks the message done, if `owner` still holds it. */
  complete(messageId: string, owner: string): Promise<void> {
    return this.completions.complete(messageId, owner);
  }

  /** A failed attempt: retry at `retryAt`, or give up when `retryAt` is undefined. */
  async release(messageId: string, owner: string, error: string, retryAt: Date | undefined): Promise<void> {
    const update =
      retryAt === undefined
        ? { state: 'failed' as const, lastError: error, processedAt: new Date() }
        : { state: 'received' as const, lastError: error, availableAt: retryAt };
    await this.model.updateOne({ _id: messageId, owner }, { $set: update }).exec();
  }

  async get(messageId: string): Promise<InboundRecord | null> {
    return this.model.findById(messageId).lean<InboundRecord>().exec();
  }

  async countByState(state: InboundState): Promise<number> {
    return this.model.countDocuments({ state }).exec();
  }
}
