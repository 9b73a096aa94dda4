/**
 * 好差评 assembled once the conversation and the outbox exist (its stores come with the
 * conversation: stores.ts): the asker and its background sweep, the rectification desk, the
 * statistics, and what happens when an agent closes a handoff or a citizen is called to a window.
 */
import type { Model } from 'mongoose';
import type { OutboundQueue } from '../channels/model.js';
import type { Catalog } from '../catalog/catalog.js';
import type { PostbackCodec } from '../conversation/postback.js';
import type { SessionDocument } from '../conversation/sessionStores.js';
import type { Conversation } from '../conversation/turn.js';
import type { Handoff, Handoffs } from '../handoff/handoffs.js';
import type { Logger } from '../log.js';
import { SessionActivity } from './activity.js';
import { RatingAsker } from './asker.js';
import { QuietHours } from './quietHours.js';
import { RectificationDesk } from './rectificationDesk.js';
import { handoffService, visitService, type Visit } from './serviceOf.js';
import { RatingStatistics } from './stats.js';
import type { AskReason, NewService } from './records.js';
import type { RatingConfig, RatingStores } from './stores.js';

/** How often each process sweeps for quiet conversations and interrupted questions. */
export const SWEEP_INTERVAL_MS = 30_000;

export interface Ratings {
  asker: RatingAsker;
  desk: RectificationDesk;
  statistics: RatingStatistics;
  stores: RatingStores;
  /** For HandoffDesk: an agent closed a handoff; ask the citizen about it. */
  handoffClosed(handoff: Handoff): Promise<void>;
  /** For appointments: the citizen was called to a window; the sweep asks about it once they have been served. */
  visited(visit: Visit): Promise<void>;
  stop(): Promise<void>;
}

export interface RatingPorts {
  stores: RatingStores;
  config: RatingConfig;
  conversation: Pick<Conversation, 'compose'>;
  outbox: OutboundQueue;
  postbacks: PostbackCodec;
  catalog: Catalog;
  handoffs: Pick<Handoffs, 'findOpen'>;
  sessions: { model: Model<SessionDocument>; idleMs: number };
  log: Logger;
  clock?: () => Date;
  /** 0: no background sweep (tests run it by hand). */
  sweepIntervalMs?: number;
}

export function startRatings(ports: RatingPorts): Ratings {
  const { stores, config, catalog, log } = ports;
  const clock = ports.clock ?? (() => new Date());
  const asker = new RatingAsker({
    ledger: stores.ledger,
    conversation: ports.conversation,
    outbox: ports.outbox,
    postbacks: ports.postbacks,
    catalog,
    levels: stores.levels,
    activity: new SessionActivity(ports.sessions.model, ports.sessions.idleMs),
    handoffs: ports.handoffs,
    quietHours: QuietHours.parse(config.RATING_QUIET_HOURS, config.TIMEZONE),
    idleMs: stores.services.idleMs,
    log,
  });
  /** Records the service and asks at once; if asking fails, the sweep asks later (the service is recorded first). */
  const recordAndAsk = async (service: NewService, reason: AskReason, now: Date): Promise<void> => {
    try {
      await stores.ledger.served(service);
      await asker.askNow(service.userKey, reason, now);
    } catch (error) {
      // What happened stands whatever happens here (the handoff is closed, the visit done).
      log.error({ err: error, service: service._id }, 'could not ask for a rating');
    }
  };
  const interval = ports.sweepIntervalMs ?? SWEEP_INTERVAL_MS;
  const sweeping = interval > 0 ? asker.start(interval, clock) : undefined;
  return {
    asker,
    desk: new RectificationDesk({ store: stores.rectifications, conversation: ports.conversation, outbox: ports.outbox, catalog, clock }),
    statistics: new RatingStatistics(stores.ledger.services),
    stores,
    async handoffClosed(handoff) {
      const now = clock();
      const service = handoffService(handoff, now, now, catalog);
      if (service) await recordAndAsk(service, 'handoff-closed', now);
    },
    async visited(visit) {
      try {
        await stores.ledger.served(visitService(visit));
      } catch (error) {
        // The call to the window stands; this visit goes unrated.
        log.error({ err: error, appointment: visit.appointmentId }, 'could not record a visit for rating');
      }
    },
    stop: async () => sweeping?.stop(),
  };
}
