/**
 * The simulator's public shapes: how it is configured, what it records of the bot's sends, and
 * which failures a test can inject. It plays the CT/CU platform, so these speak that carrier's
 * terms (parts, errorCode) rather than the bot's internal model.
 */
import type { BotMessage, Suggestion } from '../gsma.js';

export interface SimulatorOptions {
  chatbotId: string;
  appId: string;
  appKey: string;
  /** The token the platform signs callbacks with (the bot's CALLBACK_TOKEN). */
  callbackToken: string;
  /** The bot's notify base URL; may be set later with setNotifyUrl. */
  notifyUrl?: string;
  apiVersion: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** Message calls per second accepted before answering 30003. Unlimited when unset. */
  rateLimitPerSecond?: number;
  /** Delay before answering each platform API call. */
  latencyMs?: number;
  /** Users whose phones are not 5G-messaging terminals: messages go out as fallback SMS. */
  non5gNumbers?: string[];
  /** Users the platform does not know: their messages fail with errorCode 1. */
  unknownNumbers?: string[];
  /** Lifetime of issued access tokens (seconds). */
  tokenTtlSeconds?: number;
  /** Delay between consecutive delivery reports of one message. */
  reportDelayMs?: number;
  /** How long an injected timeout holds the request before closing it. */
  stallMs?: number;
}

/** One part of what the bot sent, decoded. */
export type ReceivedPart =
  | { kind: 'text'; text: string }
  | { kind: 'card'; card: BotMessage }
  | { kind: 'chips'; suggestions: Suggestion[] }
  | { kind: 'files'; files: unknown[] };

/** A message the platform accepted from the bot (each messageId once). */
export interface ReceivedMessage {
  messageId: string;
  user: string;
  parts: ReceivedPart[];
  /** The fallback SMS text, when the bot offered one. */
  smsContent?: string;
  /** How the phone got it: as a 5G message, as an SMS, or not at all (unknown number). */
  deliveredAs: 'rcs' | 'sms' | 'none';
  trafficType?: string;
  inReplyTo?: string;
  conversationId?: string;
  contributionId?: string;
  receivedAt: Date;
  /** The request body exactly as the bot sent it. */
  raw: Record<string, unknown>;
}

/** Failures the next message calls suffer, each a count of calls. */
export interface FailureInjection {
  /** HTTP 500 with errorCode -2. */
  serverErrors?: number;
  /** errorCode -1 (busy). */
  busy?: number;
  /** The request is held without being processed until the client gives up. */
  timeouts?: number;
  /** The message is accepted, but the answer never comes (the client sees a timeout). */
  lostResponses?: number;
  /** errorCode 30003, as if the per-second rate were exceeded. */
  rateLimited?: number;
  /** errorCode 42001: the current token is expired and must be fetched again. */
  tokenExpired?: number;
  /** A permanent rejection with this errorCode for the next `count` calls. */
  rejections?: { errorCode: number; count: number };
}

/** Counters a test can assert on. */
export interface SimulatorStats {
  tokenRequests: number;
  messageCalls: number;
  accepted: number;
  /** Accepted calls that repeated a messageId already accepted (not shown to the phone again). */
  duplicates: number;
  rejected: Record<string, number>;
  callbacksFailed: number;
}

export interface InboundPart {
  contentType: string;
  contentText: unknown;
  contentEncoding?: 'utf8' | 'base64';
}

export interface SendResult {
  messageId: string;
  /** The HTTP status the bot answered the callback with (0 when it could not be reached). */
  status: number;
  body?: string;
}
