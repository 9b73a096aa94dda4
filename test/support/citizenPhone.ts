/**
 * A citizen's phone on the simulated platform, for tests over real HTTP: send a text, tap a
 * chip or button of what the bot sent (its postback goes back as the phone would send it), and
 * read what arrived since the last look.
 */
import type { Suggestion } from '../../src/channels/gsma.js';
import type { ReceivedMessage } from '../../src/channels/simulator/index.js';
import type { RunningBot } from '../channels/ctcu/botHarness.js';

const SUGGESTION_RESPONSE = 'application/vnd.gsma.botsuggestion.response.v1.0+json';

export function labelOf(suggestion: Suggestion): string {
  return 'reply' in suggestion ? suggestion.reply.displayText : suggestion.action.displayText;
}

export function textOf(message: ReceivedMessage | undefined): string {
  return (message?.parts ?? []).flatMap((part) => (part.kind === 'text' ? [part.text] : [])).join('\n');
}

export function suggestionsOf(message: ReceivedMessage | undefined): Suggestion[] {
  return (message?.parts ?? []).flatMap((part): Suggestion[] => {
    if (part.kind === 'chips') return part.suggestions;
    if (part.kind !== 'card') return [];
    const content = part.card.message;
    return ('generalPurposeCard' in content ? [content.generalPurposeCard.content] : content.generalPurposeCardCarousel.content).flatMap((card) => card.suggestions ?? []);
  });
}

export class CitizenPhone {
  private seen = 0;

  constructor(
    private readonly bot: RunningBot,
    readonly user: string,
  ) {}

  received(): ReceivedMessage[] {
    return this.bot.simulator.received(this.user);
  }

  /** Waits until `count` new messages arrived, and returns them. */
  async next(count = 1, timeoutMs = 15_000): Promise<ReceivedMessage[]> {
    await this.bot.simulator.waitForMessages(() => this.received().length >= this.seen + count, timeoutMs);
    const messages = this.received().slice(this.seen, this.seen + count);
    this.seen += count;
    return messages;
  }

  async send(text: string, answers = 1): Promise<ReceivedMessage[]> {
    await this.bot.simulator.sendText(this.user, text);
    return this.next(answers);
  }

  async tap(label: string, on: ReceivedMessage | undefined, answers = 1): Promise<ReceivedMessage[]> {
    const suggestion = suggestionsOf(on).find((each) => labelOf(each) === label);
    if (!suggestion || !('reply' in suggestion)) throw new Error(`no reply chip ${label}: ${suggestionsOf(on).map(labelOf).join(', ')}`);
    const contentText = JSON.stringify({ response: { reply: { displayText: label, postback: { data: suggestion.reply.postback.data } } } });
    await this.bot.simulator.sendMessage(this.user, { contentType: SUGGESTION_RESPONSE, contentText });
    return this.next(answers);
  }
}
