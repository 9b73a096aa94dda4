/**
 * The TurnHandler: load the user's session → route the event to a flow → render the replies →
 * save the session with this turn's record → return the replies for the outbox.
 *
 * Safe to run again for the same message: if the session already records this message id, its
 * replies are returned as they were and nothing changes (the outbox's dedupe keys absorb them).
 * A save that finds the session moved on (another turn got there first) reloads and runs the turn
 * again on the new state. Failures of the store are rethrown for the inbound processor to retry;
 * any other failure (a bug, a broken template) becomes one polite apology and no session write.
 */
import type { InboundEvent, OutboundMessage } from '../channels/model.js';
import type { Logger } from '../log.js';
import type { TemplateSource } from '../render/liveTemplates.js';
import type { TurnHandler } from '../inbound/turnHandler.js';
import { TurnContext, type ConversationServices, type Reply } from './context.js';
import type { FlowRegistry } from './flow.js';
import { router } from './route.js';
import { Session, type SessionStore } from './session.js';
import { userKey } from '../channels/identity.js';
import { logTurn } from './turnLog.js';
import { menuActions } from './menuActions.js';

/** Said when a turn fails: the hall's phone and 转人工 (cards/templates/apology.yaml). */
export const APOLOGY_TEMPLATE = 'apology';
const SAVE_ATTEMPTS = 3;

/** Another turn of the same user saved first, three times running: worth a later retry. */
export class SessionConflict extends Error {
  constructor(key: string) {
    super(`session ${key} kept changing under the turn`);
    this.name = 'SessionConflict';
  }
}

/** Failures worth retrying later: the store was unreachable or busy, or the session was contended. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof SessionConflict) return true;
  const name = error instanceof Error ? error.name : '';
  return name.startsWith('Mongo') && name !== 'MongoParseError' && name !== 'MongoInvalidArgumentError';
}

export interface ConversationOptions {
  services: ConversationServices;
  registry: FlowRegistry;
  /** The card templates in use (reloaded on change in development). */
  templates: TemplateSource;
  sessions: SessionStore;
  idleMs: number;
  log: Logger;
  clock?: () => Date;
}

/** Whom a message outside a turn goes to (an agent's reply, a reminder). */
export type Recipient = Pick<OutboundMessage, 'userId' | 'platformId' | 'conversationId'>;

export interface Conversation {
  handle: TurnHandler;
  /** The apology for a message whose turn failed for good (the processor sends it once). */
  apologize(event: InboundEvent): OutboundMessage[];
  /** Renders replies for a citizen outside a turn, ready for the outbox. */
  compose(recipient: Recipient, replies: readonly Reply[]): OutboundMessage[];
}

export function createConversation(options: ConversationOptions): Conversation {
  const { services, templates, sessions, log } = options;
  const clock = options.clock ?? (() => new Date());
  const route = router(options.registry);
  // The main menu's buttons, given to every template (they never change while running).
  const shared = { menu: menuActions(services.postbacks) };

  const compose = (recipient: Recipient & { inReplyTo?: string }, replies: readonly Reply[]): OutboundMessage[] =>
    replies.map((reply) => ({ ...recipient, ...templates.current().render(reply.template, { ...shared, ...reply.data }) }));
  const render = (event: InboundEvent, replies: readonly Reply[]): OutboundMessage[] =>
    compose({ userId: event.userId, platformId: event.platformId, conversationId: event.conversationId, inReplyTo: event.contributionId }, replies);

  const apologize = (event: InboundEvent): OutboundMessage[] => {
    try {
      return render(event, [{ template: APOLOGY_TEMPLATE, data: { hall: services.catalog.halls[0] } }]);
    } catch (error) {
      log.error({ err: error, messageId: event.messageId }, 'the apology itself could not be rendered');
      return [];
    }
  };

  const handle: TurnHandler = async (event) => {
    const started = performance.now();
    // One user on one platform: the same number on two platforms is two sessions.
    const key = userKey(event);
    for (let attempt = 1; attempt <= SAVE_ATTEMPTS; attempt++) {
      const stored = await sessions.load(key);
      if (stored.lastTurn?.messageId === event.messageId) return stored.lastTurn.replies;
      const now = clock();
      const ctx = new TurnContext(event, new Session(stored.state), services, now);
      let replies: OutboundMessage[];
      try {
        await route(ctx);
        replies = render(event, ctx.replies);
      } catch (error) {
        if (isRetryable(error)) throw error;
        log.error({ err: error, messageId: event.messageId, flow: ctx.flow }, 'turn failed: answering with an apology');
        return apologize(event);
      }
      const lastTurn = { messageId: event.messageId, replies };
      const expiresAt = new Date(now.getTime() + options.idleMs);
      if (await sessions.save(key, stored.version, { state: ctx.session.snapshot(), lastTurn }, expiresAt)) {
        logTurn(log, ctx, replies, ctx.replies, performance.now() - started);
        return replies;
      }
    }
    throw new SessionConflict(key);
  };

  return { handle, apologize, compose };
}
