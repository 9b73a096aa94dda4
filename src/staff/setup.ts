/**
 * The staff side assembled: accounts, audit log, the throttle of failed keys, and the staff API
 * (each endpoint declared once; the OpenAPI document at /admin/openapi.json comes from the same
 * declarations).
 */
import type { Router } from '@koa/router';
import type { Connection } from 'mongoose';
import { z } from 'zod';
import { StaffAccounts } from './accounts.js';
import { endpoint, StaffApi, type Endpoint } from './api.js';
import { AuditLog } from './audit.js';
import { bearerAuthentication, type KeyCheck } from './authenticate.js';
import { accountEndpoints } from './endpoints/accounts.js';
import { auditEndpoints } from './endpoints/audit.js';
import type { StaffServices } from './services.js';
import { FailureThrottle } from './throttle.js';

export const OPENAPI_INFO = { title: '南山政务服务 5G 消息助手 — staff API', version: '1' };

export interface StaffSetup {
  services: StaffServices;
  keyCheck: KeyCheck;
  api: StaffApi;
  router: Router;
}

export async function setUpStaff(options: { connection: Connection; adminToken?: string; endpoints?: (services: StaffServices) => Endpoint[] }): Promise<StaffSetup> {
  const accounts = new StaffAccounts(options.connection);
  const audit = new AuditLog(options.connection);
  await Promise.all([accounts.init(), audit.init()]);
  const services: StaffServices = { accounts, audit };
  const keyCheck: KeyCheck = { accounts, throttle: new FailureThrottle(), ...(options.adminToken ? { adminToken: options.adminToken } : {}) };
  const api = new StaffApi().add(...accountEndpoints(services), ...auditEndpoints(services), ...(options.endpoints?.(services) ?? []));
  api.add(
    endpoint({
      method: 'get',
      path: '/admin/openapi.json',
      summary: 'Describe the staff API (OpenAPI 3.1)',
      tag: 'staff',
      roles: ['agent', 'content', 'campaign'],
      response: z.record(z.string(), z.unknown()),
      handle: () => api.document(OPENAPI_INFO) as unknown as Record<string, unknown>,
    }),
  );
  return { services, keyCheck, api, router: api.router(bearerAuthentication(keyCheck)) };
}
