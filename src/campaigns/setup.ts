/**
 * Campaigns assembled for a bot process: the stores (campaigns, recipients, the frequency cap),
 * the send-time screen, the messages, the staff-facing service and the dispatcher that runs in
 * every process. The conversation's setup brings the content (policies, the directory's values)
 * and the engagement store; the bot brings the outbox and the complaints (the sender keeps the
 * campaigns' rates).
 */
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Connection } from 'mongoose';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import type { ConversationSetup } from '../conversation/setup.js';
import type { Complaints } from '../outbox/complaints.js';
import type { Outbox } from '../outbox/outbox.js';
import { campaignModel } from './model.js';
import { recipientModel, RecipientClaims } from './recipients.js';
import { FrequencyCap } from './frequencyCap.js';
import { SendScreen } from './screening.js';
import { CampaignMessages } from './messages.js';
import { CampaignComposer, CAMPAIGN_COMPOSER } from './composer.js';
import { Dispatcher, DEFAULT_DISPATCHER_TUNING, type DispatcherTuning } from './dispatcher.js';
import { CampaignService } from './service.js';
import { CAMPAIGN_TEMPLATE_PREFIX, type InputContext } from './input.js';

export type CampaignConfig = Pick<Config, 'TIMEZONE' | 'CAMPAIGN_APPROVAL_THRESHOLD' | 'CAMPAIGN_FREQUENCY_CAP' | 'CAMPAIGN_FREQUENCY_DAYS' | 'OUTBOX_RETENTION_DAYS'>;

export interface CampaignsSetup {
  service: CampaignService;
  dispatcher: Dispatcher;
  /** What the staff API's and the console's input checks need. */
  input: InputContext;
  /** The campaign card templates with what each is for. */
  templates(): Array<{ name: string; description: string }>;
  conversation: ConversationSetup;
  close(): Promise<void>;
}

export interface CampaignsOptions {
  connection: Connection;
  conversation: ConversationSetup;
  outbox: Outbox;
  complaints: Complaints;
  config: CampaignConfig;
  platformIds: string[];
  log: Logger;
  clock?: () => Date;
  tuning?: Partial<DispatcherTuning>;
}

export async function setUpCampaigns(options: CampaignsOptions): Promise<CampaignsSetup> {
  const { connection, conversation, config } = options;
  const log = options.log.child({ module: 'campaigns' });
  const clock = options.clock ?? (() => new Date());
  const tuning = { ...DEFAULT_DISPATCHER_TUNING, ...options.tuning };
  const owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const campaigns = campaignModel(connection);
  const recipients = recipientModel(connection);
  const frequencyCap = new FrequencyCap(connection, { max: config.CAMPAIGN_FREQUENCY_CAP, days: config.CAMPAIGN_FREQUENCY_DAYS });
  await Promise.all([campaigns.init(), recipients.init(), frequencyCap.model.init()]);
  const claims = new RecipientClaims(recipients, owner, tuning.leaseMs);
  const screen = new SendScreen({ subscriptions: conversation.subscriptions.model, complaints: options.complaints.model, frequencyCap, platformIds: options.platformIds });
  const messages = new CampaignMessages(conversation.conversation.compose, conversation.postbacks, conversation.policies);
  const composer = new CampaignComposer(campaigns, messages, clock);
  options.outbox.composeWith(CAMPAIGN_COMPOSER, (document) => composer.compose(document));
  const enterprises = conversation.directory.model;
  const dispatcher = new Dispatcher(
    { campaigns, recipients, claims, enterprises, policies: conversation.policies, screen, messages, outbox: options.outbox, owner, timeZone: config.TIMEZONE, clock, log },
    tuning,
  );
  const service = new CampaignService({
    campaigns,
    claims,
    enterprises,
    policies: conversation.policies,
    screen,
    stats: { outbox: options.outbox.model, recipients, engagement: conversation.engagement },
    approvalThreshold: config.CAMPAIGN_APPROVAL_THRESHOLD,
    defaultPlatformId: options.platformIds[0] as string,
    outboxRetentionMs: config.OUTBOX_RETENTION_DAYS * 86_400_000,
    clock,
    onChange: () => dispatcher.poke(),
  });
  const templateNames = (): string[] => conversation.templates.current().names().filter((name) => name.startsWith(CAMPAIGN_TEMPLATE_PREFIX)).sort();
  dispatcher.start();
  return {
    service,
    dispatcher,
    input: { vocabulary: conversation.vocabulary, policies: conversation.policies, templates: templateNames, platformIds: options.platformIds, clock },
    templates: () => templateNames().map((name) => ({ name, description: conversation.templates.current().get(name)?.description ?? '' })),
    conversation,
    close: () => dispatcher.stop(),
  };
}
