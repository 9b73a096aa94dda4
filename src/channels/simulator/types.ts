/**
 * The simulator's public shapes: how it is configured, what it records of the bot's sends, and
 * which failures a test can inject. It plays carrier platforms, so these speak carrier terms
 * (parts, errorCode) rather than the bot's internal model.
 */
import type { BotMessage, Suggestion } from '../gsma.js';

/** A CT/CU chatbot the simulator plays. */
export interface SimulatedCtcuPlatform {
  id: string;
  family: 'ctcu';
  chatbotId: string;
  appId: string;
  appKey: string;
  /** The token the platform signs callbacks with (the bot's callback token). */
  callbackToken: string;
  apiVersion: string;
  /** Under the bot's notify URL (setNotifyUrl), where this chatbot's callbacks go. */
  notifyPath?: string;
  label?: string;
}

/** A China Mobile MaaP chatbot the simulator plays, in one of the two dialects. */
export interface SimulatedMaapPlatform {
  id: string;
  family: 'maap';
  dialect: 'xml' | 'json';
  chatbotId: string;
  appId: string;
  password: string;
  notifyPath?: string;
  label?: string;
}

export type SimulatedPlatform = SimulatedCtcuPlatform | SimulatedMaapPlatform;

/** One CT/CU chatbot, given by its fields: the shorthand most tests use. */
export type SingleCtcuPlatform = Omit<SimulatedCtcuPlatform, 'id' | 'family'> & { id?: string };

export type SimulatorOptions = SimulatorSettings & ({ platforms: SimulatedPlatform[] } | SingleCtcuPlatform);

export interface SimulatorSettings {
  /** The bot's notify base URL; may be set later with setNotifyUrl. */
  notifyUrl?: string;
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
  /** How often a CT/CU delivery report call is tried while the bot does not answer it (default 3; a bot restarting needs more). */
  reportAttempts?: number;
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
  /** The simulated platform that accepted it. */
  platformId?: string;
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
  /** The request body as the bot sent it (parsed). */
  raw: Record<string, unknown>;
  /** The request body text exactly as it came, where the wire matters (MaaP). */
  wire?: string;
  /** What the bot asked to be told (the platform's own report names). */
  reportRequest?: string[];
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
