/**
 * One turn as the flows see it: the event, the session, what was understood, the services, and
 * the replies said so far. A flow decides *what* to say (a template name and its data); the turn
 * renders it afterwards. Nothing here knows a carrier.
 */
import type { InboundEvent } from '../channels/model.js';
import type { Catalog } from '../catalog/catalog.js';
import type { Logger } from '../log.js';
import type { Nlu } from '../nlu/classifier.js';
import type { Understanding } from '../nlu/understand.js';
import type { ApplicationLookup } from '../applications/applications.js';
import type { Appointments } from '../appointments/appointments.js';
import type { Postback, PostbackCodec } from './postback.js';
import type { Session } from './session.js';
import type { HelpMenu } from './helpMenu.js';
import type { Handoffs } from '../handoff/handoffs.js';
import type { AgentHours } from '../handoff/agentHours.js';
import type { RatingServices } from '../ratings/ledger.js';
import type { Subscriptions } from '../subscriptions/subscriptions.js';
import type { Policies } from '../policies/policies.js';
import type { PolicyWatches } from '../policies/watches.js';
import type { EnterpriseLookup } from '../directory/directory.js';
import type { Vocabulary } from '../directory/vocabulary.js';
import type { CampaignEngagement } from '../campaigns/engagement.js';

/** What to say: a card template of cards/templates and the data it is rendered with. */
export interface Reply {
  template: string;
  data: Record<string, unknown>;
}

/** What the flows work with besides the turn itself. */
export interface ConversationServices {
  catalog: Catalog;
  nlu: Nlu;
  postbacks: PostbackCodec;
  applications: ApplicationLookup;
  appointments: Appointments;
  helpMenu: HelpMenu;
  handoffs: Handoffs;
  agentHours: AgentHours;
  ratings: RatingServices;
  subscriptions: Subscriptions;
  /** The district's policies, the directory's values and the finder's questions, the directory itself. */
  policies: Policies;
  vocabulary: Vocabulary;
  directory: EnterpriseLookup;
  policyWatches: PolicyWatches;
  /** Taps on campaign cards and opt-outs, counted for the campaigns. */
  engagement: CampaignEngagement;
  log: Logger;
}

export class TurnContext {
  readonly replies: Reply[] = [];
  understanding?: Understanding;
  postback?: Postback;
  /** The flow that answered, for the turn's log line. */
  flow?: string;

  constructor(
    readonly event: InboundEvent,
    readonly session: Session,
    readonly services: ConversationServices,
    readonly now: Date,
  ) {}

  say(template: string, data: Record<string, unknown> = {}): void {
    this.replies.push({ template, data });
  }

  /** Postback data for a button that runs `action` with `args`. */
  action(action: string, ...args: Array<string | number>): string {
    return this.services.postbacks.encode(action, ...args);
  }
}
