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
  /** The carrier's messageId: with platformId, the dedupe key (the platform retries callbacks). */
  messageId: string;
  /** Which adapter produced it: `ctcu` or `maap`. */
  channel: string;
  /**
   * The configured platform (one chatbot on one carrier) the message came through. A user is
   * known per platform: the same number on two platforms is two users (see identity.ts).
   */
  platformId: string;
  chatbotId: string;
  /** The user's number, the same on every platform; with platformId it names the user (userKey). */
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
  /**
   * The platform to send through. A reply need not set it: the inbox sends it back through the
   * platform the user wrote in on. Required when several platforms are configured and the
   * message answers no one (the outbox refuses to guess).
   */
  platformId?: string;
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
  /** `unrecognised`: a status the adapter does not know, kept as news (carrierStatus) without moving the message. */
  status: Exclude<DeliveryStatus, 'queued' | 'sending'> | 'revokeFailed' | 'unrecognised';
  /** The status as the carrier wrote it. */
  carrierStatus?: string;
  at?: Date;
  userId?: UserAddress;
  errorCode?: number;
  errorMessage?: string;
}

export interface EnqueueOptions {
  /** Enqueueing twice with the same key stores one message (a retried turn sends nothing twice). */
  dedupeKey?: string;
  /** For a reply: when the user wrote what it answers. A user who complained of spam since then is not messaged. */
  userWroteAt?: Date;
  /** A campaign's message: sent after replies and paced behind them, counted for the campaign. */
  campaignId?: string;
  /** The campaign's own rate (messages per second over every process), if it has one. */
  campaignRate?: number;
}

/** Where the turn logic puts what it wants said; the outbox implements it. */
export interface OutboundQueue {
  /** Stores the message for sending and returns its id. */
  enqueue(message: OutboundMessage, options?: EnqueueOptions): Promise<string>;
}

/** Where an adapter hands translated delivery reports; the outbox implements it idempotently. */
export interface DeliveryReportSink {
  applyDeliveryReports(reports: DeliveryReport[]): Promise<void>;
}

/**
 * A user's complaint that the chatbot's messages are spam. `userId` is known when the carrier
 * says who complained (MaaP); else it is found from the reported messageIds (CT/CU).
 */
export interface SpamReport {
  platformId: string;
  /** The carrier's id of the report itself, when it has one: a repeated report is recorded once. */
  reportId?: string;
  userId?: UserAddress;
  messageIds: string[];
  spamType?: string;
  freeText?: string;
  at: Date;
}

/** Where an adapter hands spam reports; the user is then not messaged again unless they write first. */
export interface ComplaintSink {
  recordSpamReport(report: SpamReport): Promise<void>;
}

/** What became of a message handed to the inbox. */
export type ReceiveOutcome = 'new' | 'duplicate' | 'replayed';

/** A single-use key a carrier's callback carries (the CT/CU nonce). */
export interface CallbackKey {
  key: string;
  /** Until when a replay must be refused by its key (after that, its timestamp is refused). */
  keepUntil: Date;
}

/**
 * Where a channel adapter hands what the platform sent. `receive` resolves once the message is
 * durably stored (the adapter may then acknowledge it), with 'duplicate' for a message this
 * platform already delivered. Processing happens from the stored record (the inbound processor
 * implements this).
 *
 * Callback keys: a carrier whose callbacks carry a single-use key (the CT/CU nonce) passes it
 * along. Every key is accepted once across every kind of callback and every process on the
 * store: `receive` stores a message and uses up its key in one write ('replayed', with nothing
 * stored, when the key was already used), and `takeCallbackKey` uses up the key of a callback
 * that carries no message (delivery reports, notices).
 */
export interface Inbox {
  receive(event: InboundEvent, callbackKey?: CallbackKey): Promise<ReceiveOutcome>;
  /** False when a callback already used the key. */
  takeCallbackKey(key: CallbackKey): Promise<boolean>;
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
  /** Asks the platform to recall a message not yet delivered; the result comes as a delivery report. */
  revoke?(messageId: string, message: OutboundMessage): Promise<SendOutcome>;
  /** Releases connections. */
  close?(): void;
}

/** How the bot sets what the platform shows beside the chat: its fixed menu. */
export interface ChatbotProfile {
  publishMenu(menu: ChatbotMenu): Promise<SendOutcome>;
}
