import { expect } from 'chai';
import { AliasMatcher } from '../../src/nlu/model/aliasMatcher.js';

function containment(aliases: string[][], message: string): number[] {
  const contained = new Float32Array(aliases.length);
  new AliasMatcher(aliases).match(message, contained, new Float32Array(aliases.length));
  return [...contained];
}

describe('nlu alias matcher', () => {
  it('finds a whole alias inside a longer message', () => {
    expect(containment([['退休申请'], ['居住证']], '我想问下退休申请怎么弄')).to.deep.equal([1, 0]);
  });

  it('still finds most of an alias written with a homophone typo', () => {
    const [retirement = 0, other = 0] = containment([['退休申请'], ['申请居住证']], '退修申请');
    expect(retirement).to.be.at.least(0.6).and.below(1);
    expect(retirement).to.be.greaterThan(other);
  });

  it('names every label whose alias contains the whole short message', () => {
    const named = new Set<number>();
    new AliasMatcher([['居住证申领'], ['居住证续签'], ['身份证']]).labelsNaming('居住证', named);
    expect([...named].sort()).to.deep.equal([0, 1]);
  });

  it('tells siblings apart by the name characters only one of them has', () => {
    const siblings = [['居住证申领', '办居住证'], ['居住证签注（续期）', '居住证延期'], ['居住证补领、换领'], [], ['高龄津贴']];
    const scores = new Float32Array(siblings.length);
    new AliasMatcher(siblings).nameCharacters('居住证快过期了怎么续', scores);
    const [apply = 0, renew = 0, reissue = 0, none = 0, other = 0] = scores;
    expect(renew).to.be.greaterThan(apply).and.greaterThan(reissue);
    expect(apply).to.be.greaterThan(0);
    expect(renew).to.be.at.most(1);
    expect([none, other]).to.deep.equal([0, 0]);
  });

  it('gives a message without any character of the names nothing', () => {
    const scores = new Float32Array(2);
    new AliasMatcher([['居住证'], ['护照']]).nameCharacters('你好 hello', scores);
    expect([...scores]).to.deep.equal([0, 0]);
  });
});
