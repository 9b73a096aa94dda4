/** The web phone with several platforms: the citizen picks the carrier, and each chatbot keeps its own conversation. */
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser.js';
import { authHeaders } from '../../src/channels/maap/auth.js';
import { encodeRequest } from '../../src/channels/maap/codec.js';
import { toMaapRequest } from '../../src/channels/maap/outbound.js';
import { startSimulator, type SimulatedMaapPlatform, type Simulator } from '../../src/channels/simulator/index.js';
import { APP_ID, APP_KEY, CALLBACK_TOKEN, CHATBOT_ID, Receiver, silentLog } from './helpers.js';

const USER = 'tel:+8613912340001';
const CMCC: SimulatedMaapPlatform = { id: 'cmcc-xml', family: 'maap', dialect: 'xml', chatbotId: 'sip:12599@botplatform.rcs.chinamobile.com', appId: 'xml-app', password: 'xml-secret' };

describe('the web phone with two carriers', function () {
  this.timeout(60_000);
  let receiver: Receiver;
  let simulator: Simulator;
  let browser: Browser;
  let page: Page;

  before(async () => {
    receiver = await new Receiver().start();
    simulator = await startSimulator(
      {
        platforms: [{ id: 'ctcu', family: 'ctcu', chatbotId: CHATBOT_ID, appId: APP_ID, appKey: APP_KEY, callbackToken: CALLBACK_TOKEN, apiVersion: 'v1' }, CMCC],
        notifyUrl: receiver.url,
        reportDelayMs: 5,
      },
      silentLog,
    );
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

  it('lists the carriers, starting with the first platform', async () => {
    const options = await page.$$eval('#platform option', (nodes) => nodes.map((node) => [node.getAttribute('value'), node.textContent]));
    expect(options).to.deep.equal([
      ['ctcu', '中国电信 / 中国联通 · ctcu'],
      ['cmcc-xml', '中国移动 · cmcc-xml'],
    ]);
    expect(await page.inputValue('#platform')).to.equal('ctcu');
  });

  it('sends what is typed after picking China Mobile as a MaaP inbound notification', async () => {
    await page.selectOption('#platform', 'cmcc-xml');
    await page.waitForURL(/platform=cmcc-xml/);
    await page.waitForSelector('body[data-ready="true"]');
    await page.fill('#text', '移动用户你好');
    await page.press('#text', 'Enter');
    const calls = await receiver.waitFor((all) => all.some((call) => call.path.startsWith('/InboundMessageNotification/')));
    expect(String(calls.find((call) => call.path.startsWith('/InboundMessageNotification/'))?.body)).to.include('移动用户你好');
  });

  it('shows what the China Mobile chatbot sends in its own conversation only', async () => {
    const card = { message: { generalPurposeCard: { layout: { cardOrientation: 'VERTICAL' as const }, content: { title: '移动卡片', description: '只在移动会话' } } } };
    const request = toMaapRequest({ userId: USER, body: { type: 'card', card } }, { messageId: 'phone-1', chatbotId: CMCC.chatbotId });
    const response = await fetch(`${simulator.serverRoot}/messaging/interaction/v1/outbound/${encodeURIComponent(CMCC.chatbotId)}/requests`, {
      method: 'POST',
      headers: { ...authHeaders('xml', CMCC), 'content-type': 'application/xml' },
      body: encodeRequest('xml', request).body,
    });
    expect(response.status).to.equal(201);
    await page.waitForSelector('.rich-card .card-title:has-text("移动卡片")');
    await page.selectOption('#platform', 'ctcu');
    await page.waitForURL(/platform=ctcu/);
    await page.waitForSelector('body[data-ready="true"]');
    expect(await page.$$('.rich-card')).to.have.length(0);
  });
});
