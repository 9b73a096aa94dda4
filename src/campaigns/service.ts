/**
 * Campaigns as staff handle them (the staff API and the console call this): preview an audience,
 * create a campaign, approve it (a second person, for large ones), start, pause, resume, cancel,
 * and read it with its statistics. Each change is one conditional update on the status it
 * leaves, so two people acting at once get one success and one clear refusal.
 */
import { randomUUID } from 'node:crypto';
import type { Criteria } from '../directory/criteria.js';
import type { EnterpriseModel } from '../directory/enterprise.js';
import { maskedNumber } from '../directory/phone.js';
import type { Policies } from '../policies/policies.js';
import { scanAudience } from './audience.js';
import type { CampaignInput } from './input.js';
import type { CampaignDocument, CampaignModel, CampaignStatus, StaffRef } from './model.js';
import type { RecipientClaims } from './recipients.js';
import type { SendScreen } from './screening.js';
import { campaignStats, type CampaignStats, type StatsSources } from './stats.js';

export interface Preview {
  /** Numbers that would get the message now. */
  count: number;
  /** Enterprises that fit the segment and the policy. */
  enterprises: number;
  excluded: { notEligible: number; noNumber: number; duplicate: number; optedOut: number; frequencyCap: number; complained: number };
  /** The first few who would get it. */
  sample: Array<{ creditCode: string; name: string; phone: string; others: number }>;
}

export type CampaignRefusal = 'missing' | 'state' | 'needs-approval' | 'own-approval' | 'expired';

export class CampaignError extends Error {
  constructor(
    readonly refusal: CampaignRefusal,
    message: string,
  ) {
    super(message);
    this.name = 'CampaignError';
  }
}

export interface CampaignServiceOptions {
  campaigns: CampaignModel;
  claims: RecipientClaims;
  enterprises: EnterpriseModel;
  policies: Policies;
  screen: SendScreen;
  stats: StatsSources;
  /** Campaigns whose preview counts more recipients than this need a second person's approval. */
  approvalThreshold: number;
  defaultPlatformId: string;
  /** How long the outbox keeps a message: after that, a finished campaign's last statistics stand. */
  outboxRetentionMs: number;
  clock: () => Date;
  /** Tells this process's dispatcher to look now. */
  onChange?: () => void;
}

const SAMPLE_SIZE = 10;
/** Statistics are read at most this often per campaign (consoles poll them). */
const STATS_FRESH_MS = 1000;

/** Which statuses each action leaves, and where it goes. */
const MOVES = {
  pause: { from: ['running', 'scheduled'], to: 'paused' },
  resume: { from: ['paused'], to: 'running' },
  cancel: { from: ['draft', 'scheduled', 'running', 'paused'], to: 'cancelled' },
} as const satisfies Record<string, { from: readonly CampaignStatus[]; to: CampaignStatus }>;

export class CampaignService {
  private readonly statsCache = new Map<string, { at: number; stats: CampaignStats }>();

  constructor(private readonly options: CampaignServiceOptions) {}

  async preview(policyId: string, segment: Criteria): Promise<Preview> {
    const { enterprises, policies, screen, clock } = this.options;
    const policy = policies.get(policyId);
    if (!policy) throw new CampaignError('missing', `no policy "${policyId}"`);
    const now = clock();
    const exclusion = await screen.snapshot(now);
    const excludedNow = { optedOut: 0, frequencyCap: 0, complained: 0 };
    const sample: Preview['sample'] = [];
    let count = 0;
    const scan = await scanAudience(enterprises, { segment, eligibility: policy.eligibility }, now, (candidate) => {
      const reason = exclusion(candidate.phone);
      if (reason) return void excludedNow[reason]++;
      count++;
      if (sample.length < SAMPLE_SIZE) sample.push({ ...candidate.enterprise, phone: maskedNumber(candidate.phone), others: candidate.others });
    });
    return { count, enterprises: scan.enterprises, excluded: { notEligible: scan.notEligible, noNumber: scan.noNumber, duplicate: scan.duplicate, ...excludedNow }, sample };
  }

  async create(input: CampaignInput, staff: StaffRef): Promise<CampaignDocument> {
    const preview = await this.preview(input.policy, input.segment);
    const now = new Date();
    const campaign: CampaignDocument = {
      _id: randomUUID(),
      name: input.name,
      policyId: input.policy,
      segment: input.segment,
      template: input.template,
      ...(input.smsText ? { smsText: input.smsText } : {}),
      schedule: input.schedule,
      ...(input.rate !== undefined ? { rate: input.rate } : {}),
      platformId: input.platform ?? this.options.defaultPlatformId,
      status: 'draft',
      estimate: preview.count,
      createdBy: staff,
      createdAt: now,
      history: [{ at: now, status: 'draft', by: staff.name }],
      updatedAt: now,
    };
    await this.options.campaigns.create(campaign);
    return campaign;
  }

  /** Needs approval: a draft whose audience is above the threshold, approved by someone other than its creator. */
  needsApproval(campaign: Pick<CampaignDocument, 'estimate' | 'approval'>): boolean {
    return campaign.estimate > this.options.approvalThreshold && !campaign.approval;
  }

  async approve(id: string, staff: StaffRef): Promise<CampaignDocument> {
    const campaign = await this.require(id);
    if (campaign.createdBy.id === staff.id) throw new CampaignError('own-approval', 'the campaign was created by you: a second person must approve it');
    if (campaign.status !== 'draft') throw new CampaignError('state', `only a draft is approved (this one is ${campaign.status})`);
    if (campaign.approval) throw new CampaignError('state', `already approved by ${campaign.approval.by.name}`);
    const at = new Date();
    const approved = await this.options.campaigns
      .findOneAndUpdate({ _id: id, status: 'draft', approval: { $exists: false } }, { $set: { approval: { by: staff, at, estimate: campaign.estimate }, updatedAt: at } }, { returnDocument: 'after' })
      .lean<CampaignDocument>();
    if (!approved) throw new CampaignError('state', 'the campaign changed meanwhile: read it again');
    return approved;
  }

  async start(id: string, staff: StaffRef): Promise<CampaignDocument> {
    const campaign = await this.require(id);
    if (campaign.status !== 'draft') throw new CampaignError('state', `only a draft is started (this one is ${campaign.status})`);
    const now = this.options.clock();
    if (campaign.schedule.endAt && new Date(campaign.schedule.endAt) <= now) throw new CampaignError('expired', 'its schedule ended already');
    const policy = this.options.policies.get(campaign.policyId);
    if (!policy || this.options.policies.windowOf(policy, now).state === 'closed') throw new CampaignError('expired', 'its policy no longer takes applications');
    // The audience as it stands now decides whether a second person must approve.
    const estimate = (await this.preview(campaign.policyId, campaign.segment)).count;
    if (this.needsApproval({ estimate, approval: campaign.approval })) {
      throw new CampaignError('needs-approval', `${estimate} recipients is over ${this.options.approvalThreshold}: another person with the campaign role must approve it first`);
    }
    const status: CampaignStatus = campaign.schedule.startAt && new Date(campaign.schedule.startAt) > now ? 'scheduled' : 'running';
    const at = new Date();
    const started = await this.options.campaigns
      .findOneAndUpdate(
        { _id: id, status: 'draft' },
        { $set: { status, estimate, startedBy: staff, startedAt: at, updatedAt: at }, $push: { history: { at, status, by: staff.name } } },
        { returnDocument: 'after' },
      )
      .lean<CampaignDocument>();
    if (!started) throw new CampaignError('state', 'the campaign changed meanwhile: read it again');
    this.options.onChange?.();
    return started;
  }

  async move(id: string, action: keyof typeof MOVES, staff: StaffRef): Promise<CampaignDocument> {
    const { from, to } = MOVES[action];
    const at = new Date();
    const set: Partial<CampaignDocument> = { status: to, updatedAt: at, ...(to === 'cancelled' ? { cancelledAt: at } : {}) };
    const moved = await this.options.campaigns
      .findOneAndUpdate(
        { _id: id, status: { $in: from } },
        { $set: set, $push: { history: { at, status: to, by: staff.name } }, ...(action === 'resume' ? { $unset: { problem: '' } } : {}) },
        { returnDocument: 'after' },
      )
      .lean<CampaignDocument>();
    if (!moved) {
      const current = await this.require(id);
      throw new CampaignError('state', `a ${current.status} campaign cannot be ${action === 'cancel' ? 'cancelled' : `${action}d`}`);
    }
    if (to === 'cancelled') await this.options.claims.skipPending(id, 'cancelled');
    this.options.onChange?.();
    return moved;
  }

  get(id: string): Promise<CampaignDocument | null> {
    return this.options.campaigns.findById(id).lean<CampaignDocument>().exec();
  }

  /** Newest first. */
  list(limit = 100): Promise<CampaignDocument[]> {
    return this.options.campaigns.find({}, { history: 0, stats: 0 }).sort({ createdAt: -1 }).limit(limit).lean<CampaignDocument[]>().exec();
  }

  async stats(campaign: CampaignDocument): Promise<CampaignStats> {
    const finished = campaign.completedAt ?? campaign.cancelledAt;
    // Its messages are leaving the outbox (retention): the figures kept when it was last read stand.
    if (campaign.stats && finished && Date.now() - new Date(finished).getTime() > this.options.outboxRetentionMs - 86_400_000) return campaign.stats as unknown as CampaignStats;
    // Fresh for a second, and only while the campaign is where it was (status, audience built).
    const key = `${campaign._id}|${campaign.status}|${campaign.audience ? 'built' : 'unbuilt'}`;
    const cached = this.statsCache.get(key);
    if (cached && Date.now() - cached.at < STATS_FRESH_MS) return cached.stats;
    const stats = await campaignStats(campaign, this.options.stats);
    for (const [old, entry] of this.statsCache) if (Date.now() - entry.at >= STATS_FRESH_MS) this.statsCache.delete(old);
    this.statsCache.set(key, { at: Date.now(), stats });
    if (campaign.status === 'completed' || campaign.status === 'cancelled') {
      await this.options.campaigns.updateOne({ _id: campaign._id }, { $set: { stats } });
    }
    return stats;
  }

  private async require(id: string): Promise<CampaignDocument> {
    const campaign = await this.get(id);
    if (!campaign) throw new CampaignError('missing', 'no such campaign');
    return campaign;
  }
}
