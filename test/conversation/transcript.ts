/**
 * Conversations as transcripts, in memory, with a fixed clock: the citizen sends a text or taps a
 * button, the test reads what came back. The real catalog, card templates, classifier and flows
 * run; sessions and applications live in memory. Every message the bot produces is checked
 * against the card schema, so no test can pass on a card the carrier would refuse.
 *
 *   const chat = await startChat();
 *   const guide = await chat.send('我想办居住证');
 *   expect(guide.titles).to.deep.equal(['居住证申领']);
 *   const materials = await chat.tap('所需材料');
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { expect } from 'chai';
import mongoose, { type Connection } from 'mongoose';
import { pino } from 'pino';
import { createAppointments, type Appointments } from '../../src/appointments/appointments.js';
import { loadAppointmentContent } from '../../src/appointments/content/load.js';
import { loadWording } from '../../src/appointments/content/wording.js';
import { initAppointmentModels } from '../../src/appointments/model.js';
import { startTestMongo, type TestMongo } from '../support/mongo.js';
import type { InboundContent, InboundEvent, OutboundMessage } from '../../src/channels/model.js';
import type { Suggestion } from '../../src/channels/gsma.js';
import { loadCatalog, type Catalog } from '../../src/catalog/catalog.js';
import { MemoryApplications } from '../../src/applications/applications.js';
import { demoApplications } from '../../src/applications/demoApplications.js';
import { createFlowRegistry } from '../../src/conversation/flows/index.js';
import { loadHelpMenu } from '../../src/conversation/helpMenu.js';
import { PostbackCodec } from '../../src/conversation/postback.js';
import { MemorySessionStore } from '../../src/conversation/sessionStores.js';
import { MemoryHandoffs } from '../../src/handoff/memoryHandoffs.js';
import { AgentHours } from '../../src/handoff/agentHours.js';
import { MemoryRatingLedger } from '../../src/ratings/memoryLedger.js';
import { LevelNames } from '../../src/ratings/levels.js';
import type { RatingLedger } from '../../src/ratings/ledger.js';
import { MemorySubscriptions } from '../../src/subscriptions/subscriptions.js';
import type { SessionStore } from '../../src/conversation/session.js';
import { createConversation, type Conversation } from '../../src/conversation/turn.js';
import { loadNlu, type Nlu } from '../../src/nlu/classifier.js';
import { validateRenderedMessage, describeSchemaErrors } from '../../src/render/cardSchema.js';
import { TemplateSet } from '../../src/render/templateSet.js';
import { loadVocabulary, type Vocabulary } from '../../src/directory/vocabulary.js';
import { loadPolicies, type Policies } from '../../src/policies/policies.js';
import { MemoryDirectory } from '../../src/directory/directory.js';
import { MemoryPolicyWatches } from '../../src/policies/watches.js';
import { MemoryEngagement } from '../../src/campaigns/engagement.js';
import type { ConversationServices } from '../../src/conversation/context.js';

export const CARDS = resolve('cards');
export const INTENTS = resolve('intents');
export const CHATBOT = 'sip:106500@botplatform.rcs.domain.cn';
export const SECRET = 'transcript-secret';
/** 2026-12-03 10:00 in Shenzhen. */
export const FIXED_NOW = new Date('2026-12-03T02:00:00Z');

export interface SharedContent {
  nlu: Nlu;
  catalog: Catalog;
  templates: TemplateSet;
  vocabulary: Vocabulary;
  policies: Policies;
}

let shared: Promise<SharedContent> | undefined;

/** The classifier takes a second or two to load: once per test process. */
export function sharedContent(): Promise<SharedContent> {
  shared ??= (async () => {
    const catalog = loadCatalog(INTENTS);
    const vocabulary = loadVocabulary(INTENTS);
    return {
      nlu: await loadNlu({ intentsDir: INTENTS, cacheDir: resolve('.cache/nlu') }),
      catalog,
      templates: TemplateSet.load(CARDS, { timeZone: 'Asia/Shanghai' }),
      vocabulary,
      policies: loadPolicies(INTENTS, vocabulary, catalog, 'Asia/Shanghai'),
    };
  })();
  return shared;
}

/** The services of the policy finder and campaign cards, in memory (a test passes its own to look into them). */
export async function policyServices(overrides: Partial<Pick<ConversationServices, 'directory' | 'policyWatches' | 'engagement'>> = {}): Promise<Pick<ConversationServices, 'policies' | 'vocabulary' | 'directory' | 'policyWatches' | 'engagement'>> {
  const { policies, vocabulary } = await sharedContent();
  return { policies, vocabulary, directory: new MemoryDirectory(), policyWatches: new MemoryPolicyWatches(), engagement: new MemoryEngagement(), ...overrides };
}

let store: Promise<TestMongo> | undefined;
let connection: Connection | undefined;

/**
 * Appointments of one chat: the real content on a database of its own, in one store shared by
 * the test process (bookings are decided by the store's atomic operations, not imitated).
 */
export async function freshAppointments(): Promise<Appointments> {
  store ??= startTestMongo({ name: 'transcripts' });
  const mongo = await store;
  // A bot started in-process by another test closes every mongoose connection when it stops.
  if (connection?.readyState !== 1) connection = await mongoose.createConnection(mongo.uri, { dbName: mongo.dbName }).asPromise();
  const { catalog } = await sharedContent();
  const db = connection.useDb(`test_chat_${randomBytes(4).toString('hex')}`, { useCache: false });
  const appointments = createAppointments(db, loadAppointmentContent(INTENTS, catalog), loadWording(INTENTS), 'Asia/Shanghai');
  await initAppointmentModels(appointments.models);
  return appointments;
}

/** What one turn sent back. */
export class TurnResult {
  constructor(readonly messages: OutboundMessage[]) {}

  /** Titles of every card, in order (carousel cards each). */
  get titles(): string[] {
    return this.cards.map((card) => card.title ?? '');
  }

  get texts(): string[] {
    return this.messages.flatMap((message) => (message.body.type === 'text' ? [message.body.text] : []));
  }

  get descriptions(): string[] {
    return this.cards.map((card) => card.description ?? '');
  }

  get cards(): Array<{ title?: string; description?: string; suggestions?: Suggestion[] }> {
    return this.messages.flatMap((message) => {
      if (message.body.type !== 'card') return [];
      const content = message.body.card.message;
      return 'generalPurposeCard' in content ? [content.generalPurposeCard.content] : content.generalPurposeCardCarousel.content;
    });
  }

  /** Every button and chip, in order: card buttons first, then the chip list of each message. */
  get suggestions(): Suggestion[] {
    return [...this.cards.flatMap((card) => card.suggestions ?? []), ...this.messages.flatMap((message) => message.suggestions ?? [])];
  }

  get buttons(): string[] {
    return this.suggestions.map(labelOf);
  }

  suggestion(label: string): Suggestion {
    const found = this.suggestions.find((suggestion) => labelOf(suggestion) === label);
    if (!found) throw new Error(`no button "${label}" (there are: ${this.buttons.join(', ')})`);
    return found;
  }
}

export function labelOf(suggestion: Suggestion): string {
  return 'reply' in suggestion ? suggestion.reply.displayText : suggestion.action.displayText;
}

export interface ChatOptions {
  user?: string;
  /** Shared by several chats (several citizens of one hall); a fresh set when absent. */
  appointments?: Appointments;
  handoffs?: MemoryHandoffs;
  /** 好差评's ledger (memory unless given). */
  ratings?: RatingLedger;
  subscriptions?: MemorySubscriptions;
  sessions?: SessionStore;
  now?: Date;
  secret?: string;
  directory?: MemoryDirectory;
  policyWatches?: MemoryPolicyWatches;
  engagement?: MemoryEngagement;
}

export class Chat {
  private last: TurnResult = new TurnResult([]);
  now: Date;

  constructor(
    readonly conversation: Conversation,
    readonly user: string,
    now: Date,
  ) {
    this.now = now;
  }

  /** Labels of the chips under the last answer. */
  lastChips(): string[] {
    return this.last.messages.flatMap((message) => (message.suggestions ?? []).map(labelOf));
  }

  /** Moves the fixed clock on. */
  advance(ms: number): void {
    this.now = new Date(this.now.getTime() + ms);
  }

  send(text: string): Promise<TurnResult> {
    return this.deliver({ type: 'text', text });
  }

  /** Taps a reply button or chip of the last answer (or of an earlier one): its postback goes back to the bot. */
  tap(label: string, from: TurnResult = this.last): Promise<TurnResult> {
    const suggestion = from.suggestion(label);
    if (!('reply' in suggestion)) throw new Error(`"${label}" is an action button; it sends nothing back`);
    return this.deliver({ type: 'postback', data: suggestion.reply.postback.data, displayText: label });
  }

  postback(data: string, displayText = '按钮'): Promise<TurnResult> {
    return this.deliver({ type: 'postback', data, displayText });
  }

  location(latitude: number, longitude: number): Promise<TurnResult> {
    return this.deliver({ type: 'location', latitude, longitude });
  }

  /** Runs the turn of an event already sent again (as crash recovery would). */
  async rerun(event: InboundEvent): Promise<TurnResult> {
    return new TurnResult(checked(await this.conversation.handle(event)));
  }

  event(content: InboundContent, messageId: string = randomUUID()): InboundEvent {
    return { messageId, channel: 'test', platformId: 'test', chatbotId: CHATBOT, userId: this.user, conversationId: 'c', contributionId: randomUUID(), content };
  }

  async deliver(content: InboundContent, messageId?: string): Promise<TurnResult> {
    this.last = new TurnResult(checked(await this.conversation.handle(this.event(content, messageId))));
    return this.last;
  }
}

function checked(messages: OutboundMessage[]): OutboundMessage[] {
  for (const message of messages) {
    const { body, suggestions, smsFallback } = message;
    const valid = validateRenderedMessage({ body, ...(suggestions ? { suggestions } : {}), ...(smsFallback ? { smsFallback } : {}) });
    expect(valid, describeSchemaErrors(validateRenderedMessage.errors).map((problem) => problem.message).join('\n')).to.equal(true);
  }
  return messages;
}

/** A conversation over the real content, in memory. */
export async function startChat(options: ChatOptions = {}): Promise<Chat> {
  const { nlu, catalog, templates } = await sharedContent();
  // The conversation reads the chat's clock, which tests move on (chat.advance).
  const clock = (): Date => chat.now;
  const conversation = createConversation({
    services: {
      catalog,
      nlu,
      postbacks: new PostbackCodec(options.secret ?? SECRET),
      applications: new MemoryApplications(demoApplications(catalog, FIXED_NOW)),
      appointments: options.appointments ?? (await freshAppointments()),
      helpMenu: loadHelpMenu(CARDS, catalog),
      handoffs: options.handoffs ?? new MemoryHandoffs(),
      agentHours: AgentHours.load(CARDS, 'Asia/Shanghai'),
      ratings: { ledger: options.ratings ?? new MemoryRatingLedger(), levels: LevelNames.load(CARDS), idleMs: 10 * 60_000, workingDays: 5 },
      subscriptions: options.subscriptions ?? new MemorySubscriptions(),
      ...(await policyServices({
        ...(options.directory ? { directory: options.directory } : {}),
        ...(options.policyWatches ? { policyWatches: options.policyWatches } : {}),
        ...(options.engagement ? { engagement: options.engagement } : {}),
      })),
      log: pino({ level: 'silent' }),
    },
    registry: createFlowRegistry(),
    templates: { current: () => templates },
    sessions: options.sessions ?? new MemorySessionStore(clock),
    idleMs: 30 * 60_000,
    log: pino({ level: 'silent' }),
    clock,
  });
  const chat = new Chat(conversation, options.user ?? 'tel:+8613800138000', options.now ?? FIXED_NOW);
  return chat;
}
