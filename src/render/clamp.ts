/**
 * The safety net under the templates: whatever the data, a rendered message is brought within
 * the carrier limits before it is checked and queued — long text is cut with an ellipsis, extra
 * buttons, chips and carousel cards are dropped, a one-card carousel becomes a card. Templates
 * should shorten content themselves (`truncate`); `cards:lint` reports samples that rely on this.
 */
import type { BotMessage, CardContent, Suggestion } from '../channels/gsma.js';
import { truncateText } from './helpers.js';
import { LIMITS } from './limits.js';
import type { RenderedMessage } from './renderedMessage.js';

/**
 * Cuts a text field; leaves anything else alone. The clamp runs before the schema check, on
 * whatever a template produced, so a field may be missing or of the wrong type: the check then
 * reports it.
 */
function cut<T>(value: T, max: number): T {
  return (typeof value === 'string' ? truncateText(value, max) : value) as T;
}

function clampSuggestion(suggestion: Suggestion): Suggestion {
  if (suggestion === null || typeof suggestion !== 'object') return suggestion;
  if ('reply' in suggestion) {
    return { reply: { ...suggestion.reply, displayText: cut(suggestion.reply.displayText, LIMITS.displayText) } };
  }
  if (suggestion.action === null || typeof suggestion.action !== 'object') return suggestion;
  const action = { ...suggestion.action, displayText: cut(suggestion.action.displayText, LIMITS.displayText) };
  if ('calendarAction' in action) {
    const event = action.calendarAction.createCalendarEvent;
    action.calendarAction = {
      createCalendarEvent: {
        ...event,
        title: cut(event.title, LIMITS.calendarTitle),
        ...(event.description === undefined ? {} : { description: cut(event.description, LIMITS.calendarDescription) }),
      },
    };
  }
  if ('composeAction' in action) {
    const compose = action.composeAction.composeTextMessage;
    action.composeAction = { composeTextMessage: { ...compose, text: cut(compose.text, LIMITS.composeText) } };
  }
  return { action };
}

function clampContent(content: CardContent): CardContent {
  const clamped: CardContent = { ...content };
  if (clamped.title !== undefined) clamped.title = cut(clamped.title, LIMITS.title);
  if (clamped.description !== undefined) clamped.description = cut(clamped.description, LIMITS.description);
  if (clamped.media?.contentDescription !== undefined) {
    clamped.media = { ...clamped.media, contentDescription: cut(clamped.media.contentDescription, LIMITS.contentDescription) };
  }
  if (clamped.suggestions !== undefined) clamped.suggestions = (Array.isArray(clamped.suggestions) ? clamped.suggestions : []).slice(0, LIMITS.suggestionsPerCard).map(clampSuggestion);
  return clamped;
}

function clampBotMessage(card: BotMessage): BotMessage {
  const message = card.message;
  if ('generalPurposeCard' in message) {
    return { message: { generalPurposeCard: { ...message.generalPurposeCard, content: clampContent(message.generalPurposeCard.content) } } };
  }
  const carousel = message.generalPurposeCardCarousel;
  const cards = (Array.isArray(carousel.content) ? carousel.content : []).slice(0, LIMITS.carouselMax).map(clampContent);
  const only = cards[0];
  if (cards.length === 1 && only !== undefined) return { message: { generalPurposeCard: { layout: { cardOrientation: 'VERTICAL' }, content: only } } };
  return { message: { generalPurposeCardCarousel: { ...carousel, content: cards } } };
}

export function clampMessage(rendered: RenderedMessage): RenderedMessage {
  const body = rendered.body.type === 'text' ? { type: 'text' as const, text: cut(rendered.body.text, LIMITS.textPart) } : { type: 'card' as const, card: clampBotMessage(rendered.body.card) };
  return {
    body,
    ...(rendered.suggestions ? { suggestions: rendered.suggestions.slice(0, LIMITS.chips).map(clampSuggestion) } : {}),
    ...(rendered.smsFallback ? { smsFallback: cut(rendered.smsFallback, LIMITS.sms) } : {}),
  };
}
