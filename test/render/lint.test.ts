import { expect } from 'chai';
import { resolve } from 'node:path';
import { loadCatalog } from '../../src/catalog/catalog.js';
import { lintTemplates } from '../../src/render/lint.js';
import { TemplateSet } from '../../src/render/templateSet.js';
import { tempCards } from './cardsDir.js';

const SETTINGS = { timeZone: 'Asia/Shanghai' };
const catalog = loadCatalog(resolve('intents'));

describe('cards:lint', () => {
  it('passes on the project\'s own cards/ with every sample', () => {
    const templates = TemplateSet.load(resolve('cards'), SETTINGS);
    const report = lintTemplates(templates, resolve('cards'), catalog);
    expect(report.problems.map((p) => `${p.file}:${p.line}: ${p.message}`)).to.deep.equal([]);
    expect(report.samples).to.be.at.least(report.templates);
  });

  it('names the file, the line that made the field, the field and the sample of a limit broken', () => {
    const cards = tempCards({
      'templates/t.yaml': 'card:\n  title: 标题\n  description: |-\n    {{text}}\n  suggestions:\n    - reply: { displayText: "{{label}}", postback: { data: x } }\nsms: 短信\n',
      'templates/t.samples.yaml': '太长:\n  text: 短\n  label: 这个按钮的文字远远超过了二十五个字符的上限所以会被报告出来\n',
    });
    try {
      const report = lintTemplates(TemplateSet.load(cards.dir, SETTINGS), cards.dir, catalog);
      expect(report.problems).to.have.length(1);
      const [problem] = report.problems;
      expect(problem).to.include({ file: 'templates/t.yaml', line: 6 });
      expect(problem?.message).to.contain('/suggestions/0/reply/displayText').and.contain('25').and.contain('[sample "太长"]');
    } finally {
      cards.remove();
    }
  });

  it('reports a sample that names an item the catalog lacks', () => {
    const cards = tempCards({ 'templates/t.yaml': 'text: "{{item.name}}"\n', 'templates/t.samples.yaml': '旧事项:\n  item: { $item: no-such-item }\n' });
    try {
      const report = lintTemplates(TemplateSet.load(cards.dir, SETTINGS), cards.dir, catalog);
      expect(report.problems[0]).to.include({ file: 'templates/t.samples.yaml' });
      expect(report.problems[0]?.message).to.contain('no-such-item');
    } finally {
      cards.remove();
    }
  });
});
