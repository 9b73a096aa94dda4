import { expect } from 'chai';
import { pinyinTableText } from '../../src/nlu/cli/generatePinyinTable.js';
import { PINYIN_TABLE } from '../../src/nlu/pinyinTable.js';

describe('nlu pinyin table', () => {
  it('is what the generator makes from pinyin-pro (regenerate it after upgrading pinyin-pro)', () => {
    expect(PINYIN_TABLE).to.equal(pinyinTableText());
  });
});
