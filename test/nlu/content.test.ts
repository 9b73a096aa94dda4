import { expect } from 'chai';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadContent } from '../../src/nlu/content/load.js';
import { ContentError, type ContentProblem } from '../../src/content/problems.js';

const catalog = {
  items: [
    { code: 'residence-permit-apply', name: '居住证申领', aliases: ['办居住证'], description: '首次申领居住证' },
    { code: 'hukou-newborn', name: '新生儿入户', aliases: ['上户口'], description: '新生儿落户' },
  ],
};
const tenPhrases = (stem: string): string => Array.from({ length: 10 }, (_, i) => `  - ${stem}${i}`).join('\n');
const itemFile = (code: string, name: string, extra = ''): string => `code: ${code}\nname: ${name}\n${extra}phrases:\n${tenPhrases(name)}\n`;

describe('nlu content validation', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nlu-content-'));
    await mkdir(join(dir, 'catalog'));
    await mkdir(join(dir, 'items'));
    await mkdir(join(dir, 'conversational'));
    await writeFile(join(dir, 'catalog', 'services.json'), JSON.stringify(catalog));
    await writeFile(join(dir, 'items', 'residence-permit-apply.yaml'), itemFile('residence-permit-apply', '居住证申领'));
    await writeFile(join(dir, 'items', 'hukou-newborn.yaml'), itemFile('hukou-newborn', '新生儿入户'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function problemsOf(): Promise<ContentProblem[]> {
    try {
      await loadContent(dir);
    } catch (error) {
      if (error instanceof ContentError) return error.problems;
      throw error;
    }
    throw new Error('expected a ContentError');
  }

  function find(problems: ContentProblem[], file: string, text: string): ContentProblem {
    const problem = problems.find((p) => p.file === file && p.message.includes(text));
    expect(problem, `${file}: ${text} in ${JSON.stringify(problems)}`).to.not.equal(undefined);
    return problem as ContentProblem;
  }

  it('loads valid content', async () => {
    const content = await loadContent(dir);
    expect(content.items.map((item) => item.code)).to.deep.equal(['residence-permit-apply', 'hukou-newborn']);
    expect(content.items[0]?.phrases).to.have.length(10);
  });

  it('names file and line of a code that differs from the file name and of one not in the catalog', async () => {
    await writeFile(join(dir, 'items', 'hukou-newborn.yaml'), `# comment\n${itemFile('hukou-baby', '新生儿入户')}`);
    const problems = await problemsOf();
    expect(find(problems, 'items/hukou-newborn.yaml', 'must equal the file name').line).to.equal(2);
    find(problems, 'items/hukou-newborn.yaml', 'not in the catalog');
  });

  it('loads a catalog item without a phrase file: it is learned from the catalog alone', async () => {
    await rm(join(dir, 'items', 'hukou-newborn.yaml'));
    const content = await loadContent(dir);
    expect(content.catalog.map((item) => item.code)).to.deep.equal(['residence-permit-apply', 'hukou-newborn']);
    expect(content.items.map((item) => item.code)).to.deep.equal(['residence-permit-apply']);
  });

  it('refuses fewer than 10 phrases, duplicates and empty strings with their lines', async () => {
    const source = ['code: hukou-newborn', 'name: 新生儿入户', 'phrases:', '  - 宝宝上户口', '  - 宝宝上户口', '  - ""', '  - 出生登记'].join('\n');
    await writeFile(join(dir, 'items', 'hukou-newborn.yaml'), source);
    const problems = await problemsOf();
    expect(find(problems, 'items/hukou-newborn.yaml', 'duplicate phrase').line).to.equal(5);
    expect(find(problems, 'items/hukou-newborn.yaml', 'must not be empty').line).to.equal(6);
    find(problems, 'items/hukou-newborn.yaml', 'at least 10 are required');
  });

  it('refuses wrong types, unknown keys and a missing code with their lines', async () => {
    const source = ['name: 新生儿入户', 'aliases: 上户口', 'note: x', 'phrases:', tenPhrases('a'), '  - 886'].join('\n');
    await writeFile(join(dir, 'items', 'hukou-newborn.yaml'), source);
    const problems = await problemsOf();
    expect(find(problems, 'items/hukou-newborn.yaml', '"aliases" must be a list').line).to.equal(2);
    expect(find(problems, 'items/hukou-newborn.yaml', 'unknown key "note"').line).to.equal(3);
    expect(find(problems, 'items/hukou-newborn.yaml', 'found number 886').line).to.equal(15);
    find(problems, 'items/hukou-newborn.yaml', 'missing required key "code"');
  });

  it('refuses an unknown conversational intent name', async () => {
    await writeFile(join(dir, 'conversational', 'weather.yaml'), `name: weather\nphrases:\n${tenPhrases('天气')}\n`);
    expect(find(await problemsOf(), 'conversational/weather.yaml', 'unknown intent name').line).to.equal(1);
  });

  it('reports YAML syntax errors with their line', async () => {
    await writeFile(join(dir, 'out-of-scope.yaml'), 'phrases:\n  - a\n - b: [\n');
    find(await problemsOf(), 'out-of-scope.yaml', 'YAML syntax');
  });

  it('refuses a normalisation table that is not a mapping of strings', async () => {
    await writeFile(join(dir, 'normalization.yaml'), 'typos:\n  居住正: 居住证\nsynonyms:\n  - 港澳通\n');
    expect(find(await problemsOf(), 'normalization.yaml', '"synonyms" must be a mapping').line).to.equal(4);
  });
});
