/**
 * When a citizen last talked to the bot, read from their session: a session expires
 * SESSION_IDLE_MINUTES after its last turn, so its expiry says when that turn was. No session
 * means the conversation has been quiet for at least that long.
 */
import type { Model } from 'mongoose';
import type { SessionDocument } from '../conversation/sessionStores.js';

export interface ConversationActivity {
  lastTurnAt(userKey: string): Promise<Date | undefined>;
}

export class SessionActivity implements ConversationActivity {
  constructor(
    private readonly sessions: Model<SessionDocument>,
    private readonly sessionIdleMs: number,
  ) {}

  async lastTurnAt(userKey: string): Promise<Date | undefined> {
    const session = await this.sessions.findById(userKey, { expiresAt: 1 }).lean<Pick<SessionDocument, 'expiresAt'>>().exec();
    return session ? new Date(session.expiresAt.getTime() - this.sessionIdleMs) : undefined;
  }
}
