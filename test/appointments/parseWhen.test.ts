import { expect } from 'chai';
import { formatClock } from '../../src/appointments/calendar/localTime.js';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseWhen, readWhen, withoutWhen } from '../../src/appointments/when/parseWhen.js';

/** Seen on Thursday 2026-12-03 in Shenzhen. */
function when(text: string): string {
  const asked = parseWhen(text, '2026-12-03', 'Asia/Shanghai');
  if (!asked) return 'nothing';
  return [asked.date ?? '-', asked.time === undefined ? '-' : formatClock(asked.time), asked.partOfDay ?? '-'].join(' ');
}

describe('appointments: when a citizen asks to come, in Chinese', () => {
  const cases: Array<[string, string]> = [
    ['明天上午预约居住证', '2026-12-04 - morning'],
    ['后天下午', '2026-12-05 - afternoon'],
    ['大后天', '2026-12-06 - -'],
    ['下周三下午两点办护照', '2026-12-09 14:00 afternoon'],
    ['12月8日10点能约吗', '2026-12-08 10:00 -'],
    ['12月8号上午十点', '2026-12-08 10:00 morning'],
    ['周五', '2026-12-04 - -'],
    ['这周四下午三点半', '2026-12-03 15:30 afternoon'],
    ['本周五上午', '2026-12-04 - morning'],
    ['下礼拜二', '2026-12-08 - -'],
    ['星期一 9点半', '2026-12-07 09:30 -'],
    ['两点', '- 14:00 -'],
    ['晚上七点', '- 19:00 evening'],
    ['十点一刻', '- 10:15 -'],
    ['12/8 10:00', '2026-12-08 10:00 -'],
    ['8号上午', '2026-12-08 - morning'],
    ['1月2日', '2027-01-02 - -'],
    ['１２月１０日', '2026-12-10 - -'],
  ];
  for (const [text, expected] of cases) {
    it(`${text} → ${expected}`, () => expect(when(text)).to.equal(expected));
  }

  it('says nothing about a message without a time', () => {
    expect(when('我要预约居住证')).to.equal('nothing');
  });

  it('leaves the item once the words about when are taken out', () => {
    const asked = parseWhen('下周三下午两点办护照', '2026-12-03', 'Asia/Shanghai');
    expect(withoutWhen('下周三下午两点办护照', asked ?? { phrases: [] })).to.equal('办护照');
  });

  it('skips the parser only for messages it would find nothing in (every phrase of intents/ and the fixtures)', () => {
    const texts = new Set<string>(cases.map(([text]) => text));
    const yamlFiles = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? yamlFiles(join(dir, entry.name)) : entry.name.endsWith('.yaml') ? [join(dir, entry.name)] : []));
    for (const file of yamlFiles('intents')) {
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        const value = /^\s*(?:-\s+)?(?:[\w-]+:\s+)?["']?(.*?)["']?\s*$/.exec(line)?.[1];
        if (value && /\p{Script=Han}/u.test(value)) texts.add(value);
      }
    }
    for (const file of ['dev-queries.jsonl', 'aspect-queries.jsonl', 'aspect-heldout.jsonl']) {
      for (const line of readFileSync(join('test/fixtures', file), 'utf8').split('\n')) if (line.trim()) texts.add((JSON.parse(line) as { text: string }).text);
    }
    expect(texts.size).to.be.greaterThan(3_000);
    let parsed = 0;
    for (const text of texts) {
      const full = readWhen(text.normalize('NFKC'), '2026-12-03', 'Asia/Shanghai');
      if (full) parsed++;
      expect(parseWhen(text, '2026-12-03', 'Asia/Shanghai'), text).to.deep.equal(full);
    }
    expect(parsed, 'the corpus holds messages that say when').to.be.greaterThan(20);
  });
});
