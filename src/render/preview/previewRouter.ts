/**
 * The preview page for content staff, `/staff/preview`: every card template rendered with each
 * of its samples exactly as the web phone draws it (the same drawing script), the lint problems
 * beside each card, and a live reload when a file under cards/ changes (development). Behind the
 * staff console's login: `access` admits content staff and admins.
 */
import { Router } from '@koa/router';
import type { Context, Next } from 'koa';
import { readFile } from 'node:fs/promises';
import { PassThrough } from 'node:stream';
import type { Catalog } from '../../catalog/catalog.js';
import type { LiveTemplates } from '../liveTemplates.js';
import { previewData } from './previewData.js';

const pageDir = new URL('./page/', import.meta.url);
const phoneDir = new URL('../../channels/simulator/phone/', import.meta.url);
const ASSETS: Record<string, { dir: URL; type: string }> = {
  'preview.html': { dir: pageDir, type: 'text/html; charset=utf-8' },
  'preview.js': { dir: pageDir, type: 'text/javascript; charset=utf-8' },
  'preview.css': { dir: pageDir, type: 'text/css; charset=utf-8' },
  // The phone page's own drawing of messages and its look.
  'cardView.js': { dir: phoneDir, type: 'text/javascript; charset=utf-8' },
  'phone.css': { dir: phoneDir, type: 'text/css; charset=utf-8' },
};
const KEEPALIVE_MS = 15_000;
export function previewRouter(live: LiveTemplates, catalog: Catalog, access: (ctx: Context, next: Next) => Promise<void>): Router {
  const router = new Router({ prefix: '/staff/preview' });

  router.use(access, async (ctx, next) => {
    ctx.set('cache-control', 'no-store');
    await next();
  });

  router.get('/', (ctx) => ctx.redirect('/staff/preview/preview.html'));

  router.get('/api/templates', (ctx) => {
    ctx.body = previewData(live, catalog);
  });

  router.get('/api/events', (ctx) => {
    const stream = new PassThrough();
    const onChange = (): void => void stream.write('data: change\n\n');
    const keepalive = setInterval(() => stream.write(': keepalive\n\n'), KEEPALIVE_MS);
    live.on('change', onChange);
    ctx.req.once('close', () => {
      clearInterval(keepalive);
      live.off('change', onChange);
      stream.end();
    });
    ctx.type = 'text/event-stream';
    ctx.body = stream;
    stream.write(': connected\n\n');
  });

  router.get('/:asset', async (ctx) => {
    const asset = ASSETS[ctx.params.asset ?? ''];
    if (!asset) return;
    ctx.type = asset.type;
    ctx.body = await readFile(new URL(ctx.params.asset as string, asset.dir));
  });

  return router;
}
