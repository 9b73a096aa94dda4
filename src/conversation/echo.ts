/**
 * The temporary echo bot: answers every text with a card repeating it, and every other kind of
 * message with a short acknowledgement, so the whole inbound → outbound path is exercised until
 * the conversation logic replaces it. The wording lives in cards/echo.json.
 */
import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import { z } from 'zod';
import type { InboundContent, InboundEvent, OutboundMessage } from '../channels/model.js';
import type { Suggestion } from '../channels/gsma.js';
import type { TurnHandler } from '../inbound/turnHandler.js';

const DEFAULT_CONTENT_FILE = new URL('../../cards/echo.json', import.meta.url);

const template = z.string().min(1);
const echoContentSchema = z.object({
  text: z.object({
    title: template,
    description: template,
    smsFallback: template,
    suggestions: z.array(z.object({ displayText: z.string().min(1).max(25), postback: z.string().min(1).max(2048) })).max(4),
  }),
  postback: template,
  location: template,
  file: template,
  device: template,
});

// Carrier limits the echo must stay within whatever the user typed.
const DESCRIPTION_MAX = 2000;
const TITLE_MAX = 200;
const SMS_MAX = 500;

type Render = (data: object) => string;

export function createEchoBot(contentFile: URL | string = DEFAULT_CONTENT_FILE): TurnHandler {
  const content = echoContentSchema.parse(JSON.parse(readFileSync(contentFile, 'utf8')));
  const compile = (source: string): Render => Handlebars.compile(source, { noEscape: true, strict: false });
  const card = {
    title: compile(content.text.title),
    description: compile(content.text.description),
    sms: compile(content.text.smsFallback),
  };
  const acknowledgement: Record<Exclude<InboundContent['type'], 'text'>, Render> = {
    postback: compile(content.postback),
    location: compile(content.location),
    file: compile(content.file),
    device: compile(content.device),
  };
  const suggestions: Suggestion[] = content.text.suggestions.map((chip) => ({
    reply: { displayText: chip.displayText, postback: { data: chip.postback } },
  }));

  return async (event: InboundEvent): Promise<OutboundMessage[]> => {
    const reply = { userId: event.userId, conversationId: event.conversationId, inReplyTo: event.contributionId };
    if (event.content.type !== 'text') {
      const text = acknowledgement[event.content.type](templateData(event.content));
      return [{ ...reply, body: { type: 'text', text: truncate(text, DESCRIPTION_MAX) } }];
    }
    const data = { text: event.content.text };
    return [
      {
        ...reply,
        body: {
          type: 'card',
          card: {
            message: {
              generalPurposeCard: {
                layout: { cardOrientation: 'VERTICAL' },
                content: {
                  title: truncate(card.title(data), TITLE_MAX),
                  description: truncate(card.description(data), DESCRIPTION_MAX),
                  suggestions,
                },
              },
            },
          },
        },
        smsFallback: truncate(card.sms(data), SMS_MAX),
      },
    ];
  };
}

function templateData(content: Exclude<InboundContent, { type: 'text' }>): object {
  switch (content.type) {
    case 'file': {
      const files = content.files.filter((file) => file.kind === 'file');
      return { count: files.length, fileName: files[0]?.fileName };
    }
    case 'device':
      return content.device;
    default:
      return content;
  }
}

function truncate(text: string, max: number): string {
  const characters = [...text];
  return characters.length <= max ? text : `${characters.slice(0, max - 1).join('')}…`;
}
