/**
 * The rules the directory and campaigns stand on, as pure functions: credit codes and their check
 * character, industry codes, mobile numbers, criteria (met, failed, unknown), application windows
 * and quiet hours on the district's clock.
 */
import { expect } from 'chai';
import { creditCodeCheck, creditCodeProblem } from '../../src/directory/creditCode.js';
import { normalizeIndustry } from '../../src/directory/industry.js';
import { mobileAddress } from '../../src/directory/phone.js';
import { evaluate, type Profile } from '../../src/directory/criteria.js';
import { windowState } from '../../src/policies/window.js';
import { isQuiet, sendWindow } from '../../src/campaigns/schedule.js';
import { creditCodeFor } from '../../src/directory/demo/generate.js';

const NOW = new Date('2026-12-03T02:00:00Z');

describe('directory rules', () => {
  it('accepts a credit code whose check character fits, and names what is wrong with one that does not', () => {
    // A published example code of GB 32100-2015.
    expect(creditCodeProblem('91350100M000100Y43')).to.equal(undefined);
    expect(creditCodeProblem('91350100M000100Y44')).to.equal('check');
    expect(creditCodeProblem('91350100M000100Y4')).to.equal('length');
    expect(creditCodeProblem('9135010OM000100Y43')).to.equal('characters');
    // Two neighbours swapped change the check.
    expect(creditCodeProblem('91350100M000010Y43')).to.not.equal(undefined);
    for (let index = 0; index < 1000; index += 37) expect(creditCodeProblem(creditCodeFor(index)), creditCodeFor(index)).to.equal(undefined);
    expect(creditCodeCheck('91350100M000100Y4')).to.equal('3');
  });

  it('reads industries as a section and a code, and refuses codes that do not exist or contradict their letter', () => {
    expect(normalizeIndustry('i 6513')).to.deep.equal({ ok: true, industry: 'I6513' });
    expect(normalizeIndustry('65')).to.deep.equal({ ok: true, industry: 'I65' });
    expect(normalizeIndustry('C')).to.deep.equal({ ok: true, industry: 'C' });
    expect(normalizeIndustry('C65')).to.include({ ok: false });
    expect(normalizeIndustry('98')).to.include({ ok: false });
    expect(normalizeIndustry('软件')).to.include({ ok: false });
  });

  it('turns a mainland mobile number written any usual way into its tel: address, and nothing else', () => {
    for (const text of ['13800138000', '+86 138-0013-8000', '0086 13800138000', '8613800138000', '１３８００１３８０００']) expect(mobileAddress(text), text).to.equal('tel:+8613800138000');
    for (const text of ['0755-26660000', '12800138000', '1380013800', 'abc']) expect(mobileAddress(text), text).to.equal(undefined);
  });
});

describe('criteria', () => {
  const known: Profile = { industry: 'I6513', type: '有限责任公司', scale: '小型', tags: ['高新技术企业'], tagsComplete: true, street: '粤海街道', registeredAt: new Date('2019-12-04'), employees: 68, revenue: 3600 };

  it('are met only when every rule holds, and name the first that fails', () => {
    expect(evaluate(known, { industries: ['I'], scales: ['小型', '微型'], tagsAll: ['高新技术企业'], employees: { min: 10 } }, NOW)).to.deep.equal({ verdict: 'met' });
    expect(evaluate(known, { industries: ['C'] }, NOW)).to.deep.equal({ verdict: 'failed', failed: 'industries' });
    expect(evaluate(known, { tagsNone: ['高新技术企业'] }, NOW)).to.deep.equal({ verdict: 'failed', failed: 'tagsNone' });
    expect(evaluate(known, { tagsAny: ['专精特新', '规上企业'] }, NOW).verdict).to.equal('failed');
    expect(evaluate(known, { revenue: { max: 3000 } }, NOW).verdict).to.equal('failed');
  });

  it('count whole years since registration on the day', () => {
    expect(evaluate(known, { yearsSinceRegistration: { max: 6 } }, NOW).verdict, 'six years old tomorrow').to.equal('met');
    expect(evaluate(known, { yearsSinceRegistration: { min: 7 } }, NOW).verdict).to.equal('failed');
  });

  it('are unknown, not failed, where an answer is missing — and failed where what is known rules it out', () => {
    const partial: Profile = { industry: 'I', scale: '小型', tags: ['高新技术企业'], tagsComplete: false, absentTags: [] };
    expect(evaluate(partial, { industries: ['I65'] }, NOW).verdict, 'a code under the section').to.equal('unknown');
    expect(evaluate(partial, { tagsAll: ['专精特新'] }, NOW).verdict).to.equal('unknown');
    expect(evaluate(partial, { employees: { min: 10 } }, NOW).verdict).to.equal('unknown');
    expect(evaluate(partial, { industries: ['C'], employees: { min: 10 } }, NOW).verdict).to.equal('failed');
    const none: Profile = { tags: [], tagsComplete: false, absentTags: ['专精特新'] };
    expect(evaluate(none, { tagsAll: ['专精特新'] }, NOW).verdict, '"都不是" rules out the tags offered').to.equal('failed');
    expect(evaluate({ ...known, employees: undefined }, { employees: { min: 1 } }, NOW).verdict, 'a directory entry missing a figure').to.equal('unknown');
  });
});

describe('when', () => {
  it('a policy takes applications: all year, every year (across the new year too), or between two dates', () => {
    expect(windowState({ rolling: true }, '2026-12-03')).to.deep.equal({ state: 'open' });
    expect(windowState({ annual: { from: '11-01', to: '01-31' } }, '2026-12-03')).to.deep.equal({ state: 'open', closes: '2027-01-31' });
    expect(windowState({ annual: { from: '11-01', to: '01-31' } }, '2027-01-15')).to.deep.equal({ state: 'open', closes: '2027-01-31' });
    expect(windowState({ annual: { from: '11-01', to: '01-31' } }, '2027-02-01')).to.deep.equal({ state: 'upcoming', opens: '2027-11-01', closes: '2028-01-31' });
    expect(windowState({ annual: { from: '03-01', to: '04-30' } }, '2026-12-03')).to.deep.equal({ state: 'upcoming', opens: '2027-03-01', closes: '2027-04-30' });
    expect(windowState({ from: '2026-03-01', to: '2026-06-30' }, '2026-06-30')).to.deep.equal({ state: 'open', closes: '2026-06-30' });
    expect(windowState({ from: '2026-03-01', to: '2026-06-30' }, '2026-07-01')).to.deep.equal({ state: 'closed', closed: '2026-06-30' });
  });

  it('a campaign may send: within its schedule, outside quiet hours on the district clock', () => {
    const quiet = { start: '21:00', end: '08:00' };
    expect(isQuiet('20:59', quiet)).to.equal(false);
    expect(isQuiet('21:00', quiet)).to.equal(true);
    expect(isQuiet('07:59', quiet)).to.equal(true);
    expect(isQuiet('08:00', quiet)).to.equal(false);
    expect(isQuiet('12:30', { start: '12:00', end: '14:00' })).to.equal(true);
    expect(isQuiet('23:00', null)).to.equal(false);
    // 2026-12-03 13:30 UTC is 21:30 in Shenzhen.
    expect(sendWindow({ quietHours: quiet }, new Date('2026-12-03T13:30:00Z'), 'Asia/Shanghai')).to.deep.equal({ kind: 'quiet', until: '08:00' });
    expect(sendWindow({ quietHours: quiet }, new Date('2026-12-03T13:30:00Z'), 'Europe/London').kind).to.equal('open');
    const schedule = { startAt: new Date('2026-12-04T01:00:00Z'), endAt: new Date('2026-12-05T01:00:00Z'), quietHours: null };
    expect(sendWindow(schedule, NOW, 'Asia/Shanghai').kind).to.equal('before');
    expect(sendWindow(schedule, new Date('2026-12-04T12:00:00Z'), 'Asia/Shanghai').kind).to.equal('open');
    expect(sendWindow(schedule, new Date('2026-12-05T01:00:00Z'), 'Asia/Shanghai').kind).to.equal('after');
  });
});
