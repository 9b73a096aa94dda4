/**
 * The one internal message model. A carrier adapter (src/channels/<carrier>/) turns its wire
 * format into an InboundEvent and an OutboundMessage into its wire format; nothing outside the
 * adapter knows a carrier's field names.
 */
import type { BotMessage, ChatbotMenu, Suggestion } from './gsma.js';

/** A user address, normalised to `tel:+<E.164>`. */
export type UserAddress = string;

export interface FileReference {
  kind: 'file' | 'thumbnail';
  url: string;
  fileName?: string;
  contentType?: string;
  fileSize?: number;
  /** Until when the platform keeps the file. */
  until?: string;
}

export interface DeviceInfo {
  deviceModel?: string;
  platformVersion?: string;
  clientVendor?: string;
  clientVersion?: string;
  batteryRemainingMinutes?: number;
}

export type InboundContent =
  | { type: 'text'; text: string }
  /** A tapped suggestion: its postback data and the text the phone displayed. */
  | { type: 'postback'; data: string; displayText: string }
  | { type: 'location'; latitude: number; longitude: number; label?: string; crs?: string; uncertaintyMeters?: number }
  | { type: 'file'; files: FileReference[] }
  | { type: 'device'; device: DeviceInfo };

export interface InboundEvent {
  /** The carrier's messageId: the dedupe key (the platform retries callbacks). */
  messageId: string;
  /** Which adapter produced it, e.g. `ctcu`. */
  channel: string;
  chatbotId: string;
  userId: UserAddress;
  conversationId: string;
  contributionId: string;
  /** The contributionId of the bot message this one answers, when the platform says so. */
  inReplyTo?: string;
  /** When the user sent it (the platform's dateTime), if given. */
  sentAt?: Date;
  content: InboundContent;
}

export type TrafficType = 'advertisement' | 'payment' | 'premium' | 'subscription' | 'token';

export type OutboundBody =
  | { type: 'text'; text: string }
  /** A rich card or a carousel, as GSMA botmessage JSON. */
  | { type: 'card'; card: BotMessage };

export interface OutboundMessage {
  userId: UserAddress;
  body: OutboundBody;
  /** A chip list shown under the message. */
  suggestions?: Suggestion[];
  /** Sent as an SMS when the user's phone cannot show 5G messages. */
  smsFallback?: string;
  trafficType?: TrafficType;
  conversationId?: string;
  /** The contributionId of the user message being answered. */
  inReplyTo?: string;
}

/** Delivery states an outbound message moves through, carrier-neutral. */
export type DeliveryStatus =
  | 'queued'
  | 'sending'
  | 'sent'
  | 'delivered'
  | 'displayed'
  | 'deliveredToNetwork'
  | 'failed'
  | 'revoked';

/** A carrier delivery report, translated by the adapter. */
export interface DeliveryReport {
  messageId: string;
  status: Exclude<DeliveryStatus, 'queued' | 'sending'> | 'revokeFailed';
  at?: Date;
  userId?: UserAddress;
  errorCode?: number;
  errorMessage?: string;
}

/** Where the turn logic puts what it wants said; the outbox implements it. */
export interface OutboundQueue {
  /**
   * Stores the message for sending and returns its id. `dedupeKey` makes the call idempotent:
   * enqueueing twice with the same key stores one message (a retried turn sends nothing twice).
   */
  enqueue(message: OutboundMessage, options?: { dedupeKey?: string }): Promise<string>;
}

/** Where an adapter hands translated delivery reports; the outbox implements it idempotently. */
export interface DeliveryReportSink {
  applyDeliveryReports(reports: DeliveryReport[]): Promise<void>;
}

/**
 * What a send attempt came to, as the carrier adapter judges it: accepted by the platform, worth
 * retrying later (network, timeouts, busy, rate exceeded), or refused for good (bad content, no
 * such user) with the carrier's code and reason.
 */
export type SendOutcome =
  | { kind: 'accepted' }
  | { kind: 'retry'; reason: string; errorCode?: number }
  | { kind: 'rejected'; reason: string; errorCode?: number };

/** How the sender hands one stored message to a carrier; `messageId` is stable across retries. */
export interface OutboundTransport {
  send(messageId: string, message: OutboundMessage): Promise<SendOutcome>;
}

/** How the bot sets what the platform shows beside the chat: its fixed menu. */
export interface ChatbotProfile {
  publishMenu(menu: ChatbotMenu): Promise<SendOutcome>;
}
