import { expect } from 'chai';
import { hanNgrams, pinyinBigrams, tokenize, words } from '../../src/nlu/tokenize.js';

describe('nlu tokenizer', () => {
  it('keeps Chinese words that ASCII tokenizers would delete', () => {
    expect(words('孩子刚出生怎么上户口')).to.include.members(['孩子', '出生', '户口']);
  });

  it('keeps Latin words and digits as words, without spaces or punctuation', () => {
    expect(words('hukou 迁出 2024')).to.include.members(['hukou', '2024']);
    expect(words('a b')).to.not.include(' ');
  });

  it('makes character n-grams within Han runs only', () => {
    expect(hanNgrams('居住证 ab 续签', 2)).to.deep.equal(['居住', '住证', '续签']);
    expect(hanNgrams('居住证', 3)).to.deep.equal(['居住证']);
    expect(hanNgrams('证', 2)).to.deep.equal([]);
  });

  it('prefixes every feature with its kind', () => {
    const tokens = tokenize('办居住证');
    expect(tokens).to.include.members(['c1:居', 'c2:住证', 'c3:居住证']);
    expect(tokens.some((token) => token.startsWith('w:'))).to.equal(true);
    expect(tokens.every((token) => /^(w|c1|c2|c3):./.test(token))).to.equal(true);
  });

  it('gives a typo most of the n-grams of the right spelling', () => {
    const right = new Set(tokenize('居住证挂失补领'));
    const typo = tokenize('居住正挂失补领');
    const shared = typo.filter((token) => right.has(token)).length;
    expect(shared / typo.length).to.be.greaterThan(0.5);
  });

  it('makes toneless pinyin bigrams within Han runs', () => {
    expect(pinyinBigrams('退休 ab 申请')).to.deep.equal(['tui xiu', 'shen qing']);
  });

  it('gives a homophone typo the pinyin bigrams of the right spelling', () => {
    expect(pinyinBigrams('人才引近')).to.deep.equal(pinyinBigrams('人才引进'));
  });
});
