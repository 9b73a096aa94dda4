import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { loadNlu, type Nlu } from '../../src/nlu/classifier.js';
import { loadContent } from '../../src/nlu/content/load.js';
import { evaluateAspects, parseAspectQueries } from '../../src/nlu/evaluateAspects.js';

describe('nlu: aspects of an item', function () {
  this.timeout(60_000);
  let nlu: Nlu;
  before(async () => {
    nlu = await loadNlu({ intentsDir: resolve('intents'), cacheDir: resolve('.cache/nlu') });
  });

  it('understands every example question of intents/aspects/ as its aspect', async () => {
    const content = await loadContent(resolve('intents'));
    const missed = content.aspects.flatMap((aspect) =>
      aspect.phrases.filter((phrase) => nlu.aspects.detect(phrase.value)?.aspect !== aspect.name).map((phrase) => `${aspect.file}:${phrase.line} ${phrase.value}`),
    );
    expect(missed).to.deep.equal([]);
  });

  it('takes the longest wording and lets item names mean no aspect', () => {
    expect(nlu.aspects.detect('能在小程序里办吗')?.aspect).to.equal('online');
    expect(nlu.aspects.detect('教师资格认定的咨询电话')?.aspect).to.equal('phone');
    expect(nlu.aspects.detect('网上能不能办')?.aspect, 'a weak cue gives way').to.equal('online');
    expect(nlu.aspects.detect('外地户口能不能办')?.aspect, 'a weak cue alone counts').to.equal('conditions');
    expect(nlu.aspects.detect('我想办居住证')).to.equal(undefined);
  });

  it('answers 90 % or more of the aspect query set right, item and aspect', async () => {
    const file = resolve('test/fixtures/aspect-queries.jsonl');
    const report = evaluateAspects(nlu.understanding, parseAspectQueries(await readFile(file, 'utf8'), file));
    expect(report.answeredRight).to.be.at.least(0.9);
    expect(report.aspectAccuracy).to.be.at.least(0.95);
  });
});
