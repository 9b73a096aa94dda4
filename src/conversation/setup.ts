/**
 * The conversation assembled from content and configuration: the catalog, the card templates,
 * the help and fixed menus, understanding (nlu/), the session, application and rating stores,
 * and the flows. Every content file is checked here, so a broken one stops the start naming its
 * file and line. On a first start the demo applications are seeded.
 */
import type { Connection } from 'mongoose';
import type { ChatbotMenu } from '../channels/gsma.js';
import type { Catalog } from '../catalog/catalog.js';
import { loadCatalog } from '../catalog/catalog.js';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { configuredThresholds, loadNlu } from '../nlu/classifier.js';
import { LiveTemplates } from '../render/liveTemplates.js';
import { MongoApplications } from '../applications/applications.js';
import { setUpAppointments, type Appointments } from '../appointments/appointments.js';
import { addDays } from '../appointments/calendar/localTime.js';
import type { OutboundQueue } from '../channels/model.js';
import { AppointmentNotices } from './flows/appointment/notices.js';
import { Notices } from './notices.js';
import { AgentHours } from '../handoff/agentHours.js';
import { HandoffStore } from '../handoff/handoffs.js';
import { MongoSubscriptions } from '../subscriptions/subscriptions.js';
import { demoApplications } from '../applications/demoApplications.js';
import { loadFixedMenu } from './fixedMenu.js';
import { createFlowRegistry } from './flows/index.js';
import { loadHelpMenu } from './helpMenu.js';
import { PostbackCodec } from './postback.js';
import { MongoSessionStore } from './sessionStores.js';
import { CachedSessionStore } from './sessionCache.js';
import { createConversation, type Conversation } from './turn.js';
import { loadVocabulary, type Vocabulary } from '../directory/vocabulary.js';
import { loadPolicies, type Policies } from '../policies/policies.js';
import { Directory } from '../directory/directory.js';
import { MongoPolicyWatches } from '../policies/watches.js';
import { MongoEngagement } from '../campaigns/engagementStore.js';
import { recipientModel } from '../campaigns/recipients.js';
import { createRatingStores, type RatingStores } from '../ratings/stores.js';

export interface ContentPaths {
  cards: string;
  intents: string;
  /** The classifier's parameter cache. */
  nluCache: string;
}

export type ConversationConfig = Pick<
  Config,
  | 'POSTBACK_SECRET'
  | 'SESSION_IDLE_MINUTES'
  | 'TIMEZONE'
  | 'NODE_ENV'
  | 'NLU_ACCEPT_THRESHOLD'
  | 'NLU_AMBIGUOUS_MARGIN'
  | 'NLU_REJECT_THRESHOLD'
  | 'NLU_LEAD_THRESHOLD'
  | 'RATING_IDLE_MINUTES'
  | 'RATING_QUIET_HOURS'
  | 'RECTIFICATION_WORKING_DAYS'
>;

export interface ConversationSetup {
  conversation: Conversation;
  handoffs: HandoffStore;
  subscriptions: MongoSubscriptions;
  postbacks: PostbackCodec;
  templates: LiveTemplates;
  catalog: Catalog;
  fixedMenu: ChatbotMenu;
  policies: Policies;
  vocabulary: Vocabulary;
  directory: Directory;
  policyWatches: MongoPolicyWatches;
  engagement: MongoEngagement;
  ratings: RatingStores;
  /** The sessions, for when a citizen last talked to the bot. */
  sessions: MongoSessionStore;
  appointments: Appointments;
  /** Reminders and queue calls, sent through `queue`. */
  appointmentNotices: AppointmentNotices;
  close(): void;
}

export async function setUpConversation(options: {
  connection: Connection;
  config: ConversationConfig;
  paths: ContentPaths;
  log: Logger;
  /** Where messages the bot sends on its own go (the outbox). */
  queue: OutboundQueue;
  clock?: () => Date;
}): Promise<ConversationSetup> {
  const { connection, config, paths, log } = options;
  const catalog = loadCatalog(paths.intents);
  const vocabulary = loadVocabulary(paths.intents);
  const policies = loadPolicies(paths.intents, vocabulary, catalog, config.TIMEZONE);
  const templates = new LiveTemplates(paths.cards, { timeZone: config.TIMEZONE });
  const helpMenu = loadHelpMenu(paths.cards, catalog);
  const postbacks = new PostbackCodec(config.POSTBACK_SECRET);
  const registry = createFlowRegistry();
  const fixedMenu = loadFixedMenu(paths.cards, postbacks, (name) => registry.action(name) !== undefined);
  const nlu = await loadNlu({
    intentsDir: paths.intents,
    cacheDir: paths.nluCache,
    log: log.child({ module: 'nlu' }),
    thresholds: configuredThresholds(config),
  });
  const sessions = new MongoSessionStore(connection);
  const applications = new MongoApplications(connection);
  const handoffs = new HandoffStore(connection);
  const subscriptions = new MongoSubscriptions(connection);
  const directory = new Directory(connection);
  const policyWatches = new MongoPolicyWatches(connection);
  const engagement = new MongoEngagement(connection, recipientModel(connection));
  const [ratings, appointments] = await Promise.all([
    createRatingStores(connection, config, paths.cards),
    setUpAppointments(connection, paths.intents, catalog, config.TIMEZONE),
    sessions.init(),
    applications.model.init(),
    handoffs.init(),
    subscriptions.init(),
    directory.init(),
    policyWatches.init(),
    engagement.init(),
  ]);
  const agentHours = AgentHours.load(paths.cards, config.TIMEZONE);
  const clock = options.clock ?? (() => new Date());
  warnIfHolidaysUnknown(appointments, clock(), log);
  const demo = demoApplications(catalog, clock());
  if (await applications.seedIfEmpty(demo)) {
    log.info({ numbers: demo.map((record) => `${record._id} ${record.status}`) }, 'demo applications seeded: try these numbers in the progress query');
  }
  const conversationLog = log.child({ module: 'conversation' });
  if (config.NODE_ENV === 'development') templates.watch(conversationLog);
  const conversation = createConversation({
    services: { catalog, nlu, postbacks, applications, appointments, helpMenu, handoffs, agentHours, subscriptions, ratings: ratings.services, policies, vocabulary, directory, policyWatches, engagement, log: conversationLog },
    registry,
    templates,
    sessions: new CachedSessionStore(sessions, clock),
    idleMs: config.SESSION_IDLE_MINUTES * 60_000,
    log: conversationLog,
    clock: options.clock,
  });
  const appointmentNotices = new AppointmentNotices(new Notices(templates, postbacks, options.queue), catalog, appointments, clock);
  return { conversation, handoffs, subscriptions, postbacks, templates, catalog, fixedMenu, policies, vocabulary, directory, policyWatches, engagement, appointments, appointmentNotices, ratings, sessions, close: () => templates.close() };
}

/**
 * The national holiday data covers the years already published; bookings reaching into a year
 * it does not know yet would treat its holidays as working days. Said at start, well ahead.
 */
function warnIfHolidaysUnknown(appointments: Appointments, now: Date, log: Logger): void {
  const ahead = addDays(appointments.today(now), 45);
  if (!appointments.calendar.national.covers(ahead)) {
    log.warn({ date: ahead }, 'the public holiday data does not cover this date yet: run npm update chinese-days, or add closures to intents/appointments/calendar.yaml');
  }
}
