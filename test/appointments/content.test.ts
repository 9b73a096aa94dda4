import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { parseAppointmentContent } from '../../src/appointments/content/load.js';
import { ContentError, formatProblem } from '../../src/content/problems.js';
import { INTENTS, testCatalog } from './support.js';

const halls = readFileSync(join(INTENTS, 'appointments/halls.yaml'), 'utf8');
const calendar = readFileSync(join(INTENTS, 'appointments/calendar.yaml'), 'utf8');

function problemsOf(hallsSource: string, calendarSource = calendar): string[] {
  try {
    parseAppointmentContent(hallsSource, calendarSource, testCatalog());
  } catch (error) {
    if (error instanceof ContentError) return error.problems.map(formatProblem);
    throw error;
  }
  return [];
}

function lineOf(source: string, text: string): number {
  return source.split('\n').findIndex((line) => line.includes(text)) + 1;
}

describe('appointments: the capacity content is checked at load, naming file and line', () => {
  it('accepts the content as shipped', () => {
    expect(problemsOf(halls)).to.deep.equal([]);
  });

  it('names an item the catalog lacks', () => {
    const broken = halls.replace('- hukou-newborn', '- hukou-unborn');
    expect(problemsOf(broken)).to.include.members([`appointments/halls.yaml:${lineOf(broken, 'hukou-unborn')}:13: no catalog item "hukou-unborn"`]);
  });

  it('names a bookable item no window group serves', () => {
    const problems = problemsOf(halls.replace('- hukou-newborn\n', ''));
    expect(problems.join('\n')).to.contain('item "hukou-newborn" is bookable (appointment: true) but no window group serves it');
  });

  it('refuses a queue prefix used twice in a hall', () => {
    const broken = halls.replace('queuePrefix: B\n        hours:\n          saturday', 'queuePrefix: A\n        hours:\n          saturday');
    expect(problemsOf(broken).join('\n')).to.match(/halls\.yaml:\d+:\d+: queue prefix A is used by two groups of hall ns-main/);
  });

  it('refuses an opening range that ends before it starts', () => {
    const broken = halls.replace('weekdays: ["09:00-12:00", "14:00-18:00"]', 'weekdays: ["12:00-09:00", "14:00-18:00"]');
    expect(problemsOf(broken)[0]).to.match(/^appointments\/halls\.yaml:\d+:\d+: halls\.ns-main\.hours\.weekdays\.0: "12:00-09:00" is not an opening range/);
  });

  it('refuses a reminder time inside the quiet hours', () => {
    expect(problemsOf(halls.replace('at: "18:00"', 'at: "22:00"')).join('\n')).to.contain('the reminder time falls in the quiet hours');
  });

  it('names a calendar entry for a hall that does not exist', () => {
    const broken = calendar.replace('halls: [ns-shekou]', 'halls: [ns-nowhere]');
    expect(problemsOf(halls, broken)).to.deep.equal([`appointments/calendar.yaml:${lineOf(broken, 'ns-nowhere')}:13: no hall "ns-nowhere" in appointments/halls.yaml`]);
  });
});
