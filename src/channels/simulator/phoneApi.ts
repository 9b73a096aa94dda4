/**
 * The web phone: a static page (phone/) and the small API it uses — the platforms to pick from,
 * the conversation so far with one chatbot, live updates over server-sent events, and what the
 * citizen does (type, tap, share location, switch the terminal to a non-5G phone).
 */
import { Router } from '@koa/router';
import { readFile } from 'node:fs/promises';
import { PassThrough } from 'node:stream';
import { readJson } from './httpBody.js';
import type { PhoneFeed } from './phoneFeed.js';
import { phoneKey } from './simPlatform.js';
import type { InboundPart, SendResult } from './types.js';

const ASSETS: Record<string, string> = {
  'phone.html': 'text/html; charset=utf-8',
  'phone.css': 'text/css; charset=utf-8',
  'phone.js': 'text/javascript; charset=utf-8',
  'cardView.js': 'text/javascript; charset=utf-8',
  /** A sample picture for demo cards and tests (the phone has no internet here). */
  'sample.svg': 'image/svg+xml',
};
const assetDir = new URL('./phone/', import.meta.url);
const USER_PATTERN = /^tel:\+\d{6,15}$/;
const KEEPALIVE_MS = 15_000;

/** A platform as the phone page lists it. */
export interface PhonePlatform {
  id: string;
  family: 'ctcu' | 'maap';
  dialect?: 'xml' | 'json';
  label?: string;
}

export interface PhoneActions {
  feed: PhoneFeed;
  platforms: PhonePlatform[];
  sendMessage(platformId: string, user: string, part: InboundPart): Promise<SendResult>;
  setNon5g(user: string, non5g: boolean): void;
  isNon5g(user: string): boolean;
  /** The fixed menu the chatbot on this platform set, if any. */
  menu(platformId: string): unknown;
  defaultUser: string;
}

function userOf(value: unknown): string | undefined {
  return typeof value === 'string' && USER_PATTERN.test(value) ? value : undefined;
}

/** The platform a request names (the first when it names none); undefined for an unknown one. */
function platformOf(actions: PhoneActions, value: unknown): string | undefined {
  if (value === undefined || value === '') return actions.platforms[0]?.id;
  return actions.platforms.find((platform) => platform.id === value)?.id;
}

export function phoneRouter(actions: PhoneActions): Router {
  const router = new Router();

  router.get('/phone', (ctx) => {
    const platform = platformOf(actions, ctx.query.platform) ?? actions.platforms[0]?.id ?? '';
    ctx.redirect(`/phone/phone.html?user=${encodeURIComponent(userOf(ctx.query.user) ?? actions.defaultUser)}&platform=${encodeURIComponent(platform)}`);
  });

  router.get('/phone/:asset', async (ctx) => {
    const type = ASSETS[ctx.params.asset ?? ''];
    if (!type) return;
    const body = await readFile(new URL(ctx.params.asset as string, assetDir)).catch(() => undefined);
    if (!body) return void ctx.throw(404, 'phone page assets are served from the source tree (npm start)');
    ctx.type = type;
    ctx.set('cache-control', 'no-store');
    ctx.body = body;
  });

  router.get('/phone-api/platforms', (ctx) => {
    ctx.body = { platforms: actions.platforms };
  });

  router.get('/phone-api/state', (ctx) => {
    const user = userOf(ctx.query.user);
    const platform = platformOf(actions, ctx.query.platform);
    if (!user || !platform) return void ctx.throw(400, 'user must be tel:+<digits>, platform a known one');
    ctx.body = { user, platform, non5g: actions.isNon5g(user), menu: actions.menu(platform) ?? null, entries: actions.feed.history(phoneKey(platform, user)) };
  });

  router.get('/phone-api/events', (ctx) => {
    const user = userOf(ctx.query.user);
    const platform = platformOf(actions, ctx.query.platform);
    if (!user || !platform) return void ctx.throw(400, 'user must be tel:+<digits>, platform a known one');
    const stream = new PassThrough();
    const unsubscribe = actions.feed.subscribe(phoneKey(platform, user), (entry) => stream.write(`data: ${JSON.stringify(entry)}\n\n`));
    const keepalive = setInterval(() => stream.write(': keepalive\n\n'), KEEPALIVE_MS);
    const end = (): void => {
      clearInterval(keepalive);
      unsubscribe();
      stream.end();
    };
    ctx.req.once('close', end);
    ctx.type = 'text/event-stream';
    ctx.set('cache-control', 'no-store');
    ctx.body = stream;
    stream.write(': connected\n\n');
  });

  router.post('/phone-api/send', async (ctx) => {
    const body = (await readJson(ctx)) as { user?: unknown; platform?: unknown; part?: InboundPart } | undefined;
    const user = userOf(body?.user);
    const platform = platformOf(actions, body?.platform);
    const part = body?.part;
    if (!user || !platform || typeof part?.contentType !== 'string' || part.contentText === undefined) {
      return void ctx.throw(400, 'needs user, a known platform and part {contentType, contentText}');
    }
    ctx.body = await actions.sendMessage(platform, user, part);
  });

  router.post('/phone-api/terminal', async (ctx) => {
    const body = (await readJson(ctx)) as { user?: unknown; non5g?: unknown } | undefined;
    const user = userOf(body?.user);
    if (!user || typeof body?.non5g !== 'boolean') return void ctx.throw(400, 'needs user and non5g');
    actions.setNon5g(user, body.non5g);
    ctx.body = { user, non5g: body.non5g };
  });

  return router;
}
