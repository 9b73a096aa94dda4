import { expect } from 'chai';
import { loadContent } from '../../src/nlu/content/load.js';
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

  it('matches keys with Latin letters only as whole words', () => {
    const rewriter = new Rewriter(new Map([['e license', '电子证照'], ['gjj', '公积金'], ['pension', '养老金']]));
    expect(rewriter.rewrite('where is the license')).to.equal('where is the license');
    expect(rewriter.rewrite('xgjjx')).to.equal('xgjjx');
    expect(rewriter.rewrite('gjj2')).to.equal('gjj2');
    expect(rewriter.rewrite('suspension')).to.equal('suspension');
    expect(rewriter.rewrite('my e license')).to.equal('my 电子证照');
    expect(rewriter.rewrite('gjj')).to.equal('公积金');
  });

  it('matches Latin keys right next to Chinese characters', () => {
    const rewriter = new Rewriter(new Map([['gjj', '公积金'], ['ktv证', '娱乐经营许可证']]));
    expect(rewriter.rewrite('怎么取gjj')).to.equal('怎么取公积金');
    expect(rewriter.rewrite('gjj提取')).to.equal('公积金提取');
    expect(rewriter.rewrite('办ktv证')).to.equal('办娱乐经营许可证');
  });

  it('falls back to a shorter Latin key when the longer one is not a whole word', () => {
    const rewriter = new Rewriter(new Map([['business license', '营业执照'], ['business licenses', '营业执照'], ['business', '经营']]));
    expect(rewriter.rewrite('business licensed')).to.equal('经营 licensed');
    expect(rewriter.rewrite('business licenses')).to.equal('营业执照');
  });

  it('keeps substring matching for Chinese keys', () => {
    const rewriter = new Rewriter(new Map([['公鸡金', '公积金'], ['gjj', '公积金']]));
    expect(rewriter.rewrite('我的公鸡金怎么取')).to.equal('我的公积金怎么取');
  });

  it('with the real intents/normalization.yaml, leaves English words that contain a key intact', async () => {
    const content = await loadContent('intents');
    const normalize = createNormalizer(new Rewriter(content.normalization));
    expect(normalize('licence suspension')).to.equal('licence suspension');
    expect(normalize('a valid card')).to.equal('a valid card');
    expect(normalize('illegal aid')).to.equal('illegal aid');
    expect(normalize('disappointment')).to.equal('disappointment');
    expect(normalize('remediation')).to.equal('remediation');
    expect(normalize('my pension and ID card')).to.equal('my 养老金 and 身份证');
    expect(normalize('办gjj')).to.equal('办公积金');
    expect(normalize('港澳通行证')).to.equal('港澳通行证');
    expect(normalize('房产证明')).to.equal('房产证明');
  });
});
