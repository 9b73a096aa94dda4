/**
 * A citizen's phone over the real wire: what it sends goes through the platform simulator's
 * signed callbacks to the bot; each send waits for the bot's whole answer and checks every
 * message against our own card schema too. The whole answer is known from the bot's store, not
 * from a pause: the message's turn is done (its replies are queued first) and nothing for this
 * citizen is left in the outbox (each was accepted by the platform, which recorded it).
 */
import { expect } from 'chai';
import type { Suggestion } from '../../src/channels/gsma.js';
import { inboundRecordId, userKey } from '../../src/channels/identity.js';
import type { ReceivedMessage } from '../../src/channels/simulator/index.js';
import type { SimPlatform } from '../../src/channels/simulator/simPlatform.js';
import { describeSchemaErrors, validateRenderedMessage } from '../../src/render/cardSchema.js';
import type { RunningBot } from '../channels/ctcu/botHarness.js';
import { labelOf } from '../conversation/transcript.js';

const SUGGESTION_RESPONSE = 'application/vnd.gsma.botsuggestion.response.v1.0+json';

/** What one citizen sees: each send waits for the bot's answer to it. */
export class Phone {
  private seen = 0;
  constructor(
    private readonly bot: RunningBot,
    readonly user: string,
    /** The platform the phone writes through (the simulator's first, CT/CU, when absent). */
    readonly platformId?: string,
  ) {}

  private get platform(): SimPlatform {
    return this.bot.simulator.platform(this.platformId);
  }

  async send(text: string): Promise<Answer> {
    return this.exchange(() => this.platform.sendText(this.user, text));
  }

  async tap(label: string, answer: Answer): Promise<Answer> {
    const suggestion = answer.suggestion(label);
    if (!('reply' in suggestion)) throw new Error(`${label} is an action`);
    return this.postback(suggestion.reply.postback.data, label);
  }

  async postback(data: string, displayText: string): Promise<Answer> {
    const contentText = JSON.stringify({ response: { reply: { displayText, postback: { data } } } });
    return this.exchange(() => this.platform.sendMessage(this.user, { contentType: SUGGESTION_RESPONSE, contentText }));
  }

  async location(latitude: number, longitude: number): Promise<Answer> {
    return this.exchange(() => this.platform.sendMessage(this.user, { contentType: 'text/plain', contentText: `geo:${latitude},${longitude};crs=gcj02;u=10` }));
  }

  /** Waits for messages the bot sends on its own (a reminder, a queue call). */
  async notices(count = 1, timeoutMs = 15_000): Promise<Answer> {
    const mine = (): ReceivedMessage[] => this.platform.received(this.user);
    await this.platform.waitForMessages(() => mine().length >= this.seen + count, timeoutMs);
    const messages = mine().slice(this.seen);
    this.seen = mine().length;
    for (const message of messages) assertValid(message);
    return new Answer(messages);
  }

  private async exchange(send: () => Promise<{ status: number; messageId: string }>): Promise<Answer> {
    const sent = await send();
    // Accepted: CT/CU answers 200, a MaaP gateway's callback 204.
    expect(sent.status).to.equal(this.platform.family === 'maap' ? 204 : 200);
    await this.answered(sent.messageId);
    const mine = this.platform.received(this.user);
    const messages = mine.slice(this.seen);
    this.seen = mine.length;
    for (const message of messages) assertValid(message);
    return new Answer(messages);
  }

  /** Until the turn of `messageId` is done and every message to this citizen has left the outbox. */
  private async answered(messageId: string, timeoutMs = 15_000): Promise<void> {
    const platformId = this.platform.id;
    const recordId = inboundRecordId({ platformId, messageId });
    const key = userKey({ platformId, userId: this.user });
    const until = Date.now() + timeoutMs;
    for (;;) {
      const [turn, pending] = await Promise.all([
        this.bot.inbound.model.findById(recordId, { state: 1 }).lean().exec(),
        this.bot.outbox.model.countDocuments({ userKey: key, status: { $in: ['queued', 'sending'] } }).exec(),
      ]);
      if ((turn?.state === 'done' || turn?.state === 'failed') && pending === 0) return;
      if (Date.now() > until) throw new Error(`no whole answer to ${messageId} within ${timeoutMs} ms (turn ${turn?.state ?? 'not stored'}, ${pending} queued)`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

export class Answer {
  constructor(readonly messages: ReceivedMessage[]) {}

  get titles(): string[] {
    return this.messages.flatMap((message) =>
      message.parts.flatMap((part) => {
        if (part.kind !== 'card') return [];
        const content = part.card.message;
        return ('generalPurposeCard' in content ? [content.generalPurposeCard.content] : content.generalPurposeCardCarousel.content).map((card) => card.title ?? '');
      }),
    );
  }

  get descriptions(): string[] {
    return this.messages.flatMap((message) =>
      message.parts.flatMap((part) => {
        if (part.kind !== 'card') return [];
        const content = part.card.message;
        return ('generalPurposeCard' in content ? [content.generalPurposeCard.content] : content.generalPurposeCardCarousel.content).map((card) => card.description ?? '');
      }),
    );
  }

  get chips(): string[] {
    return this.messages.flatMap((message) => message.parts.flatMap((part) => (part.kind === 'chips' ? part.suggestions.map(labelOf) : [])));
  }

  get texts(): string[] {
    return this.messages.flatMap((message) => message.parts.flatMap((part) => (part.kind === 'text' ? [part.text] : [])));
  }

  suggestion(label: string): Suggestion {
    const all = this.messages.flatMap((message) =>
      message.parts.flatMap((part): Suggestion[] => {
        if (part.kind === 'chips') return part.suggestions;
        if (part.kind !== 'card') return [];
        const content = part.card.message;
        return ('generalPurposeCard' in content ? [content.generalPurposeCard.content] : content.generalPurposeCardCarousel.content).flatMap((card) => card.suggestions ?? []);
      }),
    );
    const found = all.find((suggestion) => labelOf(suggestion) === label);
    if (!found) throw new Error(`no button ${label}: ${all.map(labelOf).join(', ')}`);
    return found;
  }
}

/** Every message the platform received is valid by our own card schema too. */
export function assertValid(message: ReceivedMessage): void {
  const body = message.parts.find((part) => part.kind === 'text' || part.kind === 'card');
  const chips = message.parts.find((part) => part.kind === 'chips');
  const rendered = {
    body: body?.kind === 'text' ? { type: 'text', text: body.text } : { type: 'card', card: body?.kind === 'card' ? body.card : undefined },
    ...(chips?.kind === 'chips' ? { suggestions: chips.suggestions } : {}),
    ...(message.smsContent ? { smsFallback: message.smsContent } : {}),
  };
  expect(validateRenderedMessage(rendered), describeSchemaErrors(validateRenderedMessage.errors).map((p) => p.message).join('\n')).to.equal(true);
}

