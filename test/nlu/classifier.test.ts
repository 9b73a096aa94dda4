import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadClassifier } from '../../src/nlu/classifier.js';
import { evaluate, parseQueries } from '../../src/nlu/evaluate.js';
import { MAX_MESSAGE_LENGTH } from '../../src/nlu/model/intentModel.js';
import { contentHash } from '../../src/nlu/modelCache.js';
import type { Classifier } from '../../src/nlu/types.js';

const INTENTS = resolve('intents');
/** A little below today's dev-set figures (src/nlu/README.md), so that a regression fails CI. */
const DEV_FLOOR = { accuracyAt1: 0.94, outOfScopeRecall: 0.9, falseRejectRate: 0.03, silentErrors: 0.01, decidedRight: 0.9 };

describe('nlu classifier on the real intents/', function () {
  // The first hook trains from scratch: about 10 s of CPU, several times that on a loaded shared machine.
  this.timeout(120_000);
  let cacheDir: string;
  let classifier: Classifier;

  before(async () => {
    cacheDir = await mkdtemp(join(tmpdir(), 'nlu-cache-'));
    classifier = await loadClassifier({ intentsDir: INTENTS, cacheDir });
  });

  after(async () => {
    await rm(cacheDir, { recursive: true, force: true });
  });

  it('keeps the dev-set figures at their floor: accuracy@1, out-of-scope recall, false rejects, silent errors, decided right', async () => {
    const queries = parseQueries(await readFile(resolve('test/fixtures/dev-queries.jsonl'), 'utf8'), 'dev-queries.jsonl');
    const report = evaluate(classifier, queries, 1);
    const figures = {
      accuracyAt1: report.accuracyAt1,
      outOfScopeRecall: report.outOfScopeRecall,
      falseRejectRate: report.falseRejectRate,
      silentErrors: report.silentErrors,
      decidedRight: report.decidedRight,
    };
    expect(figures.accuracyAt1, JSON.stringify(figures)).to.be.at.least(DEV_FLOOR.accuracyAt1);
    expect(figures.outOfScopeRecall, JSON.stringify(figures)).to.be.at.least(DEV_FLOOR.outOfScopeRecall);
    expect(figures.falseRejectRate, JSON.stringify(figures)).to.be.at.most(DEV_FLOOR.falseRejectRate);
    expect(figures.silentErrors, JSON.stringify(figures)).to.be.at.most(DEV_FLOOR.silentErrors);
    expect(figures.decidedRight, JSON.stringify(figures)).to.be.at.least(DEV_FLOOR.decidedRight);
  });

  it('answers 5 targets, best first, with scores in [0, 1]', () => {
    const { top } = classifier.classify('我想办居住证');
    expect(top).to.have.length(5);
    for (let i = 0; i < top.length; i++) {
      const score = top[i]?.score ?? -1;
      expect(score).to.be.within(0, 1);
      if (i > 0) expect(score).to.be.at.most(top[i - 1]?.score ?? 1);
    }
  });

  it('answers a bare family name with the items of that family as candidates', () => {
    for (const [text, prefix] of [['居住证', 'residence-permit-'], ['公积金', 'housing-fund-'], ['身份证', 'id-card-']] as const) {
      const { decision } = classifier.classify(text);
      expect(decision.type, text).to.equal('ambiguous');
      const codes = decision.type === 'ambiguous' ? decision.candidates.map((c) => (c.type === 'item' ? c.code : c.name)) : [];
      expect(codes.length, text).to.be.at.least(2);
      for (const code of codes) expect(code.startsWith(prefix), `${text}: ${code}`).to.equal(true);
    }
  });

  it('decides a named item of a family outright', () => {
    expect(classifier.classify('居住证补办').decision).to.deep.equal({ type: 'item', code: 'residence-permit-reissue' });
  });

  it('takes a booking that says when for a booking, and a change said with a time for a change', () => {
    // The one-message booking flow treats my_appointments and cancel_appointment as "about a booking that exists".
    for (const text of ['明天下午两点预约居住证', '明天上午九点预约居住证', '后天下午三点半预约护照']) {
      const { decision } = classifier.classify(text);
      const intent = decision.type === 'intent' ? decision.name : decision.type === 'ambiguous' && decision.candidates[0]?.type === 'intent' ? decision.candidates[0].name : undefined;
      expect(['my_appointments', 'cancel_appointment'], `${text}: ${JSON.stringify(decision)}`).to.not.include(intent);
    }
    expect(classifier.classify('改到下周一下午三点').decision).to.deep.equal({ type: 'intent', name: 'cancel_appointment' });
  });

  it('takes 我要评价 and a bare rating for feedback, which the 好差评 flow answers', () => {
    for (const text of ['我要评价', '满意']) expect(classifier.classify(text).decision, text).to.deep.equal({ type: 'intent', name: 'feedback' });
  });

  it('reads only the start of a very long message, so no message takes long', () => {
    const long = '我想办居住证 需要什么材料 社保断了一个月有影响吗 '.repeat(4000);
    classifier.classify(long);
    const started = performance.now();
    const result = classifier.classify(long);
    expect(performance.now() - started).to.be.below(50);
    expect(result).to.deep.equal(classifier.classify(long.slice(0, MAX_MESSAGE_LENGTH)));
  });

  it('caches the trained parameters under the content hash and reuses them', async () => {
    const hash = await contentHash(INTENTS);
    expect(await readdir(cacheDir)).to.include(`${hash}.json`);
    const started = performance.now();
    const again = await loadClassifier({ intentsDir: INTENTS, cacheDir });
    const millis = performance.now() - started;
    for (const text of ['宝宝出生怎么上户口', '谢谢', '今天天气怎么样']) {
      expect(again.classify(text)).to.deep.equal(classifier.classify(text));
    }
    expect(millis).to.be.below(5000);
  });
  it('npm run classify prints exactly one JSON object per input line, in the agreed shape', () => {
    const lines = ['宝宝出生怎么上户口', '谢谢', '今天天气怎么样', ''];
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/nlu/cli/classify.ts', '--cache', cacheDir], {
      input: `${lines.join('\n')}\n`,
      encoding: 'utf8',
    });
    expect(run.status, run.stderr).to.equal(0);
    const outputs = run.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(outputs.map((output) => output.text)).to.deep.equal(lines);
    for (const output of outputs) {
      expect(Object.keys(output)).to.deep.equal(['text', 'decision', 'top']);
      expect(output.top).to.have.length(5);
      expect(['item', 'intent', 'none', 'ambiguous']).to.include((output.decision as { type: string }).type);
    }
    expect(outputs[1]?.decision).to.deep.equal({ type: 'intent', name: 'thanks' });
    expect(outputs[3]?.decision).to.deep.equal({ type: 'none' });
  });
});

describe('nlu model cache key', () => {
  it('changes when any file under intents/ changes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'nlu-hash-'));
    try {
      await cp(join(INTENTS, 'catalog'), join(dir, 'catalog'), { recursive: true });
      await writeFile(join(dir, 'out-of-scope.yaml'), 'phrases:\n  - 今天天气怎么样\n');
      const before = await contentHash(dir);
      expect(await contentHash(dir)).to.equal(before);
      await writeFile(join(dir, 'out-of-scope.yaml'), 'phrases:\n  - 今天天气好吗\n');
      expect(await contentHash(dir)).to.not.equal(before);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
