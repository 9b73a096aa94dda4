/**
 * What a template renders to: the carrier-neutral body of an outbound message, its chip list and
 * its fallback SMS. The turn adds the addressing (user, conversation, reply threading).
 */
import type { BotMessage, CardContent, CardLayout, Suggestion } from '../channels/gsma.js';
import type { OutboundMessage } from '../channels/model.js';
import type { Json } from './evaluate.js';

export type RenderedMessage = Pick<OutboundMessage, 'body' | 'suggestions' | 'smsFallback'>;

/** The top-level keys of a template file that produce output. */
export const MESSAGE_KINDS = ['text', 'card', 'carousel'] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

const DEFAULT_LAYOUT: CardLayout = { cardOrientation: 'VERTICAL' };

type JsonObject = { [key: string]: Json };

function asObject(value: Json | undefined): JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : {};
}

/** A template's `card:` is the card content with an optional `layout` beside it. */
function cardParts(value: Json | undefined): { layout: CardLayout; content: CardContent } {
  const { layout, ...content } = asObject(value);
  return { layout: layout === undefined ? DEFAULT_LAYOUT : (layout as unknown as CardLayout), content: content as unknown as CardContent };
}

function botMessage(kind: Exclude<MessageKind, 'text'>, value: Json | undefined): BotMessage {
  if (kind === 'card') return { message: { generalPurposeCard: cardParts(value) } };
  const { cardWidth, cards } = asObject(value);
  const content = (Array.isArray(cards) ? cards : []).map((card) => cardParts(card).content);
  return { message: { generalPurposeCardCarousel: { layout: { cardWidth: (cardWidth ?? 'MEDIUM_WIDTH') as 'MEDIUM_WIDTH' }, content } } };
}

/**
 * Puts rendered template parts together. Text keeps what it rendered (the schema check then
 * refuses an empty text); a text message without its own `sms` falls back to the text itself.
 */
export function assembleMessage(kind: MessageKind, parts: Map<string, Json | undefined>): RenderedMessage {
  const chips = parts.get('chips');
  const sms = parts.get('sms');
  const body: OutboundMessage['body'] =
    kind === 'text' ? { type: 'text', text: typeof parts.get('text') === 'string' ? (parts.get('text') as string) : '' } : { type: 'card', card: botMessage(kind, parts.get(kind)) };
  const smsFallback = typeof sms === 'string' ? sms : body.type === 'text' ? body.text : undefined;
  return {
    body,
    ...(Array.isArray(chips) && chips.length > 0 ? { suggestions: chips as unknown as Suggestion[] } : {}),
    ...(smsFallback ? { smsFallback } : {}),
  };
}

/**
 * Where a value a template part rendered (`pointer` inside the part) sits in the assembled
 * message, for pointing a check of the message back at the template line that made it.
 */
export function outputPointer(kind: MessageKind, part: string, pointer: string): string {
  if (part === 'chips') return `/suggestions${pointer}`;
  if (part === 'sms') return '/smsFallback';
  if (part === 'text') return '/body/text';
  if (part === 'card') {
    const base = '/body/card/message/generalPurposeCard';
    return pointer.startsWith('/layout') ? `${base}${pointer}` : `${base}/content${pointer}`;
  }
  const base = '/body/card/message/generalPurposeCardCarousel';
  if (pointer.startsWith('/cards')) return `${base}/content${pointer.slice('/cards'.length)}`;
  return pointer === '/cardWidth' ? `${base}/layout/cardWidth` : base;
}
