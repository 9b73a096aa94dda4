import { expect } from 'chai';
import { resolve } from 'node:path';
import { loadCatalog, parseCatalog } from '../../src/catalog/catalog.js';
import { generateCatalog } from '../support/catalog/generate.js';

describe('catalog generator (tests and benchmarks)', () => {
  const halls = loadCatalog(resolve('intents')).halls;

  it('makes 2,000 distinct, valid items in the style of a catalog export, the same for the same seed', () => {
    const generated = generateCatalog({ count: 2000, halls, seed: 7 });
    const items = generated.map((g) => g.item);
    expect(new Set(items.map((item) => item.code)).size).to.equal(2000);
    expect(new Set(items.map((item) => item.name)).size).to.equal(2000);
    expect(new Set(items.map((item) => item.department)).size).to.be.at.least(10);
    for (const item of items.slice(0, 50)) {
      expect(item.description.length, item.name).to.be.above(item.name.length);
      expect(item.conditions.length, item.name).to.be.at.least(1);
      expect(item.materials.length, item.name).to.be.at.least(3);
    }
    expect(() => parseCatalog(JSON.stringify({ halls, items }))).to.not.throw();
    expect(generateCatalog({ count: 20, halls, seed: 7 }).map((g) => g.item.code)).to.deep.equal(items.slice(0, 20).map((item) => item.code));
    expect(generateCatalog({ count: 20, halls, seed: 8 }).map((g) => g.item.code)).to.not.deep.equal(items.slice(0, 20).map((item) => item.code));
  });

  it('gives each item citizen-style questions that name it', () => {
    const [first] = generateCatalog({ count: 1, halls });
    expect(first?.questions.length).to.be.at.least(2);
    for (const question of first?.questions ?? []) expect(question).to.not.equal(first?.item.name);
  });
});
