import { expect } from 'chai';
import { chineseNumeralValue, createNormalizer, normalizeSurface, Rewriter } from '../../src/nlu/normalize.js';

describe('nlu normalisation', () => {
  it('folds full-width letters and digits to half-width and lower case', () => {
    expect(normalizeSurface('ＡＢＣ１２３')).to.equal('abc123');
  });

  it('turns punctuation, symbols and emoji into single spaces', () => {
    expect(normalizeSurface('居住证，怎么办？？🍉好的！')).to.equal('居住证 怎么办 好的');
  });

  it('reads Chinese numerals that are quantities and leaves words containing numerals alone', () => {
    expect(normalizeSurface('奶奶刚过八十岁')).to.equal('奶奶刚过80岁');
    expect(normalizeSurface('住了三年')).to.equal('住了3年');
    expect(normalizeSurface('一签多行')).to.equal('一签多行');
    expect(normalizeSurface('统一办理')).to.equal('统一办理');
  });

  it('computes numeral values with units', () => {
    expect(chineseNumeralValue('十二')).to.equal(12);
    expect(chineseNumeralValue('二十五')).to.equal(25);
    expect(chineseNumeralValue('一百零五')).to.equal(105);
    expect(chineseNumeralValue('两')).to.equal(2);
  });

  it('rewrites variants with the longest match winning', () => {
    const rewriter = new Rewriter(new Map([['港澳通', '港澳通行证'], ['港澳', '香港澳门'], ['居住正', '居住证']]));
    expect(rewriter.rewrite('办港澳通')).to.equal('办港澳通行证');
    expect(rewriter.rewrite('去港澳')).to.equal('去香港澳门');
    expect(rewriter.rewrite('居住正补办')).to.equal('居住证补办');
  });

  it('leaves a canonical form alone when its inner part is a variant', () => {
    const rewriter = new Rewriter(new Map([['公积金', '住房公积金']]));
    expect(rewriter.rewrite('住房公积金提取')).to.equal('住房公积金提取');
    expect(rewriter.rewrite('公积金提取')).to.equal('住房公积金提取');
  });

  it('matches table entries written in full width or upper case', () => {
    const normalize = createNormalizer(new Rewriter(new Map([['ＫＴＶ证', '娱乐经营许可证']])));
    expect(normalize('ktv证快到期了')).to.equal('娱乐经营许可证快到期了');
  });
});
