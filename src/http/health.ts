/**
 * `/healthz` (the process answers), `/readyz` (every readiness check passes), `/metrics`
 * (Prometheus; with a token, only to callers that present it as a bearer token).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { Router } from '@koa/router';
import { register } from 'prom-client';
import { UnauthenticatedError } from './errors.js';
import type { Readiness } from './readiness.js';

export interface MetricsAccess {
  /** Whether this server answers /metrics (not when METRICS_PORT gives it a server of its own). */
  serve: boolean;
  /** METRICS_TOKEN, when set. */
  token?: string;
}

function sameSecret(a: string, b: string): boolean {
  const digest = (value: string): Buffer => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(a), digest(b));
}

/** `/metrics` alone, for the server of its own on METRICS_PORT. */
export function metricsRoute(token?: string): Router {
  const router = new Router();
  router.get('/metrics', async (ctx) => {
    if (token !== undefined) {
      const given = /^Bearer\s+(\S+)$/i.exec(ctx.get('authorization'))?.[1];
      if (given === undefined || !sameSecret(given, token)) throw new UnauthenticatedError('/metrics needs METRICS_TOKEN as a bearer token');
    }
    ctx.type = register.contentType;
    ctx.body = await register.metrics();
  });
  return router;
}

export function healthRoutes(readiness: Readiness, metrics: MetricsAccess = { serve: true }): Router {
  const router = new Router();
  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', async (ctx) => {
    const report = await readiness.report();
    ctx.status = report.ready ? 200 : 503;
    ctx.body = report;
  });
  if (metrics.serve) router.use(metricsRoute(metrics.token).routes());
  return router;
}
