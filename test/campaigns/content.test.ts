/**
 * Policies and the directory's values are content: every shipped file loads, and a mistake in one
 * is named with its file and line, as for the rest of the content.
 */
import { expect } from 'chai';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCatalog } from '../../src/catalog/catalog.js';
import { ContentError } from '../../src/content/problems.js';
import { loadVocabulary } from '../../src/directory/vocabulary.js';
import { loadPolicies } from '../../src/policies/policies.js';

const INTENTS = 'intents';

function problemsOf(load: () => unknown): string[] {
  try {
    load();
  } catch (error) {
    if (error instanceof ContentError) return error.message.split('\n').slice(1).map((line) => line.trim());
    throw error;
  }
  return [];
}

describe('policies as content', () => {
  let copy: string;
  beforeEach(() => {
    copy = mkdtempSync(join(tmpdir(), 'intents-'));
    cpSync(join(INTENTS, 'policies'), join(copy, 'policies'), { recursive: true });
    cpSync(join(INTENTS, 'enterprises.yaml'), join(copy, 'enterprises.yaml'));
  });
  afterEach(() => rmSync(copy, { recursive: true, force: true }));

  it('ships about twenty district policies, each with support, a window, eligibility rules and its source', () => {
    const policies = loadPolicies(INTENTS, loadVocabulary(INTENTS), loadCatalog(INTENTS), 'Asia/Shanghai');
    expect(policies.all.length).to.be.within(20, 30);
    for (const policy of policies.all) {
      expect(Object.keys(policy.eligibility), policy.id).to.not.be.empty;
      expect(policy.source.title, policy.id).to.match(/《.+》/);
      expect(policy.materials, policy.id).to.not.be.empty;
    }
  });

  it('names the file and line of a misspelt tag, an unknown field and a bad window', () => {
    const file = join(copy, 'policies', 'rd-investment-incentive.yaml');
    const source = readFileSync(file, 'utf8');
    writeFileSync(file, source.replace('tagsAny: [高新技术企业, 科技型中小企业]', 'tagsAny: [高新技术企业, 科技型中小企]').replace('window:\n  annual: { from: "04-01", to: "05-31" }', 'window:\n  annual: { from: "04-31x", to: "05-31" }') + 'deadline: 2027-05-31\n');
    const problems = problemsOf(() => loadPolicies(copy, loadVocabulary(copy), loadCatalog(INTENTS), 'Asia/Shanghai'));
    const lineOf = (text: string): number => source.split('\n').findIndex((line) => line.includes(text)) + 1;
    expect(problems.some((problem) => problem.startsWith(`policies/rd-investment-incentive.yaml:${lineOf('tagsAny')}:`) && problem.includes('not a known tag')), problems.join('\n')).to.equal(true);
    expect(problems.some((problem) => problem.includes('deadline')), problems.join('\n')).to.equal(true);
    expect(problems.some((problem) => problem.startsWith('policies/rd-investment-incentive.yaml:') && problem.includes('window')), problems.join('\n')).to.equal(true);
  });

  it('refuses a policy whose id is not its file name, or that names an item the catalog lacks', () => {
    const file = join(copy, 'policies', 'listing-reward.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('id: listing-reward', 'id: listing-rewards').replace('item: industry-support-fund', 'item: no-such-item'));
    const problems = problemsOf(() => loadPolicies(copy, loadVocabulary(copy), loadCatalog(INTENTS), 'Asia/Shanghai'));
    expect(problems.some((problem) => /^policies\/listing-reward\.yaml:2:.*must match the file name/.test(problem)), problems.join('\n')).to.equal(true);
    expect(problems.some((problem) => problem.includes('no-such-item')), problems.join('\n')).to.equal(true);
  });

  it('checks the directory values, the finder’s tags among them', () => {
    const file = join(copy, 'enterprises.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('- { label: 专精特新, tag: 专精特新 }', '- { label: 专精特新, tag: 专精特心 }'));
    const problems = problemsOf(() => loadVocabulary(copy));
    expect(problems).to.have.length(1);
    expect(problems[0]).to.match(/^enterprises\.yaml:\d+:\d+: finder\.tags\.1\.tag: "专精特心" is not one of tags/);
  });
});
