/** The headless Chromium the page tests drive (Debian's, or CHROMIUM_PATH). */
import { chromium, type Browser, type Page } from 'playwright-core';

/** Quiet flags: no sandbox (CI runs as root), no GPU, nothing that phones home during a test. */
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ARGS });
}

/** A page of `browser` logged in to the staff console of the bot at `baseUrl` with `key` (on its home page). */
export async function consoleLogin(browser: Browser, baseUrl: string, key: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  await page.goto(`${baseUrl}/staff/login`);
  await page.fill('input[name=key]', key);
  await page.click('button[type=submit]');
  await page.waitForURL(/\/staff$/);
  return page;
}

/** How many pixels of a canvas are painted (not transparent): a chart was drawn. */
export function paintedPixels(page: Page, canvasId: string): Promise<number> {
  // Run in the page (as text: the tests are compiled without the DOM's types).
  return page.evaluate<number>(`(() => {
    const canvas = document.getElementById(${JSON.stringify(canvasId)});
    const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let count = 0;
    for (let index = 3; index < pixels.length; index += 4) if (pixels[index] > 0) count++;
    return count;
  })()`);
}
