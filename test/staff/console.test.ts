/**
 * The staff console in a real browser: logging in with a key, an agent taking a handoff from the
 * queue, reading the conversation (cards drawn as cards), replying and closing; content staff
 * reaching the card preview; and what keeps others out (login, roles, CSRF, security headers).
 */
import { expect } from 'chai';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser.js';
import { startTestBot, type RunningBot } from '../channels/ctcu/botHarness.js';
import { agentsInClock } from '../support/clock.js';

const ADMIN = 'test-admin-token-0123456789';
const CITIZEN = 'tel:+8613955550000';


describe('the staff console', function () {
  this.timeout(90_000);
  let bot: RunningBot;
  let browser: Browser;
  const keys: Record<string, string> = {};

  async function newKey(name: string, role: string): Promise<string> {
    const response = await fetch(`${bot.url}/admin/staff`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }, body: JSON.stringify({ name, role }) });
    return ((await response.json()) as { key: string }).key;
  }

  async function loggedIn(key: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    await page.goto(`${bot.url}/staff`);
    await page.waitForURL(/\/staff\/login$/);
    await page.fill('input[name=key]', key);
    await page.click('button[type=submit]');
    await page.waitForURL(/\/staff$/);
    return page;
  }

  before(async () => {
    bot = await startTestBot({ ADMIN_TOKEN: ADMIN }, { handler: undefined, clock: agentsInClock() });
    keys.agent = await newKey('王坐席', 'agent');
    keys.content = await newKey('李编辑', 'content');
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await bot?.close();
  });

  it('refuses a wrong key and sets an HttpOnly, SameSite=Strict session cookie for a right one', async () => {
    const page = await browser.newPage();
    await page.goto(`${bot.url}/staff/login`);
    await page.fill('input[name=key]', 'rcs_0000000000_' + 'A'.repeat(43));
    await page.click('button[type=submit]');
    await page.locator('.error', { hasText: '密钥不正确' }).waitFor();
    await page.fill('input[name=key]', keys.agent ?? '');
    await page.click('button[type=submit]');
    await page.waitForURL(/\/staff$/);
    const [cookie] = await page.context().cookies();
    expect(cookie).to.include({ name: 'rcs_staff', httpOnly: true, sameSite: 'Strict' });
    await page.close();
  });

  it('lets an agent take a handoff, read the conversation, reply and close it', async () => {
    await bot.simulator.sendText(CITIZEN, '我想办居住证');
    await bot.simulator.sendText(CITIZEN, '转人工');
    await bot.simulator.waitForMessages(() => bot.simulator.received(CITIZEN).length >= 2, 15_000);
    const page = await loggedIn(keys.agent ?? '');
    await page.click('a[href="/staff/agents"]');
    await page.locator('tr[data-handoff] button', { hasText: '接入' }).click();
    await page.waitForURL(/\/staff\/agents\/[0-9a-f-]+$/);
    await page.locator('#transcript .rich-card .card-title', { hasText: '居住证申领' }).first().waitFor();
    await page.screenshot({ path: join(tmpdir(), 'staff-console-handoff.png'), fullPage: true });
    await page.fill('textarea[name=text]', '您好，我是人工客服，请问还有什么需要帮忙？');
    await page.locator('button', { hasText: '发送文字' }).click();
    await bot.simulator.waitForMessages(() => JSON.stringify(bot.simulator.received(CITIZEN).at(-1)?.parts).includes('我是人工客服'), 15_000);
    await page.fill('textarea[name=summary]', '已解答');
    await page.locator('button', { hasText: '结束服务' }).click();
    await page.waitForURL(/\/staff\/agents$/);
    // The closing words, and then the rating question.
    await bot.simulator.waitForMessages(() => JSON.stringify(bot.simulator.received(CITIZEN).slice(-2)).includes('本次人工服务已结束'), 15_000);
    await page.close();
  });

  it('shows content staff the card preview, and keeps agents and strangers out of it', async () => {
    const anonymous = await fetch(`${bot.url}/staff/preview/preview.html`, { redirect: 'manual' });
    expect(anonymous.status).to.equal(302);
    const agent = await loggedIn(keys.agent ?? '');
    const refused = await agent.goto(`${bot.url}/staff/preview/preview.html`);
    expect(refused?.status()).to.equal(403);
    const content = await loggedIn(keys.content ?? '');
    await content.click('a[href="/staff/preview/preview.html"]');
    await content.waitForSelector('body[data-ready="true"]');
    expect(await content.locator('section.template').count()).to.be.greaterThan(30);
    await content.screenshot({ path: join(tmpdir(), 'staff-console-preview.png') });
  });

  it('lets an admin give a clerk account its hall, and refuses a clerk without one', async () => {
    const page = await loggedIn(ADMIN);
    await page.goto(`${bot.url}/staff/admin`);
    await page.fill('input[name=name]', '赵窗口');
    await page.selectOption('select[name=role]', 'clerk');
    await page.selectOption('select[name=hall]', 'ns-main');
    await page.click('form.inline button[type=submit]');
    expect(await page.textContent('.notice')).to.contain('已创建账号“赵窗口”');
    expect(await page.textContent('table.list')).to.contain('clerk（ns-main）');
    const key = (await page.textContent('code.key'))?.trim() ?? '';
    const clerkPage = await loggedIn(key);
    expect(await clerkPage.textContent('ul.links')).to.contain('大厅窗口（ns-main）');
    await clerkPage.close();
    await page.fill('input[name=name]', '钱窗口');
    await page.selectOption('select[name=role]', 'clerk');
    await page.click('form.inline button[type=submit]');
    expect(await page.textContent('.error')).to.contain('须选择所在大厅');
    await page.close();
  });

  it('refuses a form posted without the session CSRF token, and sends security headers', async () => {
    const page = await loggedIn(keys.agent ?? '');
    const status = await page.evaluate(async () => (await fetch('/staff/logout', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '_csrf=forged' })).status);
    expect(status).to.equal(403);
    const response = await fetch(`${bot.url}/staff/login`);
    expect(response.headers.get('content-security-policy')).to.contain("default-src 'self'");
    expect(response.headers.get('x-frame-options')).to.equal('SAMEORIGIN');
    expect(response.headers.get('x-content-type-options')).to.equal('nosniff');
  });
});
