/**
 * An echo turn handler for channel tests and benchmarks: answers every text with a card
 * repeating it, and every other kind of message with a short acknowledgement. It exercises the
 * whole inbound → outbound path with the least turn logic, the baseline the conversation is
 * measured against.
 */
import Handlebars from 'handlebars';
import type { InboundContent, InboundEvent, OutboundMessage } from '../../src/channels/model.js';
import type { Suggestion } from '../../src/channels/gsma.js';
import type { TurnHandler } from '../../src/inbound/turnHandler.js';

const content = {
  text: {
    title: '您刚才说',
    description: '{{text}}',
    smsFallback: '【政务服务】收到您的消息：{{text}}',
    suggestions: [
      { displayText: '再说一遍', postback: 'echo:again' },
      { displayText: '办事指南', postback: 'echo:guide' },
    ],
  },
  postback: '您点选了“{{displayText}}”',
  location: '收到您的位置：纬度 {{latitude}}，经度 {{longitude}}{{#if label}}（{{label}}）{{/if}}',
  file: '收到您发送的 {{count}} 个文件{{#if fileName}}：{{fileName}}{{/if}}',
  device: '收到您的设备信息{{#if deviceModel}}：{{deviceModel}}{{/if}}',
};

// Carrier limits the echo must stay within whatever the user typed.
const DESCRIPTION_MAX = 2000;
const TITLE_MAX = 200;
const SMS_MAX = 500;

type Render = (data: object) => string;

export function createEchoBot(): TurnHandler {
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
