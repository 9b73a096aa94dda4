import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser.js';
import type { Simulator } from '../../src/channels/simulator/index.js';
import { BotApi, Receiver, simulatorFor, textRequest } from './helpers.js';

const USER = 'tel:+8613912345678';
const CARD = 'application/vnd.gsma.botmessage.v1.0+json';
const CHIPS = 'application/vnd.gsma.botsuggestion.v1.0+json';

function botSends(api: BotApi, messageList: { contentType: string; contentText: string }[], extra: Record<string, unknown> = {}): Promise<{ errorCode: number }> {
  return api.send(textRequest('', { destinationAddress: [USER], messageList, ...extra }));
}

interface Notification {
  messageList: { contentType: string; contentText: string }[];
}

function lastUserPart(receiver: Receiver): { contentType: string; contentText: string } | undefined {
  const messages = receiver.calls.filter((call) => call.path.startsWith('/messageNotification/'));
  return (messages.at(-1)?.body as Notification | undefined)?.messageList[0];
}

describe('the web phone in a real browser', function () {
  this.timeout(60_000);
  let receiver: Receiver;
  let simulator: Simulator;
  let api: BotApi;
  let browser: Browser;
  let page: Page;

  before(async () => {
    receiver = await new Receiver().start();
    simulator = await simulatorFor(receiver.url, { reportDelayMs: 5 });
    api = new BotApi(simulator.serverRoot);
    await api.fetchToken();
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 420, height: 860 } });
    await page.goto(`${simulator.serverRoot}/phone?user=${encodeURIComponent(USER)}`);
    await page.waitForSelector('body[data-ready="true"]');
  });
  after(async () => {
    await browser?.close();
    await simulator?.close();
    await receiver?.close();
  });

  it('sends what the citizen types to the bot as a signed text message', async () => {
    await page.fill('#text', '我想办居住证');
    await page.press('#text', 'Enter');
    await receiver.waitFor(() => lastUserPart(receiver)?.contentText === '我想办居住证');
    expect(lastUserPart(receiver)?.contentType).to.equal('text/plain');
    await page.waitForSelector('.row.user .bubble:has-text("我想办居住证")');
  });

  it('renders a rich card with media, title, description and buttons, and a chip list', async () => {
    const card = {
      message: {
        generalPurposeCard: {
          layout: { cardOrientation: 'VERTICAL' },
          content: {
            media: { mediaUrl: `${simulator.serverRoot}/phone/sample.svg`, mediaContentType: 'image/svg+xml', mediaFileSize: 600, height: 'MEDIUM_HEIGHT' },
            title: '居住证申领',
            description: '办理条件：在本市居住满半年。',
            suggestions: [
              { action: { displayText: '咨询电话', dialerAction: { dialPhoneNumber: { phoneNumber: '0755-12345678' } } } },
              { action: { displayText: '大厅位置', mapAction: { showLocation: { location: { latitude: 22.5431, longitude: 114.0579, label: '行政服务大厅' } } } } },
              { reply: { displayText: '预约办理', postback: { data: 'book:residence-permit' } } },
            ],
          },
        },
      },
    };
    const chips = { suggestions: [{ reply: { displayText: '所需材料', postback: { data: 'materials:residence-permit' } } }, { reply: { displayText: '人工服务', postback: { data: 'human' } } }] };
    const answer = await botSends(api, [
      { contentType: CARD, contentText: JSON.stringify(card) },
      { contentType: CHIPS, contentText: JSON.stringify(chips) },
    ]);
    expect(answer.errorCode).to.equal(0);
    const shown = page.locator('.rich-card').filter({ hasText: '居住证申领' });
    await shown.waitFor();
    expect(await shown.locator('.card-description').textContent()).to.equal('办理条件：在本市居住满半年。');
    const imageLoaded = await shown.locator('img.card-media').evaluate((image) => {
      type Picture = { complete: boolean; naturalWidth: number; addEventListener(type: string, listener: () => void): void };
      const picture = image as unknown as Picture;
      if (picture.complete) return picture.naturalWidth > 0;
      return new Promise<boolean>((resolve) => {
        picture.addEventListener('load', () => resolve(picture.naturalWidth > 0));
        picture.addEventListener('error', () => resolve(false));
      });
    });
    expect(imageLoaded, 'the card picture loads').to.equal(true);
    expect(await shown.locator('.card-button').allTextContents()).to.deep.equal(['咨询电话', '大厅位置', '预约办理']);
    expect(await page.locator('.chip-list .chip').allTextContents()).to.deep.equal(['所需材料', '人工服务']);
  });

  it('sends the postback of a tapped chip and of a tapped card reply', async () => {
    await page.click('.chip:has-text("所需材料")');
    await receiver.waitFor(() => lastUserPart(receiver)?.contentType === 'application/vnd.gsma.botsuggestion.response.v1.0+json');
    expect(JSON.parse(lastUserPart(receiver)?.contentText ?? '{}')).to.deep.equal({ response: { reply: { displayText: '所需材料', postback: { data: 'materials:residence-permit' } } } });
    await page.click('.card-button:has-text("预约办理")');
    await receiver.waitFor(() => (lastUserPart(receiver)?.contentText ?? '').includes('book:residence-permit'));
    await page.waitForSelector('.row.user .bubble:has-text("预约办理")');
  });

  it('shows what the phone would do for dial and map actions', async () => {
    await page.click('.card-button:has-text("咨询电话")');
    await page.waitForSelector('#sheet:not(.hidden)');
    expect(await page.textContent('#sheet-title')).to.contain('0755-12345678');
    expect(await page.getAttribute('#sheet-actions a', 'href')).to.equal('tel:0755-12345678');
    await page.click('#sheet-actions button');
    await page.click('.card-button:has-text("大厅位置")');
    expect(await page.textContent('#sheet-detail')).to.contain('22.5431,114.0579');
    expect(await page.getAttribute('#sheet-actions a', 'href')).to.contain('position=114.0579,22.5431');
    await page.click('#sheet-actions button');
  });

  it('shows what the phone would do for web and calendar actions, and shares a location when asked', async () => {
    const card = {
      message: {
        generalPurposeCard: {
          layout: { cardOrientation: 'HORIZONTAL', imageAlignment: 'LEFT' },
          content: {
            title: '预约成功',
            suggestions: [
              { action: { displayText: '网上办理', urlAction: { openUrl: { url: 'https://www.gdzwfw.gov.cn/', application: 'webview' } } } },
              { action: { displayText: '加入日历', calendarAction: { createCalendarEvent: { startTime: '2026-12-01T09:00:00+08:00', endTime: '2026-12-01T09:30:00+08:00', title: '居住证办理' } } } },
              { action: { displayText: '发送位置', mapAction: { requestLocationPush: {} }, postback: { data: 'location-asked' } } },
            ],
          },
        },
      },
    };
    expect((await botSends(api, [{ contentType: CARD, contentText: JSON.stringify(card) }])).errorCode).to.equal(0);
    const shown = page.locator('.rich-card.horizontal').filter({ hasText: '预约成功' });
    await shown.waitFor();
    await shown.locator('.card-button:has-text("网上办理")').click();
    expect(await page.textContent('#sheet-detail')).to.equal('https://www.gdzwfw.gov.cn/');
    expect(await page.getAttribute('#sheet-actions a', 'href')).to.equal('https://www.gdzwfw.gov.cn/');
    await page.click('#sheet-actions button');
    await shown.locator('.card-button:has-text("加入日历")').click();
    expect(await page.textContent('#sheet-detail')).to.contain('居住证办理').and.to.contain('2026-12-01T09:00:00+08:00');
    await page.click('#sheet-actions button');
    await shown.locator('.card-button:has-text("发送位置")').click();
    await receiver.waitFor(() => (lastUserPart(receiver)?.contentText ?? '').includes('location-asked'));
    await page.click('#sheet-actions button.primary');
    await receiver.waitFor(() => (lastUserPart(receiver)?.contentText ?? '').startsWith('geo:22.5431,114.0579'));
  });

  it('renders a carousel of cards side by side', async () => {
    const cards = ['身份证', '户口', '社保'].map((title, index) => ({ title, description: `第${index + 1}项`, suggestions: [{ reply: { displayText: '详情', postback: { data: `detail:${index}` } } }] }));
    const carousel = { message: { generalPurposeCardCarousel: { layout: { cardWidth: 'SMALL_WIDTH' }, content: cards } } };
    expect((await botSends(api, [{ contentType: CARD, contentText: JSON.stringify(carousel) }])).errorCode).to.equal(0);
    const strip = page.locator('.carousel').last();
    await strip.waitFor();
    expect(await strip.locator('.card-title').allTextContents()).to.deep.equal(['身份证', '户口', '社保']);
    const boxes = await strip.locator('.rich-card').evaluateAll((nodes) => nodes.map((node) => node.getBoundingClientRect().top));
    expect(new Set(boxes).size).to.equal(1);
    await strip.locator('.card-button').nth(1).click();
    await receiver.waitFor(() => (lastUserPart(receiver)?.contentText ?? '').includes('detail:1'));
  });

  it('shows an SMS bubble when the phone is switched to a non-5G terminal', async () => {
    await page.check('#non5g');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const answer = await botSends(api, [{ contentType: 'text/plain', contentText: '富媒体内容' }], { smsSupported: true, smsContent: '【政务服务】居住证办理请携带身份证。' });
    expect(answer.errorCode).to.equal(0);
    await page.waitForSelector('.sms-bubble');
    expect(await page.locator('.sms-bubble').last().textContent()).to.equal('【政务服务】居住证办理请携带身份证。');
    await page.uncheck('#non5g');
    await page.screenshot({ path: '/tmp/phone-simulator.png', fullPage: true });
  });
});
