import { expect } from 'chai';
import { ContentError, type ContentProblem } from '../../src/content/problems.js';
import { RenderError, TemplateSet } from '../../src/render/templateSet.js';
import { validateRenderedMessage } from '../../src/render/cardSchema.js';
import { tempCards, type TempCards } from './cardsDir.js';

const SETTINGS = { timeZone: 'Asia/Shanghai' };
const SAMPLE = '默认: {}\n';

function problemsOf(files: Record<string, string>): ContentProblem[] {
  const cards = tempCards(files);
  try {
    TemplateSet.load(cards.dir, SETTINGS);
    return [];
  } catch (error) {
    if (error instanceof ContentError) return error.problems;
    throw error;
  } finally {
    cards.remove();
  }
}

describe('card templates', () => {
  let cards: TempCards | undefined;
  afterEach(() => cards?.remove());

  function load(files: Record<string, string>): TemplateSet {
    cards = tempCards(files);
    return TemplateSet.load(cards.dir, SETTINGS);
  }

  it('builds the card from the template structure, whatever quotes and newlines the data holds', () => {
    const set = load({
      'templates/card.yaml': 'card:\n  title: "{{name}}"\n  description: "说明：{{text}}"\nsms: "{{name}}"\n',
      'templates/card.samples.yaml': SAMPLE,
    });
    const text = '他说："好的"\n}]},{"x":\\';
    const message = set.render('card', { name: '引号"和\n换行', text });
    expect(message.body).to.deep.equal({
      type: 'card',
      card: { message: { generalPurposeCard: { layout: { cardOrientation: 'VERTICAL' }, content: { title: '引号"和\n换行', description: `说明：${text}` } } } },
    });
    expect(validateRenderedMessage(message)).to.equal(true);
  });

  it('keeps a list entry only when its $if holds', () => {
    const set = load({
      'templates/t.yaml': 'text: "hi{{suffix}}"\nchips:\n  - $if: show\n    reply: { displayText: 甲, postback: { data: a } }\n  - $unless: show\n    reply: { displayText: 乙, postback: { data: b } }\n',
      'templates/t.samples.yaml': SAMPLE,
    });
    const shown = set.render('t', { show: true });
    expect(shown.body).to.deep.equal({ type: 'text', text: 'hi' });
    expect(shown.suggestions?.map((chip) => ('reply' in chip ? chip.reply.displayText : ''))).to.deep.equal(['甲']);
    const hidden = set.render('t', { show: false });
    expect(hidden.suggestions?.map((chip) => ('reply' in chip ? chip.reply.postback.data : ''))).to.deep.equal(['b']);
  });

  it('leaves out a field that renders empty, and reports a required one at its template line', () => {
    const set = load({
      'templates/t.yaml': 'text: hi\nchips:\n  - reply:\n      displayText: "{{label}}"\n      postback: { data: c }\n',
      'templates/t.samples.yaml': SAMPLE,
    });
    expect(set.renderRaw('t', {}).message.suggestions).to.deep.equal([{ reply: { postback: { data: 'c' } } }]);
    expect(() => set.render('t', {}))
      .to.throw(RenderError)
      .with.property('problems')
      .that.satisfies((problems: ContentProblem[]) => problems.some((p) => p.line === 4 && p.message.includes('displayText')));
  });

  it('repeats a $each entry per element and keeps the type of a single {{value}}', () => {
    const set = load({
      'templates/halls.yaml': [
        'carousel:',
        '  cards:',
        '    - $each: halls',
        '      $as: hall',
        '      title: "{{@index}} {{hall.name}}"',
        '      suggestions:',
        '        - action: { displayText: 地图, mapAction: { showLocation: { location: { latitude: "{{hall.lat}}", longitude: "{{hall.lon}}" } } } }',
        'sms: 大厅',
        '',
      ].join('\n'),
      'templates/halls.samples.yaml': SAMPLE,
    });
    const message = set.render('halls', { halls: [{ name: '主厅', lat: 22.5, lon: 113.9 }, { name: '分厅', lat: 22.4, lon: 113.8 }] });
    const carousel = message.body.type === 'card' && 'generalPurposeCardCarousel' in message.body.card.message ? message.body.card.message.generalPurposeCardCarousel : undefined;
    expect(carousel?.content.map((card) => card.title)).to.deep.equal(['0 主厅', '1 分厅']);
    expect(JSON.stringify(carousel?.content[1]?.suggestions)).to.contain('"latitude":22.4');
  });

  it('splices a list partial and inserts a text partial inside text', () => {
    const set = load({
      'partials/menu.yaml': 'content:\n  - reply: { displayText: 菜单, postback: { data: m } }\n',
      'partials/greet.yaml': 'content: "您好，{{name}}"\n',
      'templates/t.yaml': 'text: "{{> greet}}！"\nchips:\n  - reply: { displayText: 首项, postback: { data: f } }\n  - $partial: menu\n',
      'templates/t.samples.yaml': SAMPLE,
    });
    const message = set.render('t', { name: '张三' });
    expect(message.body).to.deep.equal({ type: 'text', text: '您好，张三！' });
    expect(message.suggestions).to.have.length(2);
  });

  it('cuts text by characters with an ellipsis (truncate), so emoji and Han count as one', () => {
    const set = load({ 'templates/t.yaml': 'text: "{{truncate text 4}}"\n', 'templates/t.samples.yaml': SAMPLE });
    expect(set.render('t', { text: '😀居住证申领' }).body).to.deep.equal({ type: 'text', text: '😀居住…' });
  });

  it('brings what real data makes too long within the carrier limits before checking', () => {
    const set = load({
      'templates/t.yaml': 'card:\n  title: "{{name}}"\n  suggestions:\n    - $each: buttons\n      $as: b\n      reply: { displayText: "{{b}}", postback: { data: x } }\nsms: "{{name}}"\n',
      'templates/t.samples.yaml': SAMPLE,
    });
    const message = set.render('t', { name: '长'.repeat(300), buttons: ['一', '二', '三', '四', '五', '超过二十五个字的按钮文字超过二十五个字的按钮文字'] });
    expect(validateRenderedMessage(message)).to.equal(true);
    const content = message.body.type === 'card' && 'generalPurposeCard' in message.body.card.message ? message.body.card.message.generalPurposeCard.content : undefined;
    expect([...(content?.title ?? '')]).to.have.length(200);
    expect(content?.suggestions).to.have.length(4);
  });

  it('refuses an unknown helper at load, naming the file and line', () => {
    const problems = problemsOf({ 'templates/t.yaml': 'text: hello\nchips:\n  - reply: { displayText: "{{shout name}}", postback: { data: x } }\n', 'templates/t.samples.yaml': SAMPLE });
    expect(problems).to.have.length(1);
    expect(problems[0]).to.include({ file: 'templates/t.yaml', line: 3 });
    expect(problems[0]?.message).to.contain('shout');
  });

  it('refuses broken Handlebars and broken YAML with their lines', () => {
    const handlebars = problemsOf({ 'templates/t.yaml': 'description: x\ntext: "{{#if a}}unclosed"\n', 'templates/t.samples.yaml': SAMPLE });
    expect(handlebars[0]).to.include({ file: 'templates/t.yaml', line: 2 });
    const yaml = problemsOf({ 'templates/t.yaml': 'text: ok\nchips: [\n', 'templates/t.samples.yaml': SAMPLE });
    expect(yaml[0]?.message).to.match(/^YAML syntax/);
  });

  it('needs exactly one kind of message, an SMS for cards, samples, and known partials', () => {
    const messages = problemsOf({
      'templates/two.yaml': 'text: a\ncard: { title: b }\n',
      'templates/two.samples.yaml': SAMPLE,
      'templates/nosms.yaml': 'card: { title: b }\n',
      'templates/nosms.samples.yaml': SAMPLE,
      'templates/nosample.yaml': 'text: a\n',
      'templates/partial.yaml': 'text: a\nchips:\n  - $partial: nowhere\n',
      'templates/partial.samples.yaml': SAMPLE,
    }).map((problem) => `${problem.file}: ${problem.message}`);
    expect(messages.some((m) => m.startsWith('templates/two.yaml') && m.includes('exactly one of'))).to.equal(true);
    expect(messages.some((m) => m.startsWith('templates/nosms.yaml') && m.includes('"sms"'))).to.equal(true);
    expect(messages.some((m) => m.startsWith('templates/nosample.yaml') && m.includes('no sample data'))).to.equal(true);
    expect(messages.some((m) => m.startsWith('templates/partial.yaml') && m.includes('no partial named "nowhere"'))).to.equal(true);
  });

  it('does not let a template reach past the data into object prototypes', () => {
    const set = load({ 'templates/t.yaml': 'text: "x{{item.constructor}}"\nchips:\n  - reply: { displayText: "{{item.__proto__}}", postback: { data: a } }\n', 'templates/t.samples.yaml': SAMPLE });
    const message = set.renderRaw('t', { item: {} }).message;
    expect(message.body).to.deep.equal({ type: 'text', text: 'x' });
    expect(message.suggestions).to.deep.equal([{ reply: { postback: { data: 'a' } } }]);
  });
});
