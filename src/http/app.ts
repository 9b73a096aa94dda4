/**
 * The Koa application: the error path, health and metrics, and the carrier webhook routes.
 * Composition only; every route lives with its concept.
 */
import Koa from 'koa';
import type { Router } from '@koa/router';
import type { Logger } from '../log.js';
import { errorMiddleware } from './errorMiddleware.js';
import { healthRoutes, type MetricsAccess } from './health.js';
import type { Readiness } from './readiness.js';

export interface AppOptions {
  log: Logger;
  readiness: Readiness;
  /** Channel routers (the CT/CU webhook today; another carrier family later), the staff API and pages. */
  routers: Router[];
  metrics?: MetricsAccess;
}

export function createApp(options: AppOptions): Koa {
  const app = new Koa();
  // Koa logs errors that escape middleware itself; ours never do, except client socket errors.
  app.silent = true;
  app.on('error', (error: unknown) => options.log.debug({ err: error }, 'connection error'));
  app.use(errorMiddleware(options.log.child({ module: 'http' })));
  const health = healthRoutes(options.readiness, options.metrics);
  app.use(health.routes());
  for (const router of options.routers) {
    app.use(router.routes());
    app.use(router.allowedMethods());
  }
  return app;
}
