/** The headless Chromium the page tests drive (Debian's, or CHROMIUM_PATH). */
import { chromium, type Browser } from 'playwright-core';

/** Quiet flags: no sandbox (CI runs as root), no GPU, nothing that phones home during a test. */
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ARGS });
}
