import { expect } from 'chai';
import { HallCalendar, type Service } from '../../src/appointments/calendar/hallCalendar.js';
import { formatClock, instantOf, localDateOf, localMinutesOf } from '../../src/appointments/calendar/localTime.js';
import { NationalCalendar } from '../../src/appointments/calendar/nationalCalendar.js';
import { loadAppointmentContent } from '../../src/appointments/content/load.js';
import { INTENTS, testCatalog, ZONE } from './support.js';

describe('appointments: when halls take bookings', () => {
  const national = NationalCalendar.load();
  const calendar = new HallCalendar(loadAppointmentContent(INTENTS, testCatalog()), national);
  const service = (item: string, hall = 'ns-main'): Service => calendar.serviceAt(item, hall) as Service;
  const times = (s: Service, date: string): string[] => calendar.slotStarts(s, date).map(formatClock);

  it('cuts a weekday into 30-minute slots around the lunch break', () => {
    expect(times(service('residence-permit-apply'), '2026-12-08')).to.deep.equal(
      ['09:00', '09:30', '10:00', '10:30', '11:00', '11:30', '14:00', '14:30', '15:00', '15:30', '16:00', '16:30', '17:00', '17:30'],
    );
  });

  it('opens on Saturday only the groups that say so', () => {
    expect(times(service('residence-permit-apply'), '2026-12-05')).to.have.length(12);
    expect(calendar.day(service('marriage-registration'), '2026-12-05')).to.deep.equal({ open: false, reason: 'closed' });
    expect(calendar.day(service('residence-permit-apply'), '2026-12-06')).to.deep.equal({ open: false, reason: 'closed' });
  });

  it('keeps a group’s longer hours on its own weekday (企业开办 on Wednesdays until 19:30)', () => {
    expect(times(service('business-license-company', 'ns-innovation'), '2026-12-09').at(-1)).to.equal('19:00');
    expect(times(service('tax-registration', 'ns-innovation'), '2026-12-09').at(-1)).to.equal('17:30');
  });

  it('closes on public holidays and opens on make-up working days with weekday hours', () => {
    expect(calendar.day(service('passport-apply'), '2026-10-01')).to.deep.equal({ open: false, reason: 'holiday', holiday: '国庆节' });
    // 2026-10-10 is a Saturday worked for the National Day holiday: even 婚姻登记 opens.
    expect(times(service('marriage-registration'), '2026-10-10')).to.have.length(14);
  });

  it('applies the local closures and extra days of calendar.yaml', () => {
    expect(calendar.day(service('property-registration', 'ns-shekou'), '2026-12-31')).to.include({ open: false, reason: 'closure' });
    expect(times(service('business-license-company', 'ns-innovation'), '2026-12-19')).to.deep.equal(['09:00', '09:30', '10:00', '10:30', '11:00', '11:30']);
    expect(calendar.day(service('tax-registration', 'ns-innovation'), '2026-12-19')).to.deep.equal({ open: false, reason: 'closed' });
  });

  it('books up to the 7th working day ahead, skipping holidays when counting', () => {
    const hall = service('passport-apply').hall;
    expect(calendar.horizon(hall, '2026-12-03').at(-1)).to.equal('2026-12-14');
    // From 2026-09-28: 09-29, 09-30, then the National Day week does not count; 10-08, 10-09,
    // the make-up Saturday 10-10, 10-12 and 10-13 do.
    expect(calendar.horizon(hall, '2026-09-28').at(-1)).to.equal('2026-10-13');
  });

  it('offers the citizen a choice of halls when several serve an item', () => {
    expect(calendar.servicesFor('housing-fund-account').map((s) => s.hall.hallId)).to.deep.equal(['ns-innovation', 'ns-shekou']);
  });

  describe('whatever the server’s own time zone', () => {
    let saved: string | undefined;
    before(() => {
      saved = process.env.TZ;
      process.env.TZ = 'America/New_York';
    });
    after(() => {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    });

    it('reads days and times in the district’s zone', () => {
      const opening = instantOf('2026-10-08', 9 * 60, ZONE);
      expect(opening.toISOString()).to.equal('2026-10-08T01:00:00.000Z');
      expect(localDateOf(opening, ZONE)).to.equal('2026-10-08');
      expect(national.day('2026-10-01')).to.deep.equal({ kind: 'holiday', holiday: '国庆节' });
      expect(national.day('2026-10-08').kind).to.equal('weekday');
    });

    it('reads local dates and times as Intl does, through changes of daylight saving time', () => {
      const intl = (zone: string) => new Intl.DateTimeFormat('sv-SE', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
      // Berlin moves by an hour, Lord Howe Island by half an hour, Kathmandu is 5:45 ahead all year.
      for (const [zone, from] of [['Europe/Berlin', '2026-03-29T00:00:00Z'], ['Australia/Lord_Howe', '2026-04-04T14:00:00Z'], ['Asia/Kathmandu', '2026-12-03T18:00:00Z'], [ZONE, '2026-12-03T15:00:00Z']] as const) {
        for (let step = 0; step < 24 * 12; step++) {
          const instant = new Date(Date.parse(from) + step * 5 * 60_000 + 17_000);
          const [date, clock] = intl(zone).format(instant).split(' ');
          expect(`${localDateOf(instant, zone)} ${formatClock(localMinutesOf(instant, zone))}`, `${zone} ${instant.toISOString()}`).to.equal(`${date} ${clock}`);
        }
      }
    });
  });
});
