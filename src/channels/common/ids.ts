/** Ids the bot derives for the carriers: the same inputs always give the same id, so a retried send is the same request. */
import { createHash } from 'node:crypto';

/** A UUID-shaped id derived from the inputs. */
export function derivedId(...inputs: string[]): string {
  const hex = createHash('sha256').update(inputs.join('|')).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** The conversation a user has with the chatbot, stable when the bot did not get one from the user. */
export function conversationIdFor(chatbotId: string, userId: string): string {
  return derivedId('conversation', chatbotId, userId);
}
