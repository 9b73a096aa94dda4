/**
 * A citizen's conversation state. Each flow owns a slice of it under its own name (the guide
 * flow keeps the current item, the progress flow whether it waits for a number …) and reads it
 * through its own schema, so a slice written by an older version of a flow is dropped rather
 * than trusted.
 *
 * The stored record also remembers the last turn (its message id and the replies it produced):
 * a turn run again for the same message (crash recovery) returns those replies and changes
 * nothing. Writes are versioned — a save succeeds only if the record is still at the version the
 * turn loaded, so a turn never silently overwrites another's — and a record expires after
 * SESSION_IDLE_MINUTES without a turn.
 */
import type { z } from 'zod';
import type { OutboundMessage } from '../channels/model.js';

export type SessionState = Record<string, unknown>;

export interface TurnRecord {
  messageId: string;
  replies: OutboundMessage[];
}

export interface StoredSession {
  /** 0 when there is no record yet. */
  version: number;
  state: SessionState;
  lastTurn?: TurnRecord;
}

export interface SessionStore {
  load(key: string): Promise<StoredSession>;
  /** Writes state and last turn if the record is still at `version`; false when another turn got there first. */
  save(key: string, version: number, update: { state: SessionState; lastTurn: TurnRecord }, expiresAt: Date): Promise<boolean>;
}

/** The working copy of a session during one turn. */
export class Session {
  private readonly state: SessionState;

  constructor(stored: SessionState = {}) {
    this.state = structuredClone(stored);
  }

  /** The flow's slice, or undefined when absent or not of the flow's current shape. */
  get<T>(flow: string, schema: z.ZodType<T>): T | undefined {
    const slice = this.state[flow];
    // Most turns ask for slices the session does not hold: no parse (and no error report) for those.
    if (slice === undefined) return undefined;
    const parsed = schema.safeParse(slice);
    return parsed.success ? parsed.data : undefined;
  }

  set(flow: string, value: unknown): void {
    if (value === undefined) delete this.state[flow];
    else this.state[flow] = value;
  }

  snapshot(): SessionState {
    return structuredClone(this.state);
  }
}

