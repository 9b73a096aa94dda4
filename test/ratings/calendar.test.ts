/** District days, working-day deadlines and quiet hours: pure arithmetic, in the district's zone whatever the server's. */
import { expect } from 'chai';
import { NationalCalendar } from '../../src/appointments/calendar/nationalCalendar.js';
import { addDays, dayOf, daysBetween, startOfDay } from '../../src/ratings/days.js';
import { QuietHours } from '../../src/ratings/quietHours.js';
import { addWorkingDays, deadline, weekdaysCalendar, type WorkingDayCalendar } from '../../src/ratings/workingDays.js';

const ZONE = 'Asia/Shanghai';

describe('ratings: the district calendar', () => {
  it('puts an instant on the district day it falls on, not the UTC one', () => {
    expect(dayOf(new Date('2026-12-03T15:59:59Z'), ZONE)).to.equal('2026-12-03');
    expect(dayOf(new Date('2026-12-03T16:00:00Z'), ZONE)).to.equal('2026-12-04');
    expect(dayOf(new Date('2026-12-03T16:00:00Z'), 'UTC')).to.equal('2026-12-03');
  });

  it('finds the instant a district day begins, also across a daylight-saving change', () => {
    expect(startOfDay('2026-12-04', ZONE).toISOString()).to.equal('2026-12-03T16:00:00.000Z');
    expect(startOfDay('2026-12-04', ZONE, 8 * 60).toISOString()).to.equal('2026-12-04T00:00:00.000Z');
    expect(startOfDay('2026-03-29', 'Europe/Berlin').toISOString()).to.equal('2026-03-28T23:00:00.000Z');
    expect(startOfDay('2026-03-30', 'Europe/Berlin').toISOString()).to.equal('2026-03-29T22:00:00.000Z');
  });

  it('lists the days of a range, both ends included, over month and year ends', () => {
    expect(daysBetween('2026-12-30', '2027-01-02')).to.deep.equal(['2026-12-30', '2026-12-31', '2027-01-01', '2027-01-02']);
    expect(addDays('2028-02-28', 1)).to.equal('2028-02-29');
  });

  it('counts working days after the day a task opened, skipping weekends', () => {
    // 2026-12-03 is a Thursday.
    expect(addWorkingDays('2026-12-03', 1, weekdaysCalendar)).to.equal('2026-12-04');
    expect(addWorkingDays('2026-12-03', 2, weekdaysCalendar)).to.equal('2026-12-07');
    expect(addWorkingDays('2026-12-03', 5, weekdaysCalendar)).to.equal('2026-12-10');
    expect(addWorkingDays('2026-12-05', 1, weekdaysCalendar), 'opened on a Saturday').to.equal('2026-12-07');
  });

  it('takes public holidays and make-up working days from a calendar plugged in', () => {
    // 2026-10-01…08 National Day holiday; Saturday 2026-10-10 is a make-up working day (调休).
    const holidays = new Set(['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07', '2026-10-08']);
    const calendar: WorkingDayCalendar = { isWorkingDay: (day) => day === '2026-10-10' || (!holidays.has(day) && weekdaysCalendar.isWorkingDay(day)) };
    expect(addWorkingDays('2026-09-30', 1, calendar)).to.equal('2026-10-09');
    expect(addWorkingDays('2026-09-30', 2, calendar)).to.equal('2026-10-10');
    expect(addWorkingDays('2026-09-30', 2, weekdaysCalendar), 'without it, holidays are working days').to.equal('2026-10-02');
  });

  it('skips the public holidays of the national calendar the bot runs with (chinese-days)', () => {
    // 2026: National Day 10-01…10-07, Saturday 10-10 worked instead (调休).
    const national = NationalCalendar.load();
    expect(addWorkingDays('2026-09-30', 2, national)).to.equal('2026-10-09');
    expect(addWorkingDays('2026-09-30', 3, national)).to.equal('2026-10-10');
    expect(deadline('2026-09-30', 5, national, ZONE).day).to.equal('2026-10-13');
  });

  it('makes a task due at the district midnight that ends its last working day', () => {
    const due = deadline('2026-12-03', 5, weekdaysCalendar, ZONE);
    expect(due.day).to.equal('2026-12-10');
    expect(due.at.toISOString()).to.equal('2026-12-10T16:00:00.000Z');
  });

  it('refuses a calendar without working days instead of looping for ever', () => {
    expect(() => addWorkingDays('2026-12-03', 1, { isWorkingDay: () => false })).to.throw(/no working day/);
  });
});

describe('ratings: quiet hours', () => {
  const night = QuietHours.parse('21:00-08:00', ZONE);
  const at = (local: string): Date => new Date(`${local}+08:00`);

  it('is quiet from the evening across midnight to the morning, district time', () => {
    expect(night.isQuiet(at('2026-12-03T20:59'))).to.equal(false);
    expect(night.isQuiet(at('2026-12-03T21:00'))).to.equal(true);
    expect(night.isQuiet(at('2026-12-04T03:00'))).to.equal(true);
    expect(night.isQuiet(at('2026-12-04T08:00'))).to.equal(false);
  });

  it('handles a range within one day, and none at all', () => {
    const lunch = QuietHours.parse('12:00-14:00', ZONE);
    expect(lunch.isQuiet(at('2026-12-03T13:00'))).to.equal(true);
    expect(lunch.isQuiet(at('2026-12-03T23:00'))).to.equal(false);
    expect(QuietHours.parse('', ZONE).isQuiet(at('2026-12-03T03:00'))).to.equal(false);
    expect(() => QuietHours.parse('9pm-8am', ZONE)).to.throw(/21:00-08:00/);
  });
});
