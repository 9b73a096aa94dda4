import { expect } from 'chai';
import { Batcher } from '../../src/util/batcher.js';

describe('batcher', () => {
  it('sends the first request at once and the ones that arrive meanwhile together, each caller getting its own result', async () => {
    const batches: number[][] = [];
    const batcher = new Batcher<number, number>(async (requests) => {
      batches.push(requests);
      await new Promise((resolve) => setTimeout(resolve, 10));
      return requests.map((request) => request * 10);
    });
    const results = await Promise.all([1, 2, 3, 4].map((n) => batcher.submit(n)));
    expect(results).to.deep.equal([10, 20, 30, 40]);
    expect(batches).to.deep.equal([[1], [2, 3, 4]]);
  });

  it('fails every request of a batch that fails, and goes on with the next', async () => {
    let calls = 0;
    const batcher = new Batcher<string, string>(async (requests) => {
      calls++;
      if (calls === 1) throw new Error('store down');
      return requests;
    }, 2);
    const outcomes = await Promise.allSettled(['a', 'b', 'c'].map((request) => batcher.submit(request)));
    expect(outcomes.map((outcome) => outcome.status)).to.deep.equal(['rejected', 'fulfilled', 'fulfilled']);
  });
});
