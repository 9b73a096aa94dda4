/**
 * Realistic citizen traffic for the conversation benchmark: each user works through scripted
 * conversations — a guide walked through its buttons, an item and an aspect in one message,
 * bare follow-ups, a close call and its chip, the fallback and a theme, halls with a shared
 * location, a progress query, small talk. Button taps carry the postback data the bot would have
 * sent (made with the same secret), so they reach the flows as real taps do.
 */
import { PostbackCodec } from '../../src/conversation/postback.js';

type Step = { text: string } | { tap: string; action: string; args: string[] } | { location: [number, number] };

const tap = (label: string, action: string, ...args: string[]): Step => ({ tap: label, action, args });

export const SCRIPTS: Step[][] = [
  [{ text: '我想办居住证' }, tap('所需材料', 'guide.materials', 'residence-permit-apply'), tap('办理流程', 'guide.step', 'residence-permit-apply', '1'), tap('下一步', 'guide.step', 'residence-permit-apply', '2'), { text: '多久能办好' }, { text: '谢谢' }],
  [{ text: '护照多久能拿到' }, { text: '在哪里办' }, { text: '收费吗' }, { text: '要本人去吗' }],
  [{ text: '孩子刚出生怎么上户口' }, { text: '要带什么' }, tap('办理条件', 'guide.conditions', 'hukou-newborn'), { text: '电话多少' }],
  [{ text: '居住证' }, tap('居住证签注（续期）', 'guide.show', 'residence-permit-renew'), { text: '能网上办吗' }],
  [{ text: '今天天气怎么样' }, tap('户籍办理', 'help.theme', '户籍办理'), tap('办事指南', 'guide.show', 'hukou-talent-transfer')],
  [{ text: '大厅在哪里' }, { location: [22.49, 113.92] }],
  [{ text: '查一下办件进度' }, { text: 'NS201901010001' }],
  [{ text: '你好' }, { text: '公积金怎么提取' }, { text: '需要哪些材料' }, { text: '再见' }],
  [{ text: '开公司办营业执照要多久' }, tap('所需材料', 'guide.materials', 'business-license-company'), tap('办理流程', 'guide.step', 'business-license-company', '1')],
];

const SUGGESTION_RESPONSE = 'application/vnd.gsma.botsuggestion.response.v1.0+json';

/** The next message part of each user, in script order; users start at different scripts. */
export class CitizenTraffic {
  private readonly postbacks: PostbackCodec;
  private readonly cursors = new Map<number, { script: number; step: number }>();

  constructor(postbackSecret: string) {
    this.postbacks = new PostbackCodec(postbackSecret);
  }

  next(user: number): { contentType: string; contentText: string } {
    const cursor = this.cursors.get(user) ?? { script: user % SCRIPTS.length, step: 0 };
    const script = SCRIPTS[cursor.script] ?? [];
    const step = script[cursor.step] ?? { text: '你好' };
    const done = cursor.step + 1 >= script.length;
    this.cursors.set(user, done ? { script: (cursor.script + 1) % SCRIPTS.length, step: 0 } : { script: cursor.script, step: cursor.step + 1 });
    if ('text' in step) return { contentType: 'text/plain', contentText: step.text };
    if ('location' in step) return { contentType: 'text/plain', contentText: `geo:${step.location[0]},${step.location[1]};crs=gcj02;u=10` };
    const response = { response: { reply: { displayText: step.tap, postback: { data: this.postbacks.encode(step.action, ...step.args) } } } };
    return { contentType: SUGGESTION_RESPONSE, contentText: JSON.stringify(response) };
  }
}
