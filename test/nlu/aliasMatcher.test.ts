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
});
