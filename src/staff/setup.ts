/**
 * The staff side assembled: accounts, audit log, the throttle of failed keys, and the staff API
 * (each endpoint declared once; the OpenAPI document at /admin/openapi.json comes from the same
 * declarations).
 */
import type { Router } from '@koa/router';
import type { Connection } from 'mongoose';
import { z } from 'zod';
import { StaffAccounts } from './accounts.js';
import { endpoint, StaffApi } from './api.js';
import { AuditLog } from './audit.js';
import { bearerAuthentication, type KeyCheck } from './authenticate.js';
import { accountEndpoints } from './endpoints/accounts.js';
import { auditEndpoints } from './endpoints/audit.js';
import type { StaffServices } from './services.js';
import type { Catalog } from '../catalog/catalog.js';
import type { HandoffDesk } from '../handoff/desk.js';
import { handoffEndpoints } from './endpoints/handoffs.js';
import { enterpriseEndpoints } from './endpoints/enterprises.js';
import { campaignEndpoints } from './endpoints/campaigns.js';
import type { CampaignsSetup } from '../campaigns/setup.js';
import { ratingEndpoints } from './endpoints/ratings.js';
import { rectificationEndpoints } from './endpoints/rectifications.js';
import type { Ratings } from '../ratings/setup.js';
import { appointmentEndpoints, type HallDesk } from './endpoints/appointments.js';
import { ConsolePages } from './console/pages.js';
import { staffConsole as staffConsole_, type StaffConsole } from './console/router.js';
import { ConsoleSessions } from './console/sessions.js';
import { FailureThrottle } from './throttle.js';

export const OPENAPI_INFO = { title: '南山政务服务 5G 消息助手 — staff API', version: '1' };

export interface StaffSetup {
  services: StaffServices;
  keyCheck: KeyCheck;
  api: StaffApi;
  /** The staff API, the console's pages. */
  routers: Router[];
  console: StaffConsole;
}

export interface StaffOptions {
  connection: Connection;
  adminToken?: string;
  timeZone: string;
  /** Cookies only over HTTPS (production). */
  secureCookies: boolean;
  /** Present when the bot runs the conversation: agents' handoffs and the catalog. */
  desk?: HandoffDesk;
  catalog?: Catalog;
  /** Present when the bot runs the conversation: the directory, policies and campaigns. */
  campaigns?: CampaignsSetup;
  /** 好差评: ratings, statistics and rectification tasks. */
  ratings?: Ratings;
  /** Present when the bot runs the conversation: the halls' appointments and queues, for clerks. */
  hallDesk?: HallDesk;
}

export async function setUpStaff(options: StaffOptions): Promise<StaffSetup> {
  const accounts = new StaffAccounts(options.connection);
  const audit = new AuditLog(options.connection);
  const sessions = new ConsoleSessions(options.connection);
  await Promise.all([accounts.init(), audit.init(), sessions.init()]);
  const services: StaffServices = { accounts, audit, sessions, halls: options.hallDesk?.appointments.calendar.hallIds() ?? [] };
  const keyCheck: KeyCheck = { accounts, throttle: new FailureThrottle(), ...(options.adminToken ? { adminToken: options.adminToken } : {}) };
  const desk = options.desk;
  const ratings = options.ratings;
  const catalog = options.catalog;
  const campaigns = options.campaigns;
  const api = new StaffApi().add(
    ...accountEndpoints(services),
    ...auditEndpoints(services),
    ...(desk ? handoffEndpoints(services, desk) : []),
    ...(options.hallDesk ? appointmentEndpoints(services, options.hallDesk) : []),
    ...(ratings && catalog ? [...ratingEndpoints(ratings, catalog, options.timeZone), ...rectificationEndpoints(services, ratings, catalog)] : []),
    ...(campaigns ? [...enterpriseEndpoints(services, campaigns.conversation.directory, campaigns.conversation.vocabulary), ...campaignEndpoints(services, campaigns)] : []),
  );
  api.add(
    endpoint({
      method: 'get',
      path: '/admin/openapi.json',
      summary: 'Describe the staff API (OpenAPI 3.1)',
      tag: 'staff',
      roles: ['agent', 'content', 'campaign', 'clerk'],
      response: z.record(z.string(), z.unknown()),
      handle: () => api.document(OPENAPI_INFO) as unknown as Record<string, unknown>,
    }),
  );
  const staffConsole = staffConsole_({
    services,
    keyCheck,
    sessions,
    pages: new ConsolePages(options.timeZone),
    ...(desk ? { desk } : {}),
    ...(options.catalog ? { catalog: options.catalog } : {}),
    ...(campaigns ? { campaigns } : {}),
    ...(ratings ? { ratings } : {}),
    timeZone: options.timeZone,
    secureCookies: options.secureCookies,
  });
  return { services, keyCheck, api, routers: [api.router(bearerAuthentication(keyCheck)), ...staffConsole.routers], console: staffConsole };
}
