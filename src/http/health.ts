/** `/healthz` (the process answers), `/readyz` (every readiness check passes), `/metrics`. */
import { Router } from '@koa/router';
import { register } from 'prom-client';
import type { Readiness } from './readiness.js';

export function healthRoutes(readiness: Readiness): Router {
  const router = new Router();
  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', async (ctx) => {
    const report = await readiness.report();
    ctx.status = report.ready ? 200 : 503;
    ctx.body = report;
  });
  router.get('/metrics', async (ctx) => {
    ctx.type = register.contentType;
    ctx.body = await register.metrics();
  });
  return router;
}
