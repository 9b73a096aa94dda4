/**
 * 政策推送 in the staff console, in a real browser: an audience previewed through the form (the
 * same figures as the staff API's preview), a bad field named, a draft created and cancelled; a
 * large campaign approved by a second person, started, and its counters moving on the page until
 * every message went out. Other roles are kept out and a forged form is refused. Screenshots
 * are written to the temp directory for a person to look at.
 */
import { expect } from 'chai';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startTestBot, type RunningBot } from '../channels/ctcu/botHarness.js';
import { consoleLogin, launchBrowser, paintedPixels } from '../support/browser.js';
import { ADMIN, call, directory, isCampaignMessage, until } from '../campaigns/harness.js';

const POLICY = 'startup-guarantee-loan';
const STREET = '粤海街道';

describe('the staff console: 政策推送', function () {
  this.timeout(120_000);
  let bot: RunningBot;
  let browser: Browser;
  const keys: Record<string, string> = {};

  const loggedIn = (key: string): Promise<Page> => consoleLogin(browser, bot.url, key);

  /** The form filled for the policy and street; `extra` fields as the page names them. */
  async function fillForm(page: Page, name: string, extra: Record<string, string> = {}): Promise<void> {
    await page.fill('input[name=name]', name);
    await page.selectOption('select[name=policy]', POLICY);
    await page.check(`input[name=streets][value="${STREET}"]`);
    await page.check('input[name=anyHour]');
    for (const [field, value] of Object.entries(extra)) await page.fill(`[name=${field}]`, value);
  }

  before(async () => {
    bot = await startTestBot({ ADMIN_TOKEN: ADMIN, DEMO_DIRECTORY_SIZE: '0', CAMPAIGN_APPROVAL_THRESHOLD: '20' }, { handler: undefined });
    for (const [name, role] of [['陈推送', 'campaign'], ['周复核', 'campaign'], ['王坐席', 'agent']] as const) {
      keys[name] = (await call<{ key: string }>(bot.url, 'POST', '/admin/staff', { name, role })).body.key;
    }
    expect((await call(bot.url, 'POST', '/admin/enterprises', directory(400, 11).csv, 'text/csv')).status).to.equal(200);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await bot?.close();
  });

  it('previews an audience as the API counts it, names a bad field, and creates and cancels a draft', async () => {
    const expected = (await call<{ count: number; excluded: Record<string, number> }>(bot.url, 'POST', '/admin/segments/preview', { policy: POLICY, segment: { streets: [STREET] } })).body;
    const page = await loggedIn(keys['陈推送'] ?? '');
    await page.click('nav a[href="/staff/campaigns"]');
    await page.click('a[href="/staff/campaigns/new"]');
    await fillForm(page, '创业担保贷款 · 粤海');
    await page.click('#preview-button');
    expect(await page.locator('[data-figure="count"]').textContent()).to.equal(String(expected.count));
    expect(await page.locator('[data-excluded="duplicate"]').textContent()).to.equal(String(expected.excluded.duplicate));
    expect(await page.locator('#sample tbody tr').count()).to.equal(Math.min(10, expected.count));
    expect(await page.locator(`input[name=streets][value="${STREET}"]`).isChecked(), 'the form keeps what was filled in').to.equal(true);
    await page.screenshot({ path: join(tmpdir(), 'staff-console-campaign-preview.png'), fullPage: true });

    await page.fill('textarea[name=smsText]', '创业担保贷款贴息开始申报');
    await page.click('#create-button');
    expect(await page.locator('#form-problem').getAttribute('data-field')).to.equal('smsText');
    expect(await page.locator('#form-problem').textContent()).to.contain('短信内容');

    await page.fill('textarea[name=smsText]', '创业担保贷款贴息开始申报，回复TD退订');
    await page.click('#create-button');
    await page.waitForURL(/\/staff\/campaigns\/[0-9a-f-]{36}$/);
    expect(await page.locator('#campaign [data-status]').getAttribute('data-status')).to.equal('draft');
    expect(await page.locator('dl.facts').textContent()).to.contain(`街道：${STREET}`);
    await page.locator('button', { hasText: '取消推送' }).click();
    await page.locator('#campaign [data-status="cancelled"]').waitFor();
    await page.goto(`${bot.url}/staff/campaigns`);
    expect(await page.locator('#campaigns tr', { hasText: '创业担保贷款 · 粤海' }).locator('[data-status]').getAttribute('data-status')).to.equal('cancelled');
    await page.close();
  });

  it('starts a large campaign only after a second person approved it, and shows its counters moving until all is sent', async () => {
    const creator = await loggedIn(keys['陈推送'] ?? '');
    await creator.goto(`${bot.url}/staff/campaigns/new`);
    await fillForm(creator, '创业担保贷款 · 四眼', { rate: '15' });
    await creator.click('#create-button');
    await creator.waitForURL(/\/staff\/campaigns\/[0-9a-f-]{36}$/);
    const url = creator.url();
    await creator.locator('button', { hasText: '复核通过' }).click();
    expect(await creator.locator('h1').textContent()).to.equal('不能复核自己的推送');

    const reviewer = await loggedIn(keys['周复核'] ?? '');
    await reviewer.goto(url);
    await reviewer.locator('button', { hasText: '复核通过' }).click();
    await reviewer.locator('dl.facts', { hasText: '周复核' }).waitFor();

    await creator.goto(url);
    const errors: string[] = [];
    creator.on('pageerror', (error) => errors.push(error.message));
    await creator.locator('button', { hasText: '启动' }).click();
    await creator.locator('#campaign [data-status="running"]').waitFor();
    // The page redraws its figures in place while the campaign runs (fifteen a second), and reloads when it completes.
    await until('sent counted on the running campaign\'s page', async () => {
      const status = await creator.locator('#campaign [data-status]').getAttribute('data-status');
      return status === 'running' && Number(await creator.locator('[data-stat="sent"]').textContent()) > 0 ? true : undefined;
    }, 30_000);
    await creator.locator('#campaign [data-status="completed"]').waitFor({ timeout: 60_000 });
    const targeted = Number(await creator.locator('[data-stat="targeted"]').textContent());
    expect(targeted).to.be.greaterThan(20);
    // Completed: every recipient handed to the outbox; the last ones are still counted in as they go out.
    await until('every message counted as sent', async () => (Number(await creator.locator('[data-stat="sent"]').textContent()) === targeted ? true : undefined), 30_000);
    expect(bot.simulator.received().filter(isCampaignMessage)).to.have.length(targeted);
    const painted = await paintedPixels(creator, 'chart-funnel');
    expect(painted, 'the funnel chart drew bars').to.be.greaterThan(2000);
    expect(errors).to.deep.equal([]);
    await creator.screenshot({ path: join(tmpdir(), 'staff-console-campaign.png'), fullPage: true });
    await creator.close();
    await reviewer.close();
  });

  it('keeps other roles out, and refuses a campaign form without the session token', async () => {
    const agent = await loggedIn(keys['王坐席'] ?? '');
    expect(await agent.locator('nav a[href="/staff/campaigns"]').count()).to.equal(0);
    expect((await agent.goto(`${bot.url}/staff/campaigns`))?.status()).to.equal(403);
    const staff = await loggedIn(keys['陈推送'] ?? '');
    const status = await staff.evaluate(async () => (await fetch('/staff/campaigns', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'name=x&_csrf=forged' })).status);
    expect(status).to.equal(403);
    await agent.close();
    await staff.close();
  });
});
