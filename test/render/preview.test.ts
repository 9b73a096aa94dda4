/**
 * The card preview page in a real browser: every template drawn with its samples by the phone's
 * own drawing code, lint problems beside the card, and a live reload when a file changes.
 */
import { expect } from 'chai';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser.js';
import { startTestBot, type RunningBot } from '../channels/ctcu/botHarness.js';

const ADMIN = 'preview-admin-token-0123456789';

describe('the card preview page', function () {
  this.timeout(60_000);
  let cards: string;
  let bot: RunningBot;
  let browser: Browser;
  let page: Page;

  before(async () => {
    cards = mkdtempSync(join(tmpdir(), 'preview-cards-'));
    cpSync(resolve('cards'), cards, { recursive: true });
    bot = await startTestBot({ NODE_ENV: 'development', ADMIN_TOKEN: ADMIN }, { handler: undefined, content: { cards } });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    // Content staff log in to the console first.
    await page.goto(`${bot.url}/staff/login`);
    await page.fill('input[name=key]', ADMIN);
    await page.click('button[type=submit]');
    await page.waitForURL(/\/staff$/);
    await page.goto(`${bot.url}/staff/preview`);
    await page.waitForSelector('body[data-ready="true"]');
  });
  after(async () => {
    await browser?.close();
    await bot?.close();
    rmSync(cards, { recursive: true, force: true });
  });

  it('draws every template with each of its samples as the phone does, with no problems', async () => {
    const templates = await page.locator('section.template').count();
    expect(templates).to.equal(readdirSync(resolve('cards/templates')).filter((name) => !name.endsWith('.samples.yaml')).length);
    const guide = page.locator('section.template[data-name="guide"]');
    await guide.locator('.rich-card .card-title', { hasText: '居住证申领' }).first().waitFor();
    expect(await guide.locator('.card-button', { hasText: '所需材料' }).count()).to.be.at.least(1);
    expect(await guide.locator('.chip', { hasText: '预约办理' }).count()).to.be.at.least(1);
    expect(await page.locator('.problem').count()).to.equal(0);
    expect(await guide.locator('.sms').first().textContent()).to.contain('【南山政务】居住证申领');
    await page.screenshot({ path: join(tmpdir(), 'card-preview.png') });
  });

  it('shows what a tapped button sends back', async () => {
    const guide = page.locator('section.template[data-name="guide"] .sample').first();
    await guide.locator('.card-button', { hasText: '所需材料' }).click();
    expect(await guide.locator('.tapped').textContent()).to.contain('sample-materials');
  });

  it('redraws when a template changes, and shows a problem beside the card of a sample it breaks', async () => {
    const file = join(cards, 'templates/thanks.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('不客气', '不用谢'));
    await page.locator('section.template[data-name="thanks"] .bubble', { hasText: '不用谢' }).waitFor({ timeout: 10_000 });
    const guide = join(cards, 'templates/guide.yaml');
    writeFileSync(guide, readFileSync(guide, 'utf8').replace('displayText: 办理条件,', 'displayText: 这个按钮上的文字实在是太长了超过了运营商规定的二十五个字符,'));
    await page.locator('section.template[data-name="guide"] .problem', { hasText: 'displayText' }).first().waitFor({ timeout: 10_000 });
    expect(await page.locator('section.template[data-name="guide"] .problem').first().textContent()).to.match(/templates\/guide\.yaml:\d+: .*must NOT have more than 25 characters/);
  });

  it('keeps the last good templates in use and lists the problems when a file does not load', async () => {
    writeFileSync(join(cards, 'templates/goodbye.yaml'), 'text: "{{#if"\n');
    await page.locator('#load-problems', { hasText: 'goodbye.yaml' }).waitFor({ timeout: 10_000 });
    expect(await page.locator('section.template[data-name="goodbye"]').count()).to.equal(1);
  });
});
