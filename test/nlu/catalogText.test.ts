import { expect } from 'chai';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadClassifier } from '../../src/nlu/classifier.js';
import { catalogText, type CatalogItem } from '../../src/nlu/content/catalog.js';
import { loadContent } from '../../src/nlu/content/load.js';
import { prepareTrainingData } from '../../src/nlu/model/trainingData.js';

const treeFelling: CatalogItem = {
  code: 'tree-felling',
  name: '城市树木砍伐迁移审批',
  aliases: ['砍树审批'],
  description: '因建设或树木危及安全需砍伐、迁移城市树木的，向园林部门申请审批。树木迁移后应补植。',
  department: '区城市管理和综合执法局',
  theme: '市政园林',
  conditions: ['树木严重影响居民采光或危及房屋安全'],
  materials: [{ name: '树木现状照片' }],
  legalBasis: ['《城市绿化条例》'],
};
const phrases = (stem: string): string[] => Array.from({ length: 12 }, (_, i) => `${stem}第${i + 1}种问法`);

describe('nlu: catalog text is training signal', function () {
  this.timeout(60_000);

  it('splits the catalog entry into sentences by what they say', () => {
    expect(catalogText(treeFelling)).to.deep.equal({
      described: ['因建设或树木危及安全需砍伐、迁移城市树木的，向园林部门申请审批', '树木迁移后应补植', '《城市绿化条例》'],
      required: ['树木严重影响居民采光或危及房屋安全', '树木现状照片'],
      grouped: ['市政园林', '区城市管理和综合执法局'],
    });
  });

  describe('an item without a phrase file', () => {
    let dir: string;
    before(async () => {
      dir = await mkdtemp(join(tmpdir(), 'nlu-catalog-text-'));
      await mkdir(join(dir, 'catalog'));
      await mkdir(join(dir, 'items'));
      const other = (code: string, name: string, description: string): CatalogItem => ({ ...treeFelling, code, name, aliases: [], description, conditions: [], materials: [], legalBasis: [] });
      const items = [treeFelling, other('passport-apply', '普通护照申领', '出国旅游留学申请因私护照。'), other('marriage-registration', '结婚登记', '男女双方自愿结婚到婚姻登记处登记。')];
      await writeFile(join(dir, 'catalog', 'services.json'), JSON.stringify({ items }));
      for (const [code, name, stem] of [['passport-apply', '普通护照申领', '办护照'], ['marriage-registration', '结婚登记', '领结婚证']]) {
        await writeFile(join(dir, 'items', `${code}.yaml`), `code: ${code}\nname: ${name}\nphrases:\n${phrases(stem ?? '').map((p) => `  - ${p}`).join('\n')}\n`);
      }
    });
    after(async () => rm(dir, { recursive: true, force: true }));

    it('is learned from its description, conditions, materials, theme and department', async () => {
      const data = prepareTrainingData(await loadContent(dir));
      const label = data.labels.findIndex((l) => l.type === 'item' && l.code === 'tree-felling');
      const sources = data.documents.filter((doc) => doc.label === label).map((doc) => doc.source);
      expect([...new Set(sources)].sort()).to.deep.equal(['described', 'grouped', 'name', 'required']);
    });

    it('is understood from words only its catalog text holds', async () => {
      const classifier = await loadClassifier({ intentsDir: dir });
      const top = classifier.classify('严重影响采光 危及房屋安全 找谁').top[0];
      expect(top?.type === 'item' ? top.code : undefined).to.equal('tree-felling');
    });
  });
});
