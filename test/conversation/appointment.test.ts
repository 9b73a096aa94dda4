/**
 * Booking in the conversation, as transcripts on a fixed clock (Thursday 2026-12-03 10:00 in
 * Shenzhen unless a test moves it), with bookings decided by a real store.
 */
import { expect } from 'chai';
import { at } from '../appointments/support.js';
import { PostbackCodec } from '../../src/conversation/postback.js';
import { freshAppointments, SECRET, startChat, type Chat, type TurnResult } from './transcript.js';

function chips(result: TurnResult): string[] {
  return result.messages.flatMap((message) => (message.suggestions ?? []).map((suggestion) => ('reply' in suggestion ? suggestion.reply.displayText : suggestion.action.displayText)));
}

describe('conversation: booking a hall visit', function () {
  this.timeout(60_000);

  it('guide → 预约办理 → a day → a slot → the confirmation with calendar, map and 取消预约', async () => {
    const chat = await startChat();
    await chat.send('我想办居住证');
    const dates = await chat.tap('预约办理');
    expect(dates.titles).to.deep.equal(['居住证申领 · 选择日期']);
    expect(chips(dates)).to.include('12月4日 周五 余84');
    expect(dates.descriptions[0]).to.contain('12月6日 周日：不开放');
    const day = await chat.tap('12月4日 周五 余84');
    expect(day.titles).to.deep.equal(['居住证申领 · 12月4日 周五']);
    expect(chips(day).slice(0, 3)).to.deep.equal(['09:00 余6', '09:30 余6', '10:00 余6']);
    const booked = await chat.tap('10:00 余6');
    expect(booked.titles).to.deep.equal(['预约成功 · 居住证申领']);
    const description = booked.descriptions[0] ?? '';
    expect(description).to.match(/预约号：YY202612040001/).and.contain('时间：12月4日（周五）10:00-10:30').and.contain('一楼 综合受理区 A 区').and.contain('请携带：居民身份证');
    expect(booked.buttons).to.include.members(['加入日历', '查看地图', '取消预约', '改约']);
    expect(JSON.stringify(booked.suggestion('加入日历'))).to.contain('"startTime":"2026-12-04T02:00:00.000Z"');
  });

  it('late in the evening, today reads as past booking time, not as booked up', async () => {
    const chat = await startChat({ now: at('2026-12-03', '23:00') });
    await chat.send('我想办居住证');
    const dates = await chat.tap('预约办理');
    expect(dates.descriptions[0]).to.contain('12月3日 周四：已过预约时间').and.not.contain('已约满');
    expect(chips(dates)).to.include('12月4日 周五 余84');
  });

  it('我的预约 → 改约 → the new slot; the old seat is free again', async () => {
    const appointments = await freshAppointments();
    const chat = await startChat({ appointments });
    await chat.send('明天上午十点预约护照');
    await chat.tap('12月4日 10:00 余10');
    const mine = await chat.send('我的预约');
    expect(mine.titles).to.deep.equal(['我的预约 · 普通护照申领']);
    const dates = await chat.tap('改约');
    expect(dates.titles).to.deep.equal(['改约 · 普通护照申领 · 选择日期']);
    await chat.tap('12月7日 周一 余140');
    const moved = await chat.tap('09:30 余10');
    expect(moved.titles).to.deep.equal(['改约成功 · 普通护照申领']);
    expect(moved.descriptions[0]).to.contain('12月7日（周一）09:30').and.contain('YY202612040001');
    const taken = await appointments.bookings.seats.taken('ns-main', 'exit-entry', ['2026-12-04', '2026-12-07']);
    expect([taken.get('ns-main|exit-entry|2026-12-04|10:00'), taken.get('ns-main|exit-entry|2026-12-07|09:30')]).to.deep.equal([0, 1]);
  });

  it('取消预约 asks once more, then cancels and frees the seat', async () => {
    const appointments = await freshAppointments();
    const chat = await startChat({ appointments });
    await chat.send('12月8日下午两点预约居住证');
    await chat.tap('12月8日 14:00 余6');
    const ask = await chat.send('取消预约');
    expect(ask.texts[0]).to.contain('确定要取消 12月8日（周二）14:00');
    const done = await chat.tap('确认取消');
    expect(done.texts[0]).to.contain('已取消');
    expect(await appointments.bookings.active(chat.user, chat.now)).to.deep.equal([]);
    expect((await chat.send('我的预约')).texts[0]).to.contain('没有待办的预约');
  });

  it('改到… said in words moves the only booking to the time said', async () => {
    const chat = await startChat();
    await chat.send('明天上午十点预约护照');
    await chat.tap('12月4日 10:00 余10');
    const offer = await chat.send('改到下周一下午三点');
    expect(offer.titles).to.deep.equal(['改约 · 普通护照申领 · 12月7日（周一） 15:00']);
    const moved = await chat.tap('12月7日 15:00 余10');
    expect(moved.titles).to.deep.equal(['改约成功 · 普通护照申领']);
  });

  it('an item two halls serve asks for the hall first, keeping the time said', async () => {
    const chat = await startChat();
    const halls = await chat.send('明天上午预约公积金开户');
    expect(halls.texts[0]).to.contain('可以在以下大厅预约办理');
    expect(chat.lastChips().slice(0, 2)).to.deep.equal(['南山区行政服务大厅创新广场分厅（企业服务中心）', '南山区行政服务大厅蛇口分厅（住房和不动产服务）']);
    const offer = await chat.tap('南山区行政服务大厅蛇口分厅（住房和不动产服务）');
    expect(offer.titles).to.deep.equal(['单位住房公积金缴存登记（开户） · 12月4日（周五） 上午']);
    expect(offer.descriptions[0]).to.contain('南山区行政服务大厅蛇口分厅');
  });

  describe('in one message', () => {
    let chat: Chat;
    beforeEach(async () => {
      chat = await startChat();
    });

    const cases: Array<[string, string, string]> = [
      ['明天上午预约居住证', '居住证申领 · 12月4日（周五） 上午', '可以预约的时间如下'],
      ['下周三下午两点办护照', '普通护照申领 · 12月9日（周三） 14:00', '还有 10 个号'],
      ['星期五下午三点预约居住证', '居住证申领 · 12月4日（周五） 15:00', '还有 6 个号'],
      ['后天下午预约居住证', '居住证申领 · 12月5日（周六） 下午', '可以预约的时间如下'],
      ['这周四上午办护照', '普通护照申领 · 12月3日（周四） 上午', '可以预约的时间如下'],
      ['下周一上午预约结婚登记', '结婚登记 · 12月7日（周一） 上午', '可以预约的时间如下'],
      ['周日上午预约护照', '普通护照申领 · 12月6日（周日） 上午', '这个窗口不开放'],
      ['今天上午9点预约护照', '普通护照申领 · 12月3日（周四） 09:00', '已经过去'],
      ['明天中午12点半办护照', '普通护照申领 · 12月4日（周五） 12:30', '不在可预约的时段'],
      ['1月20日预约护照', '普通护照申领 · 1月20日（周三）', '目前只能预约到 12月14日'],
    ];
    for (const [text, title, words] of cases) {
      it(`${text} → ${words}`, async () => {
        const offer = await chat.send(text);
        expect(offer.titles).to.deep.equal([title]);
        expect(offer.descriptions[0]).to.contain(words);
        expect(chips(offer).length, 'nearest free slots offered').to.be.at.least(2);
      });
    }

    it('12月8日10点能约吗 asks which item, then offers that time for it', async () => {
      const ask = await chat.send('12月8日10点能约吗');
      expect(ask.texts[0]).to.contain('您要预约办理哪个事项');
      const offer = await chat.send('护照');
      expect(offer.titles).to.deep.equal(['普通护照申领 · 12月8日（周二） 10:00']);
    });

    it('a full slot says so and offers the nearest free ones', async () => {
      const appointments = await freshAppointments();
      const service = appointments.calendar.serviceAt('passport-apply', 'ns-main');
      if (!service) throw new Error('passport-apply is booked at ns-main');
      for (let n = 0; n < 10; n++) {
        await appointments.bookings.book({ requestKey: `fill-${n}`, user: { platformId: 'ctcu', userId: `tel:+86139000000${n}` }, itemCode: 'passport-apply', service, date: '2026-12-08', minutes: 600 }, chat.now);
      }
      const full = await (await startChat({ appointments })).send('12月8日上午10点预约护照');
      expect(full.descriptions[0]).to.contain('已约满');
      expect(chips(full)).to.include.members(['12月8日 09:30 余10', '12月8日 10:30 余10']).and.not.include('12月8日 10:00 余0');
    });

    it('a public holiday says the hall is closed for it and offers the nearest working days', async () => {
      const holiday = await startChat({ now: at('2026-09-28', '10:00') });
      const offer = await holiday.send('10月1日上午预约护照');
      expect(offer.descriptions[0]).to.contain('国庆节假期，大厅不开放');
      expect(chips(offer)).to.include('10月8日 09:00 余10');
    });

    it('a question about the item is not a booking', async () => {
      expect((await chat.send('护照明天能拿到吗')).titles[0]).to.not.match(/选择日期|\d+月\d+日/);
    });
  });

  describe('rules, said in plain words', () => {
    it('one booking per item and day', async () => {
      const chat = await startChat();
      await chat.send('明天上午十点预约护照');
      await chat.tap('12月4日 10:00 余10');
      await chat.send('明天下午三点预约护照');
      const refused = await chat.tap('12月4日 15:00 余10');
      expect(refused.texts[0]).to.contain('同一个事项同一天只能有一个预约');
      expect(refused.buttons).to.include('改约那个预约');
    });

    it('at most three active bookings', async () => {
      const chat = await startChat();
      for (const item of ['护照', '居住证', '结婚登记']) {
        await chat.send(`12月8日上午十点预约${item}`);
        await chat.tap(chat.lastChips().find((label) => label.startsWith('12月8日 10:00')) ?? '');
      }
      await chat.send('12月9日上午十点预约港澳通行证');
      const refused = await chat.tap(chat.lastChips().find((label) => label.startsWith('12月9日 10:00')) ?? '');
      expect(refused.texts[0]).to.contain('每人同时最多 3 个');
    });
  });

  describe('远程取号 on the day', () => {
    /** ns-main is at 22.5331, 113.9303. */
    const NEAR = { latitude: 22.5402, longitude: 113.9340 };
    const FAR = { latitude: 22.6100, longitude: 114.0500 };

    async function bookedToday(time: string, now: string): Promise<Chat> {
      const chat = await startChat({ now: at('2026-12-03', '08:00') });
      await chat.send(`今天${time}预约护照`);
      await chat.tap(chat.lastChips().find((label) => label.startsWith(`12月3日 ${time}`)) ?? '');
      chat.now = at('2026-12-03', now);
      return chat;
    }

    it('from an hour before the slot: the number and how many are ahead', async () => {
      const chat = await bookedToday('10:00', '09:05');
      await chat.send('我的预约');
      const ticket = await chat.tap('远程取号');
      expect(ticket.titles).to.deep.equal(['您的号码 B001']);
      expect(ticket.descriptions[0]).to.contain('前面没有人了');
      expect((await chat.send('排到我了吗')).titles).to.deep.equal(['您的号码 B001']);
    });

    it('earlier than that, a location within 3 km of the hall takes a number; one farther away does not', async () => {
      const chat = await bookedToday('15:00', '10:00');
      await chat.send('我的预约');
      const wait = await chat.tap('远程取号');
      expect(wait.texts[0]).to.contain('14:00 起可以远程取号');
      expect(chat.lastChips()).to.include('发送我的位置');
      const far = await chat.location(FAR.latitude, FAR.longitude);
      expect(far.texts[0]).to.contain('超出 3 公里的范围');
      await chat.send('我的预约');
      await chat.tap('远程取号');
      const near = await chat.location(NEAR.latitude, NEAR.longitude);
      expect(near.titles).to.deep.equal(['您的号码 B001']);
    });

    it('a location shared without being asked still finds the nearest hall', async () => {
      const chat = await bookedToday('15:00', '10:00');
      expect((await chat.location(NEAR.latitude, NEAR.longitude)).titles[0]).to.contain('离您最近');
    });

    it('not on another day', async () => {
      const chat = await startChat();
      await chat.send('明天上午十点预约护照');
      await chat.tap('12月4日 10:00 余10');
      const ticket = await chat.postback(await ticketAction(chat));
      expect(ticket.texts[0]).to.contain('远程取号在预约当天开放');
    });
  });
});

/** The 远程取号 button of the citizen's booking, as the card of the booking's day would carry it. */
async function ticketAction(chat: Chat): Promise<string> {
  const detail = await chat.send('我的预约');
  const number = /预约号：(YY\d{12})/.exec(detail.descriptions[0] ?? '')?.[1] ?? '';
  return new PostbackCodec(SECRET).encode('appointment.ticket', number);
}

