/**
 * 好差评 in the staff console, in a real browser: the dashboard's figures, its three charts drawn
 * (from the app's own Chart.js, under a script-src 'self' policy) and the rectification queue;
 * a negative rating's task verified, answered (the citizen receives it) and closed through the
 * forms. Screenshots are written to the temp directory for a person to look at.
 */
import { expect } from 'chai';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startTestBot, type RunningBot } from '../channels/ctcu/botHarness.js';
import { consoleLogin, launchBrowser, paintedPixels } from '../support/browser.js';
import { agentsInClock } from '../support/clock.js';
import { Phone } from '../support/phone.js';
import { expectedStats, generateMonth } from '../ratings/generatedMonth.js';

const ADMIN = 'test-admin-token-0123456789';
const MONTH = 'from=2025-11-01&to=2025-11-30';

describe('the staff console: 好差评', function () {
  this.timeout(120_000);
  let bot: RunningBot;
  let browser: Browser;
  const keys: Record<string, string> = {};
  const month = generateMonth(7, ['ctcu', 'cmcc-xml', 'cmcc-json']);

  const loggedIn = (key: string): Promise<Page> => consoleLogin(browser, bot.url, key);

  before(async () => {
    bot = await startTestBot({ ADMIN_TOKEN: ADMIN }, { handler: undefined, clock: agentsInClock(), ratingSweepMs: 0 });
    for (const [name, role] of [['李编辑', 'content'], ['王坐席', 'agent'], ['推送员', 'campaign']] as const) {
      const response = await fetch(`${bot.url}/admin/staff`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }, body: JSON.stringify({ name, role }) });
      keys[role] = ((await response.json()) as { key: string }).key;
    }
    const ledger = bot.ratings?.stores.ledger;
    for (const service of month) {
      await ledger?.served(service.record);
      if (service.level === undefined) continue;
      const question = await ledger?.invite({ userKey: service.record.userKey, reason: 'idle' }, new Date(service.record.servedAt.getTime() + 600_000));
      await ledger?.rate(question?._id ?? '', service.level, `rate-${service.record._id}`, new Date(service.record.servedAt.getTime() + 700_000));
    }
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await bot?.close();
  });

  it('shows the month\'s figures, draws its charts and lists the tasks of its negative ratings', async () => {
    const page = await loggedIn(keys.content ?? '');
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
    await page.click('a[href="/staff/ratings"]');
    await page.waitForURL(/\/staff\/ratings$/);
    await page.goto(`${bot.url}/staff/ratings?${MONTH}&groupBy=hall`);
    await page.waitForSelector('body[data-charts="drawn"]');
    const expected = expectedStats(month, '2025-11-01', '2025-11-30').totals;
    const pct = (rate: number | null): string => `${((rate ?? 0) * 100).toFixed(1)}%`;
    expect(await page.locator('[data-figure="rating-rate"]').textContent()).to.equal(pct(expected.ratingRate));
    expect(await page.locator('[data-figure="good-rate"]').textContent()).to.equal(pct(expected.goodRate));
    const halls = Object.keys(expectedStats(month, '2025-11-01', '2025-11-30', 'hall').groups);
    expect(halls, 'three halls, and handoffs about no item').to.have.length(4);
    expect(await page.locator('#groups tbody tr').count()).to.equal(halls.length);
    expect(await page.locator('#groups tbody').textContent()).to.contain('（未关联事项）');
    // Each chart painted something: pixels that are not transparent.
    for (const id of ['chart-days', 'chart-levels', 'chart-groups']) {
      const painted = await paintedPixels(page, id);
      expect(painted, id).to.be.greaterThan(2000);
    }
    // The queue holds every task not done, whatever the range; those of a year ago are overdue.
    const negatives = month.filter((service) => (service.level ?? 5) <= 2).length;
    expect(await page.locator('#rectifications tr.overdue').count()).to.equal(negatives);
    expect(errors).to.deep.equal([]);
    await page.screenshot({ path: join(tmpdir(), 'staff-console-ratings.png'), fullPage: true });
    const csv = await page.evaluate(async (query) => (await fetch(`/staff/ratings.csv?${query}&groupBy=channel`)).text(), MONTH);
    expect(csv.trim().split('\r\n'), 'the header, three channels, the totals').to.have.length(1 + 3 + 1);
    await page.close();
  });

  it('takes a negative rating from the citizen to a reply and a closed task through the forms', async () => {
    const citizen = new Phone(bot, 'tel:+8613988880001');
    // A message the classifier decides outright: a bare 营业执照 is a close call between company
    // registration and a copy of a licence, answered with a question back and no service to rate.
    await citizen.send('我想开公司 办营业执照');
    const question = await citizen.send('谢谢');
    await citizen.tap('不满意', question);
    await citizen.send('等了一个小时才叫到号');

    const page = await loggedIn(keys.agent ?? '');
    await page.goto(`${bot.url}/staff/ratings`);
    const row = page.locator('#rectifications tr', { hasText: '等了一个小时才叫到号' });
    expect(await row.locator('td').first().textContent()).to.contain('待核实');
    await row.locator('a', { hasText: '处理' }).click();
    await page.waitForURL(/\/staff\/ratings\/tasks\/[0-9a-f]{32}$/);
    await page.fill('textarea[name=finding]', '当天上午取号人数是平日的两倍，只开了两个窗口。');
    await page.locator('button', { hasText: '确认核实' }).click();
    await page.fill('textarea[name=action]', '高峰时段增开一个综合窗口，并在服务号公布实时排队人数。');
    await page.fill('textarea[name=reply]', '非常抱歉让您久等，下次可先在服务号查看排队情况。');
    await page.locator('button', { hasText: '发送答复' }).click();
    expect((await citizen.notices()).texts[0]).to.contain('高峰时段增开一个综合窗口');
    await page.screenshot({ path: join(tmpdir(), 'staff-console-rectification.png'), fullPage: true });
    await page.fill('textarea[name=note]', '已电话回访，市民表示理解。');
    await page.locator('button', { hasText: '办结' }).click();
    await page.locator('.meta', { hasText: '已办结' }).waitFor();
    expect(await page.locator('dl.facts').textContent()).to.contain('已电话回访');
    await page.goto(`${bot.url}/staff/ratings`);
    expect(await page.locator('#rectifications', { hasText: '等了一个小时才叫到号' }).count()).to.equal(0);
    await page.close();
  });

  it('keeps campaign staff out, and refuses a task form without the session token', async () => {
    const page = await loggedIn(keys.campaign ?? '');
    expect((await page.goto(`${bot.url}/staff/ratings`))?.status()).to.equal(403);
    const agent = await loggedIn(keys.agent ?? '');
    const status = await agent.evaluate(async () => (await fetch(`/staff/ratings/tasks/${'0'.repeat(32)}/verify`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'finding=x&_csrf=forged' })).status);
    expect(status).to.equal(403);
  });
});
