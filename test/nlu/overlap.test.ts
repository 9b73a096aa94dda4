import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { loadContent } from '../../src/nlu/content/load.js';
import { findOverlaps, overlapKey, trainingTexts } from '../../src/nlu/content/overlap.js';

const DEV_SET = 'test/fixtures/dev-queries.jsonl';

describe('nlu: the dev set is not training data', () => {
  it('no dev-set line appears in intents/, word for word or without spaces and punctuation', async () => {
    const content = await loadContent(resolve('intents'));
    const queries = (await readFile(resolve(DEV_SET), 'utf8'))
      .split('\n')
      .flatMap((line, i) => (line.trim() === '' ? [] : [{ text: (JSON.parse(line) as { text: string }).text, line: i + 1 }]));
    const overlaps = findOverlaps(queries, trainingTexts(content)).map((o) => `${DEV_SET}:${o.line} 「${o.query}」 in ${o.sources.join(', ')}`);
    expect(overlaps).to.deep.equal([]);
  });

  it('finds a query that differs from a phrase only in width, case, spaces and punctuation', () => {
    const training = [{ text: '工伤认定申请时限是多久？', source: 'items/work-injury-recognition.yaml' }, { text: 'Thank you!', source: 'conversational/thanks.yaml' }];
    const found = findOverlaps(
      [
        { text: '工伤认定 申请时限是多久', line: 1 },
        { text: 'thank  you', line: 2 },
        { text: '工伤认定要多久', line: 3 },
      ],
      training,
    );
    expect(found.map((o) => o.line)).to.deep.equal([1, 2]);
  });

  it('keeps emoji apart: one fruit is not another', () => {
    expect(overlapKey('🍉🍉')).to.not.equal(overlapKey('🍉'));
    expect(overlapKey('？？？')).to.equal('');
  });
});
