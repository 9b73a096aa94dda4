/**
 * The dispatcher, one in every bot process: it moves campaigns along their schedule and hands
 * their recipients to the outbox. Everything it decides is decided in the store, so any number of
 * processes may dispatch one campaign at once, and a process killed at any moment leaves nothing
 * lost or doubled: a recipient batch is claimed atomically (a crashed process's batch comes back
 * when its lease ends), each message enters the outbox under a dedupe key of its own (handed over
 * twice, it is stored once), and a recipient is marked done only after its message is stored.
 *
 * Pace: the sender keeps a campaign's rate (shared by all processes, ratelimit/) with each
 * chatbot's, replies first; the dispatcher only keeps the outbox fed — no batch is claimed while
 * it already holds a backlog of campaign traffic, or of this campaign's (two seconds' worth).
 */
import type { Logger } from '../log.js';
import type { EnterpriseModel } from '../directory/enterprise.js';
import type { Outbox } from '../outbox/outbox.js';
import type { Policies } from '../policies/policies.js';
import { scanAudience, type Candidate } from './audience.js';
import { campaignDedupeKey, type CampaignMessages } from './messages.js';
import type { Audience, CampaignDocument, CampaignModel, CampaignStatus } from './model.js';
import { recipientId, type Recipient, type RecipientClaims, type RecipientModel, type SendExclusion } from './recipients.js';
import { sendWindow } from './schedule.js';
import type { SendScreen } from './screening.js';
import { insertIgnoringDuplicates } from './insertMany.js';
import { composedFor } from './composer.js';

export interface DispatcherTuning {
  /** How often campaigns are looked at when there is nothing to do. */
  pollMs: number;
  /** Recipients claimed at once. */
  batch: number;
  /** No batch is claimed while this many campaign messages wait in the outbox. */
  highWater: number;
  /** How long a claimed batch (or an audience build) is a process's before another takes it over. */
  leaseMs: number;
}

export const DEFAULT_DISPATCHER_TUNING: DispatcherTuning = { pollMs: 500, batch: 200, highWater: 600, leaseMs: 60_000 };

export interface DispatcherDeps {
  campaigns: CampaignModel;
  recipients: RecipientModel;
  claims: RecipientClaims;
  enterprises: EnterpriseModel;
  policies: Policies;
  screen: SendScreen;
  messages: CampaignMessages;
  outbox: Outbox;
  owner: string;
  timeZone: string;
  clock: () => Date;
  log: Logger;
}

interface Step {
  /** Something was done: look again at once. */
  worked: boolean;
  /** Otherwise, when it is worth looking again. */
  retryInMs?: number;
}

const RECOVERY_EVERY_MS = 1000;

export class Dispatcher {
  private stopping = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private readonly lastRecovery = new Map<string, number>();

  constructor(
    private readonly deps: DispatcherDeps,
    private readonly tuning: DispatcherTuning = DEFAULT_DISPATCHER_TUNING,
  ) {}

  start(): void {
    this.loop = this.run();
  }

  /** Looks at the campaigns now (one was started or resumed). */
  poke(): void {
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      let wait = this.tuning.pollMs;
      try {
        const step = await this.round();
        wait = step.worked ? 0 : Math.min(wait, step.retryInMs ?? wait);
      } catch (error) {
        this.deps.log.error({ err: error }, 'campaign dispatch failed; trying again');
      }
      if (wait > 0 && !this.stopping) await new Promise<void>((resolve) => {
        const timer = setTimeout(done, wait);
        this.wake = done;
        function done(): void {
          clearTimeout(timer);
          resolve();
        }
      });
      this.wake = undefined;
    }
  }

  private async round(): Promise<Step> {
    const active = await this.deps.campaigns.find({ status: { $in: ['scheduled', 'running'] } }).lean<CampaignDocument[]>();
    let worked = false;
    let retryInMs = this.tuning.pollMs;
    for (const campaign of active) {
      if (this.stopping) break;
      const step = await this.advance(campaign).catch((error: unknown): Step => {
        this.deps.log.error({ err: error, campaignId: campaign._id }, 'campaign step failed');
        return { worked: false };
      });
      worked ||= step.worked;
      retryInMs = Math.min(retryInMs, step.retryInMs ?? retryInMs);
    }
    return { worked, retryInMs };
  }

  private async advance(campaign: CampaignDocument): Promise<Step> {
    const now = this.deps.clock();
    const window = sendWindow(campaign.schedule, now, this.deps.timeZone);
    if (campaign.status === 'scheduled') {
      if (window.kind === 'before') return { worked: false, retryInMs: window.startAt.getTime() - now.getTime() };
      return { worked: await this.move(campaign, 'scheduled', 'running') };
    }
    if (!this.deps.policies.get(campaign.policyId)) {
      await this.pauseWithProblem(campaign, `policy "${campaign.policyId}" is no longer in intents/policies`);
      return { worked: true };
    }
    if (!campaign.audience) return { worked: await this.build(campaign) };
    await this.recoverLeases(campaign._id);
    if (window.kind === 'after') {
      await this.deps.claims.skipPending(campaign._id, 'windowClosed');
      return { worked: await this.completeIfDone(campaign, 'window') };
    }
    if (window.kind === 'quiet' || window.kind === 'before') return { worked: false };
    // Keep the outbox fed, no more: all campaigns' traffic waiting there, and this campaign's
    // (about two seconds' worth at its own rate), stay below their marks.
    const [backlog, own] = await Promise.all([
      this.deps.outbox.model.countDocuments({ status: 'queued', lane: 'bulk' }),
      // Its messages a sender already holds wait there for the campaign's pace: they count too.
      campaign.rate === undefined ? Promise.resolve(0) : this.deps.outbox.model.countDocuments({ campaignId: campaign._id, status: { $in: ['queued', 'sending'] } }),
    ]);
    const ownMark = campaign.rate === undefined ? Infinity : Math.max(5, Math.ceil(campaign.rate * 2));
    const want = Math.min(this.tuning.batch, this.tuning.highWater - backlog, ownMark - own);
    if (want <= 0) return { worked: false, retryInMs: 50 };
    const claimed = await this.deps.claims.claim(campaign._id, want);
    if (claimed.length === 0) return { worked: await this.completeIfDone(campaign, 'done'), retryInMs: this.tuning.pollMs };
    await this.dispatch(campaign, claimed, now);
    return { worked: true };
  }

  /** Screens a claimed batch, hands the messages to the outbox, then records each recipient's outcome. */
  private async dispatch(campaign: CampaignDocument, batch: Recipient[], now: Date): Promise<void> {
    const claimId = batch[0]?.claimId as string;
    // A batch run again after a crash: what is in the outbox already was decided then.
    const ids = new Map(batch.map((recipient) => [this.deps.outbox.idFor(campaignDedupeKey(campaign._id, recipient.phone)), recipient]));
    const stored = new Set((await this.deps.outbox.model.find({ _id: { $in: [...ids.keys()] } }, { _id: 1 }).lean<Array<{ _id: string }>>()).map((row) => row._id));
    const handedOver = [...ids].filter(([id]) => stored.has(id)).map(([, recipient]) => recipient);
    const fresh = batch.filter((recipient) => !handedOver.includes(recipient));
    const { excluded } = await this.deps.screen.batch(campaign._id, fresh.map((recipient) => recipient.phone), now);
    const toSend = fresh.filter((recipient) => !excluded.has(recipient.phone));
    try {
      // The messages are made when sent (composer.ts); one made now stops a campaign whose
      // template or policy cannot make any before anything is handed over.
      const [first] = toSend;
      if (first) this.deps.messages.forCampaign(campaign, now)(first);
      await Promise.all(
        toSend.map((recipient) =>
          this.deps.outbox.enqueueComposed({ userId: recipient.phone, platformId: campaign.platformId }, composedFor(recipient), {
            dedupeKey: campaignDedupeKey(campaign._id, recipient.phone),
            campaignId: campaign._id,
            ...(campaign.rate === undefined ? {} : { campaignRate: campaign.rate }),
          }),
        ),
      );
    } catch (error) {
      if (error instanceof Error && !error.name.startsWith('Mongo')) {
        await this.pauseWithProblem(campaign, `its message cannot be made: ${error.message.split('\n')[0]}`);
        return;
      }
      throw error;
    }
    const byReason = new Map<SendExclusion, string[]>();
    for (const [phone, reason] of excluded) byReason.set(reason, [...(byReason.get(reason) ?? []), recipientId(campaign._id, phone)]);
    for (const [reason, reasonIds] of byReason) await this.deps.claims.settle(claimId, reasonIds, { state: 'excluded', reason });
    await this.deps.claims.settle(claimId, [...handedOver, ...toSend].map((recipient) => recipient._id), { state: 'queued', queuedAt: now });
  }

  /** Writes the recipients, under a lease so that one process builds while the others wait. */
  private async build(campaign: CampaignDocument): Promise<boolean> {
    const { campaigns, recipients, enterprises, policies, owner } = this.deps;
    const lease = (): Date => new Date(Date.now() + this.tuning.leaseMs);
    const won = await campaigns.findOneAndUpdate(
      { _id: campaign._id, status: 'running', audience: { $exists: false }, $or: [{ build: { $exists: false } }, { 'build.leaseUntil': { $lt: new Date() } }] },
      { $set: { build: { owner, leaseUntil: lease() } } },
    );
    if (!won) return false;
    const policy = policies.get(campaign.policyId);
    if (!policy) return false;
    const started = performance.now();
    const now = this.deps.clock();
    let batch: Recipient[] = [];
    const flush = async (): Promise<void> => {
      if (batch.length === 0) return;
      const documents = batch;
      batch = [];
      await insertIgnoringDuplicates(recipients, documents);
      await campaigns.updateOne({ _id: campaign._id, 'build.owner': owner }, { $set: { 'build.leaseUntil': lease() } });
    };
    const scan = await scanAudience(enterprises, { segment: campaign.segment, eligibility: policy.eligibility }, now, async (candidate: Candidate) => {
      batch.push({ _id: recipientId(campaign._id, candidate.phone), campaignId: campaign._id, ...candidate, state: 'pending' });
      if (batch.length >= 1000) await flush();
    });
    await flush();
    const audience: Audience = {
      targeted: scan.candidates,
      enterprises: scan.enterprises,
      notEligible: scan.notEligible,
      noNumber: scan.noNumber,
      duplicate: scan.duplicate,
      builtAt: new Date(),
      buildMs: Math.round(performance.now() - started),
    };
    await campaigns.updateOne({ _id: campaign._id, 'build.owner': owner }, { $set: { audience }, $unset: { build: '' } });
    this.deps.log.info({ campaignId: campaign._id, ...audience }, 'campaign audience built');
    return true;
  }

  private async recoverLeases(campaignId: string): Promise<void> {
    const last = this.lastRecovery.get(campaignId) ?? 0;
    if (Date.now() - last < RECOVERY_EVERY_MS) return;
    this.lastRecovery.set(campaignId, Date.now());
    const recovered = await this.deps.claims.recover(campaignId);
    if (recovered > 0) this.deps.log.warn({ campaignId, recovered }, 'took over recipients whose dispatcher went away');
  }

  private async completeIfDone(campaign: CampaignDocument, endedBy: 'done' | 'window'): Promise<boolean> {
    if ((await this.deps.claims.outstanding(campaign._id)) > 0) return false;
    const completed = await this.move(campaign, 'running', 'completed', { completedAt: new Date(), endedBy });
    if (completed) this.deps.log.info({ campaignId: campaign._id, endedBy }, 'campaign completed');
    return completed;
  }

  private async move(campaign: CampaignDocument, from: CampaignStatus, to: CampaignStatus, set: Partial<CampaignDocument> = {}): Promise<boolean> {
    const at = new Date();
    const result = await this.deps.campaigns.updateOne({ _id: campaign._id, status: from }, { $set: { status: to, updatedAt: at, ...set }, $push: { history: { at, status: to } } });
    return result.modifiedCount === 1;
  }

  /** Stops a campaign that cannot go on by itself, saying why, for staff to see. */
  private async pauseWithProblem(campaign: CampaignDocument, problem: string): Promise<void> {
    this.deps.log.error({ campaignId: campaign._id, problem }, 'campaign paused');
    await this.move(campaign, 'running', 'paused', { problem });
  }
}
