/**
 * 预约取号 end to end: the bot as `npm start` runs it (embedded store, sender, webhook, the
 * appointment scheduler) and the platform simulator, real HTTP both ways, on a clock the test
 * moves. Staff endpoints are called over HTTP with the staff keys of a clerk of ns-main, a clerk
 * of another hall and an agent (created with ADMIN_TOKEN, the bootstrap admin key).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { pino } from 'pino';
import { startBot } from '../../src/bot.js';
import { parseConfig } from '../../src/config.js';
import type { RunningBot } from '../channels/ctcu/botHarness.js';
import { APP_ID, CALLBACK_TOKEN, CHATBOT_ID } from '../channels/ctcu/signedRequest.js';
import { openApiCheck } from '../support/openapi.js';
import { Phone } from '../support/phone.js';
import { at } from './support.js';

const ADMIN_TOKEN = 'test-admin-token-0123456789';
/** ns-main is at 22.5331, 113.9303. */
const NEAR = { latitude: 22.5402, longitude: 113.934 };
const FAR = { latitude: 22.61, longitude: 114.05 };

const clock = { now: at('2026-12-03', '10:00') };

async function startOn(dataDir: string): Promise<RunningBot> {
  const config = parseConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, CHATBOT_ID, APP_ID, CALLBACK_TOKEN, SEND_RATE: '1000', ADMIN_TOKEN });
  const bot = await startBot(config, pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }), {
    simulator: { reportDelayMs: 1, port: 0 },
    clock: () => clock.now,
    appointmentPollMs: 50,
  });
  if (!bot.simulator) throw new Error('expected the simulator');
  return { ...bot, simulator: bot.simulator };
}

/** Staff keys, made once the bot runs. */
const keys = { clerk: '', otherHall: '', agent: '' };

async function newKey(bot: RunningBot, name: string, role: string, hall?: string): Promise<string> {
  const response = await staffCall(bot, '/admin/staff', { method: 'POST', body: JSON.stringify({ name, role, ...(hall ? { hall } : {}) }) }, ADMIN_TOKEN);
  expect(response.status, `create ${name}`).to.equal(201);
  return ((await response.json()) as { key: string }).key;
}

/** A staff call, with the key of ns-main's clerk unless another is given. */
function staffCall(bot: RunningBot, path: string, init: RequestInit = {}, key = keys.clerk): Promise<Response> {
  return fetch(`${bot.url}${path}`, { ...init, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...(init.headers ?? {}) } });
}

describe('appointments over HTTP through the platform simulator', function () {
  this.timeout(120_000);
  let dataDir: string;
  let bot: RunningBot;
  let users = 0;
  const phone = (): Phone => new Phone(bot, `tel:+861390000${String(++users).padStart(4, '0')}`);

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'appointments-http-'));
    bot = await startOn(dataDir);
    keys.clerk = await newKey(bot, 'clerk-main', 'clerk', 'ns-main');
    keys.otherHall = await newKey(bot, 'clerk-shekou', 'clerk', 'ns-shekou');
    keys.agent = await newKey(bot, 'agent-one', 'agent');
  });
  after(async () => {
    await bot?.close();
    await rm(dataDir, { recursive: true, force: true });
  });
  beforeEach(() => {
    clock.now = at('2026-12-03', '10:00');
  });

  it('guide → 预约办理 → date → slot → confirmation → 我的预约 → 改约 → 取消预约', async () => {
    const citizen = phone();
    const guide = await citizen.send('我想办居住证');
    const dates = await citizen.tap('预约办理', guide);
    expect(dates.titles).to.deep.equal(['居住证申领 · 选择日期']);
    const day = await citizen.tap('12月4日 周五 余84', dates);
    const booked = await citizen.tap('10:00 余6', day);
    expect(booked.titles).to.deep.equal(['预约成功 · 居住证申领']);
    expect(booked.descriptions[0]).to.contain('12月4日（周五）10:00-10:30');
    const mine = await citizen.send('我的预约');
    expect(mine.titles).to.deep.equal(['我的预约 · 居住证申领']);
    const moveDates = await citizen.tap('改约', mine);
    const moveDay = await citizen.tap('12月7日 周一 余84', moveDates);
    const moved = await citizen.tap('11:00 余6', moveDay);
    expect(moved.titles).to.deep.equal(['改约成功 · 居住证申领']);
    const ask = await citizen.tap('取消预约', moved);
    expect(ask.texts[0]).to.contain('确定要取消 12月7日（周一）11:00');
    expect((await citizen.tap('确认取消', ask)).texts[0]).to.contain('已取消');
    expect((await citizen.send('我的预约')).texts[0]).to.contain('没有待办的预约');
  });

  it('books in one message, a dozen ways of saying when', async () => {
    const phrasings: Array<[string, string]> = [
      ['明天上午预约居住证', '12月4日（周五） 上午'],
      ['后天下午预约居住证', '12月5日（周六） 下午'],
      ['下周三下午两点办护照', '12月9日（周三） 14:00'],
      ['12月8日10点能约吗', '您要预约办理哪个事项'],
      ['星期五下午三点预约居住证', '12月4日（周五） 15:00'],
      ['这周四下午办护照', '12月3日（周四） 下午'],
      ['下周一上午预约结婚登记', '12月7日（周一） 上午'],
      ['12月10日上午十点半预约护照', '12月10日（周四） 10:30'],
      ['周日上午预约护照', '这个窗口不开放'],
      ['今天上午9点预约护照', '已经过去'],
      ['明天中午12点半办护照', '不在可预约的时段'],
      ['1月20日预约护照', '目前只能预约到 12月14日'],
    ];
    for (const [text, expected] of phrasings) {
      const answer = await phone().send(text);
      expect([...answer.titles, ...answer.descriptions, ...answer.texts].join('\n'), text).to.contain(expected);
    }
  });

  it('a full slot and a holiday say so and offer the nearest alternatives', async () => {
    const citizens = Array.from({ length: 10 }, () => phone());
    for (const citizen of citizens) await citizen.tap('12月8日 10:00 余' + String(10 - citizens.indexOf(citizen)), await citizen.send('12月8日上午10点预约护照'));
    const full = await phone().send('12月8日上午10点预约护照');
    expect(full.descriptions[0]).to.contain('已约满');
    expect(full.chips).to.include('12月8日 10:30 余10');
    clock.now = at('2026-09-28', '10:00');
    const holiday = await phone().send('10月1日上午预约护照');
    expect(holiday.descriptions[0]).to.contain('国庆节假期，大厅不开放');
    expect(holiday.chips).to.include('10月8日 09:00 余10');
  });

  it('远程取号 from near the hall (within 3 km), not from farther away', async () => {
    const citizen = phone();
    await citizen.tap('12月3日 15:00 余10', await citizen.send('今天下午三点预约护照'));
    const wait = await citizen.tap('远程取号', await citizen.send('我的预约'));
    expect(wait.texts[0]).to.contain('14:00 起可以远程取号');
    expect((await citizen.location(FAR.latitude, FAR.longitude)).texts[0]).to.contain('超出 3 公里的范围');
    await citizen.tap('远程取号', await citizen.send('我的预约'));
    const ticket = await citizen.location(NEAR.latitude, NEAR.longitude);
    expect(ticket.titles[0]).to.match(/^您的号码 B\d{3}$/);
  });

  it('staff call the next number: the citizen is sent to the window, the one three behind gets a heads-up', async () => {
    clock.now = at('2026-12-03', '08:30');
    const citizens = Array.from({ length: 5 }, () => phone());
    const numbers: string[] = [];
    for (const citizen of citizens) {
      await citizen.tap('12月3日 09:30 余' + String(6 - citizens.indexOf(citizen)), await citizen.send('今天上午九点半预约居住证'));
      numbers.push((await citizen.tap('远程取号', await citizen.send('我的预约'))).titles[0]?.replace('您的号码 ', '') ?? '');
    }
    expect(numbers).to.deep.equal(['A001', 'A002', 'A003', 'A004', 'A005']);
    const response = await staffCall(bot, '/admin/halls/ns-main/queue/next', { method: 'POST', body: JSON.stringify({ window: 'A05' }) });
    expect(response.status).to.equal(200);
    const body = (await response.json()) as { called: { number: string }; waiting: number };
    expect([body.called.number, body.waiting]).to.deep.equal([numbers[0], 4]);
    expect((await citizens[0]?.notices())?.texts[0]).to.equal('请 A001 号到 A05 号窗口办理“居住证申领”（南山区行政服务大厅（主厅））。');
    expect((await citizens[4]?.notices())?.texts[0]).to.contain(`您的号码 ${numbers[4]} 前面还有 3 人`);
    expect((await citizens[1]?.send('排到我了吗'))?.descriptions[0]).to.contain('前面没有人了');
  });

  it('the same number on two platforms is two citizens, each told through their own platform', async () => {
    clock.now = at('2026-12-04', '08:30');
    const number = `tel:+861390000${String(++users).padStart(4, '0')}`;
    const onMobile = new Phone(bot, number, 'cmcc-json');
    const onTelecom = new Phone(bot, number);
    const offer = await onMobile.send('今天上午九点半预约居住证');
    await onMobile.tap(offer.chips.find((label) => label.startsWith('12月4日 09:30')) ?? '', offer);
    const none = await onTelecom.send('我的预约');
    expect([...none.descriptions, ...none.texts].join()).to.contain('目前没有');
    // Not a second booking of the same item and day: another citizen's first.
    const telecomOffer = await onTelecom.send('今天上午九点半预约居住证');
    const telecomBooked = await onTelecom.tap(telecomOffer.chips.find((label) => label.startsWith('12月4日 09:30')) ?? '', telecomOffer);
    expect(telecomBooked.descriptions[0]).to.match(/预约号：YY\d{12}/);
    const ticket = await onMobile.tap('远程取号', await onMobile.send('我的预约'));
    expect(ticket.titles[0]).to.equal('您的号码 A001');
    const telecomBefore = bot.simulator.platform('ctcu').received(number).length;
    const called = await staffCall(bot, '/admin/halls/ns-main/queue/next', { method: 'POST', body: JSON.stringify({ window: 'A01' }) });
    expect(called.status).to.equal(200);
    expect((await onMobile.notices()).texts[0]).to.contain('请 A001 号到 A01 号窗口办理');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(bot.simulator.platform('ctcu').received(number), 'nothing through the other platform').to.have.length(telecomBefore);
  });

  it('after 3 no-shows recorded by staff, the citizen is told booking is paused', async () => {
    const citizen = phone();
    const numbers: string[] = [];
    for (const item of ['护照', '居住证', '结婚登记']) {
      const offer = await citizen.send(`明天上午九点预约${item}`);
      const booked = await citizen.tap(offer.chips.find((label) => label.startsWith('12月4日 09:00')) ?? '', offer);
      numbers.push(/预约号：(YY\d{12})/.exec(booked.descriptions[0] ?? '')?.[1] ?? '');
    }
    clock.now = at('2026-12-04', '12:00');
    for (const number of numbers) expect((await staffCall(bot, `/admin/appointments/${number}/no-show`, { method: 'POST' })).status).to.equal(200);
    const offer = await citizen.send('下周一上午十点预约护照');
    const refused = await citizen.tap(offer.chips.find((label) => label.startsWith('12月7日 10:00')) ?? '', offer);
    expect(refused.texts[0]).to.contain('暂停在线预约');
  });

  describe('staff endpoints', () => {
    it('401 without a staff key or with a wrong one', async () => {
      expect((await fetch(`${bot.url}/admin/appointments?hall=ns-main&date=2026-12-04`)).status).to.equal(401);
      expect((await staffCall(bot, '/admin/appointments?hall=ns-main&date=2026-12-04', {}, 'wrong-token-0123456789')).status).to.equal(401);
    });

    it('a clerk works for their own hall only, an admin for every hall, an agent for none', async () => {
      const citizen = phone();
      const booked = await citizen.tap('12月4日 14:00 余6', await citizen.send('明天下午两点预约居住证'));
      const number = /预约号：(YY\d{12})/.exec(booked.descriptions[0] ?? '')?.[1] ?? '';
      const list = (hall: string, key: string): Promise<number> => staffCall(bot, `/admin/appointments?hall=${hall}&date=2026-12-04`, {}, key).then((answer) => answer.status);
      const post = (path: string, key: string, body?: unknown): Promise<number> =>
        staffCall(bot, path, { method: 'POST', ...(body === undefined ? {} : { body: JSON.stringify(body) }) }, key).then((answer) => answer.status);
      expect(await list('ns-main', keys.clerk), 'own hall').to.equal(200);
      expect(await list('ns-main', keys.otherHall), 'another hall').to.equal(403);
      expect(await list('ns-shekou', keys.otherHall), 'their hall').to.equal(200);
      expect(await list('ns-main', keys.agent), 'agent').to.equal(403);
      expect(await list('ns-main', ADMIN_TOKEN), 'admin').to.equal(200);
      expect(await post('/admin/halls/ns-main/queue/next', keys.otherHall, { window: 'A09' }), 'call at another hall').to.equal(403);
      expect(await post('/admin/halls/ns-main/queue/next', keys.agent, { window: 'A09' }), 'agent call').to.equal(403);
      expect(await post(`/admin/appointments/${number}/no-show`, keys.otherHall), 'mark at another hall').to.equal(403);
      expect(await post(`/admin/appointments/${number}/arrived`, keys.agent), 'agent mark').to.equal(403);
      expect(await post(`/admin/appointments/${number}/arrived`, ADMIN_TOKEN), 'admin mark').to.equal(200);
    });

    it('400 naming the field for bad input', async () => {
      const reason = async (answer: Promise<Response>): Promise<[number, string]> => {
        const response = await answer;
        return [response.status, ((await response.json()) as { reason: string }).reason];
      };
      const [dateStatus, dateReason] = await reason(staffCall(bot, '/admin/appointments?hall=ns-main&date=12-04'));
      expect([dateStatus, dateReason.split(':')[0]]).to.deep.equal([400, 'query.date']);
      const [hallStatus, hallReason] = await reason(staffCall(bot, '/admin/appointments?hall=nowhere&date=2026-12-04', {}, ADMIN_TOKEN));
      expect([hallStatus, hallReason.split(':')[0]]).to.deep.equal([400, 'query.hall']);
      const [windowStatus, windowReason] = await reason(staffCall(bot, '/admin/halls/ns-main/queue/next', { method: 'POST', body: JSON.stringify({ window: 'Z99' }) }));
      expect([windowStatus, windowReason.split(':')[0]]).to.deep.equal([400, 'body.window']);
      const [idStatus, idReason] = await reason(staffCall(bot, '/admin/appointments/42/arrived', { method: 'POST' }));
      expect([idStatus, idReason.split(':')[0]]).to.deep.equal([400, 'path.id']);
    });

    it('lists a day’s bookings as JSON, and as a CSV file when asked', async () => {
      const citizen = phone();
      await citizen.tap('12月11日 16:00 余6', await citizen.send('12月11日下午4点预约居住证'));
      const json = (await (await staffCall(bot, '/admin/appointments?hall=ns-main&date=2026-12-11')).json()) as { appointments: Array<{ time: string; platform: string; user: string; status: string }> };
      expect(json.appointments.map((row) => [row.time, row.platform, row.user, row.status])).to.deep.include(['16:00', 'ctcu', citizen.user, 'booked']);
      const csv = await staffCall(bot, '/admin/appointments?hall=ns-main&date=2026-12-11', { headers: { accept: 'text/csv' } });
      expect(csv.headers.get('content-type')).to.contain('text/csv');
      expect(csv.headers.get('content-disposition')).to.contain('appointments-ns-main-2026-12-11.csv');
      const lines = (await csv.text()).trim().split('\r\n');
      expect(lines[0]).to.equal('number,date,time,status,item,itemName,hall,group,platform,user,ticket,ticketStatus,window');
      expect(lines.some((line) => line.includes(`,16:00,booked,residence-permit-apply,居住证申领,ns-main,household,ctcu,${citizen.user}`))).to.equal(true);
    });

    it('arrived marks the booking; marking it again is a conflict', async () => {
      const citizen = phone();
      const booked = await citizen.tap('12月4日 11:00 余6', await citizen.send('明天上午11点预约居住证'));
      const number = /预约号：(YY\d{12})/.exec(booked.descriptions[0] ?? '')?.[1] ?? '';
      expect((await staffCall(bot, `/admin/appointments/${number}/arrived`, { method: 'POST' })).status).to.equal(200);
      expect((await staffCall(bot, `/admin/appointments/${number}/arrived`, { method: 'POST' })).status).to.equal(409);
      expect((await staffCall(bot, '/admin/appointments/YY202612049999/arrived', { method: 'POST' })).status).to.equal(404);
    });

    it('records who exported a day’s list and who marked no-shows in the audit log', async () => {
      const audit = async (action: string): Promise<Array<{ actor: { name: string; role: string }; target: string; details?: { rows?: number } }>> =>
        (await (await staffCall(bot, `/admin/audit?action=${action}`, {}, ADMIN_TOKEN)).json()) as Array<{ actor: { name: string; role: string }; target: string; details?: { rows?: number } }>;
      const exports = await audit('appointments.export');
      expect(exports.map((entry) => `${entry.actor.name} ${entry.target}`)).to.include('clerk-main ns-main/2026-12-11');
      expect(exports.find((entry) => entry.target === 'ns-main/2026-12-11')?.details?.rows).to.be.a('number');
      expect((await audit('appointment.no-show')).map((entry) => `${entry.actor.name} (${entry.actor.role})`)).to.deep.equal(Array(3).fill('clerk-main (clerk)'));
      expect((await audit('queue.call')).map((entry) => entry.actor.name)).to.include('clerk-main');
    });

    it('are described in the OpenAPI document, CSV included, and answer as it says', async () => {
      const documentAnswer = await staffCall(bot, '/admin/openapi.json');
      expect(documentAnswer.status, 'a clerk may read the document').to.equal(200);
      const check = await openApiCheck(await documentAnswer.json());
      expect(check.mediaTypes('/admin/appointments', 'get', '200')).to.deep.equal(['application/json', 'text/csv']);
      const listed = await staffCall(bot, '/admin/appointments?hall=ns-main&date=2026-12-04');
      check.expectMatches('/admin/appointments', 'get', '200', await listed.json());
      const called = await staffCall(bot, '/admin/halls/ns-main/queue/next', { method: 'POST', body: JSON.stringify({ window: 'C01' }) });
      check.expectMatches('/admin/halls/{hall}/queue/next', 'post', '200', await called.json());
      const citizen = phone();
      const booked = await citizen.tap('12月4日 15:00 余6', await citizen.send('明天下午三点预约居住证'));
      const number = /预约号：(YY\d{12})/.exec(booked.descriptions[0] ?? '')?.[1] ?? '';
      const marked = await staffCall(bot, `/admin/appointments/${number}/arrived`, { method: 'POST' });
      check.expectMatches('/admin/appointments/{id}/arrived', 'post', '200', await marked.json());
      const refused = await staffCall(bot, '/admin/appointments?hall=ns-main&date=2026-12-04', {}, keys.agent);
      check.expectMatches('/admin/appointments', 'get', '403', await refused.json());
    });
  });
});

describe('appointment reminders across a restart', function () {
  this.timeout(120_000);
  let dataDir: string;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'appointments-restart-'));
  });
  after(async () => rm(dataDir, { recursive: true, force: true }));

  it('is sent once the evening before, by the bot running then, and not again after another restart', async () => {
    clock.now = at('2026-12-03', '10:00');
    const user = 'tel:+8613988887777';
    let bot = await startOn(dataDir);
    const citizen = new Phone(bot, user);
    await citizen.tap('12月8日 10:00 余10', await citizen.send('12月8日上午10点预约护照'));
    await bot.close();

    clock.now = at('2026-12-07', '18:00');
    bot = await startOn(dataDir);
    const reminded = await new Phone(bot, user).notices(1);
    expect(reminded.titles).to.deep.equal(['预约提醒 · 12月8日（周二）10:00']);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(bot.simulator.received(user)).to.have.length(1);
    await bot.close();

    clock.now = at('2026-12-07', '18:30');
    bot = await startOn(dataDir);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(bot.simulator.received(user), 'no second reminder').to.have.length(0);
    await bot.close();
  });
});
