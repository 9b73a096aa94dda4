/**
 * The staff console at /staff: log in with a staff key, then the pages of one's role — agents the
 * handoff queue and conversations, agents and content staff 好差评 (ratingPages.ts), content
 * staff the card preview, campaign staff 政策推送 (campaignPages.ts), admins accounts and the
 * audit log. Security headers on every page (helmet); the session cookie is HttpOnly, SameSite=Strict,
 * Secure in production; every form post carries the session's CSRF token. Pages call the same
 * services as the staff API, and every change is audited.
 */
import { Router } from '@koa/router';
import type { Context, Next } from 'koa';
import helmet from 'koa-helmet';
import { readFile } from 'node:fs/promises';
import getRawBody from 'raw-body';
import type { Catalog } from '../../catalog/catalog.js';
import { RequestError } from '../../http/errors.js';
import { DeskError, type HandoffDesk } from '../../handoff/desk.js';
import { AccountExists } from '../accounts.js';
import { addressOf, checkKey, type KeyCheck } from '../authenticate.js';
import { allows, hallProblem, STAFF_ROLES, type StaffRole } from '../roles.js';
import { audited, type StaffServices } from '../services.js';
import { view as handoffView } from '../endpoints/handoffs.js';
import type { ConsolePages, PageData, PageTools } from './pages.js';
import type { ActiveSession, ConsoleSessions } from './sessions.js';
import { addRatingPages, maskUser } from './ratingPages.js';
import type { Ratings } from '../../ratings/setup.js';
import type { CampaignsSetup } from '../../campaigns/setup.js';
import { addCampaignPages } from './campaignPages.js';

export const SESSION_COOKIE = 'rcs_staff';
const FORM_LIMIT = '64kb';

const assetsDir = new URL('./assets/', import.meta.url);
const phoneDir = new URL('../../channels/simulator/phone/', import.meta.url);
const chartDir = new URL('../../../node_modules/chart.js/dist/', import.meta.url);
const ASSETS: Record<string, { dir: URL; type: string; file?: string }> = {
  'console.css': { dir: assetsDir, type: 'text/css; charset=utf-8' },
  'handoff.js': { dir: assetsDir, type: 'text/javascript; charset=utf-8' },
  'ratings.js': { dir: assetsDir, type: 'text/javascript; charset=utf-8' },
  'campaign.js': { dir: assetsDir, type: 'text/javascript; charset=utf-8' },
  'cardView.js': { dir: phoneDir, type: 'text/javascript; charset=utf-8' },
  'phone.css': { dir: phoneDir, type: 'text/css; charset=utf-8' },
  'chart.js': { dir: chartDir, type: 'text/javascript; charset=utf-8', file: 'chart.umd.min.js' },
};

export interface ConsoleOptions {
  services: StaffServices;
  keyCheck: KeyCheck;
  sessions: ConsoleSessions;
  pages: ConsolePages;
  /** Absent when the bot runs without the conversation (channel tests). */
  desk?: HandoffDesk;
  catalog?: Catalog;
  /** 好差评's dashboard and rectification tasks (with the conversation). */
  ratings?: Ratings;
  /** 政策推送: campaigns (with the conversation). */
  campaigns?: CampaignsSetup;
  timeZone: string;
  secureCookies: boolean;
}

export interface StaffConsole {
  /** The login page and the assets; every other page (behind the login). */
  routers: Router[];
  /** A middleware admitting only logged-in staff of these roles (admins too), for pages mounted elsewhere. */
  guard(roles: StaffRole[]): (ctx: Context, next: Next) => Promise<void>;
}

interface ConsoleState {
  session: ActiveSession;
  token: string;
}

async function readForm(ctx: Context): Promise<URLSearchParams> {
  const text = await getRawBody(ctx.req, { limit: FORM_LIMIT, encoding: 'utf-8' }).catch(() => {
    throw new RequestError(413, 'form too large');
  });
  return new URLSearchParams(text);
}

function html(ctx: Context, pages: ConsolePages, page: string, data: PageData, status = 200): void {
  ctx.status = status;
  ctx.type = 'text/html; charset=utf-8';
  ctx.set('cache-control', 'no-store');
  ctx.body = pages.render(page, data);
}

export function staffConsole(options: ConsoleOptions): StaffConsole {
  const { services, keyCheck, sessions, pages, desk, catalog } = options;
  const open = new Router({ prefix: '/staff' });
  const router = new Router({ prefix: '/staff' });
  const headers = helmet({
      contentSecurityPolicy: { directives: { defaultSrc: ["'self'"], scriptSrc: ["'self'"], styleSrc: ["'self'"], imgSrc: ["'self'", 'data:', 'https:'], formAction: ["'self'"], frameAncestors: ["'none'"] } },
      strictTransportSecurity: options.secureCookies,
  });
  open.use(headers);
  router.use(headers);

  const state = (ctx: Context): ConsoleState => ctx.state as ConsoleState;
  const base = (ctx: Context): PageData => ({ staff: state(ctx).session.staff, csrf: state(ctx).session.csrf });

  /** Resolves the session, or sends the browser to the login page. */
  const loggedIn = async (ctx: Context, next: Next): Promise<void> => {
    const token = ctx.cookies.get(SESSION_COOKIE);
    const session = token ? await sessions.find(token) : undefined;
    if (!token || !session) return ctx.redirect('/staff/login');
    Object.assign(ctx.state, { session, token } satisfies ConsoleState);
    await next();
  };
  const role = (roles: StaffRole[]) => async (ctx: Context, next: Next): Promise<void> => {
    if (!allows(state(ctx).session.staff.role, roles)) return html(ctx, pages, 'message', { ...base(ctx), problem: 'forbidden' }, 403);
    await next();
  };
  /** A form post must carry the session's CSRF token; its fields are read once, here. */
  const form = async (ctx: Context, next: Next): Promise<void> => {
    const fields = await readForm(ctx);
    if (fields.get('_csrf') !== state(ctx).session.csrf) throw new RequestError(403, 'the form is stale or forged (CSRF token)');
    ctx.state.form = fields;
    await next();
  };
  const fields = (ctx: Context): URLSearchParams => ctx.state.form as URLSearchParams;

  open.get('/assets/:asset', async (ctx) => {
    const asset = ASSETS[ctx.params.asset ?? ''];
    if (!asset) return;
    ctx.type = asset.type;
    ctx.set('cache-control', 'no-cache');
    ctx.body = await readFile(new URL(asset.file ?? (ctx.params.asset as string), asset.dir));
  });

  open.get('/login', (ctx) => html(ctx, pages, 'login', {}));
  open.post('/login', async (ctx) => {
    const key = (await readForm(ctx)).get('key')?.trim() ?? '';
    const staff = key === '' ? undefined : await checkKey(keyCheck, key, addressOf(ctx));
    if (!staff) return html(ctx, pages, 'login', { problem: 'wrong-key' }, 401);
    const token = await sessions.start(staff);
    ctx.cookies.set(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'strict', secure: options.secureCookies, path: '/staff', overwrite: true });
    await services.audit.record({ actor: staff, action: 'console.login', target: staff.name, address: addressOf(ctx) });
    ctx.redirect('/staff');
  });

  router.use(loggedIn);
  router.post('/logout', form, async (ctx) => {
    await sessions.end(state(ctx).token);
    ctx.cookies.set(SESSION_COOKIE, '', { httpOnly: true, sameSite: 'strict', secure: options.secureCookies, path: '/staff', expires: new Date(0) });
    ctx.redirect('/staff/login');
  });
  router.get('/', (ctx) => html(ctx, pages, 'home', base(ctx)));

  addAgentPages(router, { pages, desk, catalog, services, role, form, fields, base, state });
  addAdminPages(router, { pages, services, role, form, fields, base }, catalog);
  const tools: PageTools = { html: (ctx, page, data, status) => html(ctx, pages, page, data, status), base, role, form, fields };
  if (options.ratings && catalog) addRatingPages(router, { ...tools, ratings: options.ratings, catalog, services, timeZone: options.timeZone });
  if (options.campaigns) addCampaignPages(router, { ...tools, campaigns: options.campaigns, services, timeZone: options.timeZone });
  const guard = (roles: StaffRole[]) => async (ctx: Context, next: Next): Promise<void> => loggedIn(ctx, () => role(roles)(ctx, next));
  return { routers: [open, router], guard };
}

interface PageKit {
  pages: ConsolePages;
  services: StaffServices;
  role: (roles: StaffRole[]) => (ctx: Context, next: Next) => Promise<void>;
  form: (ctx: Context, next: Next) => Promise<void>;
  fields: (ctx: Context) => URLSearchParams;
  base: (ctx: Context) => PageData;
}

function addAgentPages(router: Router, kit: PageKit & { desk?: HandoffDesk; catalog?: Catalog; state: (ctx: Context) => ConsoleState }): void {
  const { pages, desk, catalog, services, role, form, fields, base } = kit;
  const itemName = (code?: string): string => (code ? (catalog?.item(code)?.name ?? code) : '');
  const masked = maskUser;
  const deskAction = async (ctx: Context, action: () => Promise<unknown>, done: string): Promise<void> => {
    try {
      await action();
      ctx.redirect(done);
    } catch (error) {
      if (!(error instanceof DeskError)) throw error;
      html(ctx, pages, 'message', { ...base(ctx), problem: error.reason }, error.reason === 'missing' ? 404 : 409);
    }
  };

  router.get('/agents', role(['agent']), async (ctx) => {
    const handoffs = desk ? await desk.list(['waiting', 'active']) : [];
    html(ctx, pages, 'agents', { ...base(ctx), handoffs: handoffs.map((record) => ({ ...handoffView(record), user: masked(record.userId), itemName: itemName(record.item) })) });
  });
  router.get('/agents/:id', role(['agent']), async (ctx) => {
    if (!desk) return;
    const record = await desk.get(ctx.params.id ?? '').catch(() => undefined);
    if (!record) return html(ctx, pages, 'message', { ...base(ctx), problem: 'missing' }, 404);
    const transcript = await desk.transcript(record);
    html(ctx, pages, 'handoff', {
      ...base(ctx),
      phoneStyles: true,
      script: 'handoff.js',
      handoff: { ...handoffView(record), user: masked(record.userId), itemName: itemName(record.item) },
      transcript,
      items: catalog?.items.map((item) => ({ code: item.code, name: item.name })) ?? [],
    });
  });
  router.post('/agents/:id/take', role(['agent']), form, async (ctx) => {
    const id = ctx.params.id ?? '';
    await deskAction(ctx, async () => {
      await desk?.take(id, kit.state(ctx).session.staff);
      await audited(services, ctx, kit.state(ctx).session.staff, 'handoff.take', id);
    }, `/staff/agents/${id}`);
  });
  router.post('/agents/:id/reply', role(['agent']), form, async (ctx) => {
    const id = ctx.params.id ?? '';
    const text = fields(ctx).get('text')?.trim();
    const item = fields(ctx).get('item');
    const content = text ? { text: text.slice(0, 1000) } : item ? { item } : undefined;
    if (!content) return ctx.redirect(`/staff/agents/${id}`);
    await deskAction(ctx, async () => {
      await desk?.reply(id, kit.state(ctx).session.staff, content);
      await audited(services, ctx, kit.state(ctx).session.staff, 'handoff.reply', id, 'item' in content ? { item: content.item } : { characters: content.text.length });
    }, `/staff/agents/${id}`);
  });
  router.post('/agents/:id/close', role(['agent']), form, async (ctx) => {
    const id = ctx.params.id ?? '';
    const summary = fields(ctx).get('summary')?.trim() ?? '';
    if (summary === '') return ctx.redirect(`/staff/agents/${id}`);
    await deskAction(ctx, async () => {
      await desk?.close(id, kit.state(ctx).session.staff, summary.slice(0, 2000));
      await audited(services, ctx, kit.state(ctx).session.staff, 'handoff.close', id);
    }, '/staff/agents');
  });
}

function addAdminPages(router: Router, kit: PageKit, catalog: Catalog | undefined): void {
  const { pages, services, role, form, fields, base } = kit;
  // The halls a clerk can be given, by name.
  const halls = services.halls.map((id) => ({ id, name: catalog?.hall(id)?.name ?? id }));
  const adminPage = async (ctx: Context, extra: PageData = {}): Promise<void> => {
    const [accounts, audit] = await Promise.all([services.accounts.list(), services.audit.find({ limit: 100 })]);
    html(ctx, pages, 'admin', { ...base(ctx), accounts, audit, halls, ...extra });
  };
  router.get('/admin', role([]), (ctx) => adminPage(ctx));
  router.post('/admin/accounts', role([]), form, async (ctx) => {
    const name = fields(ctx).get('name')?.trim() ?? '';
    const chosen = fields(ctx).get('role') ?? '';
    // The form always sends a hall; it counts only for a clerk.
    const hall = chosen === 'clerk' ? fields(ctx).get('hall') || undefined : undefined;
    const staff = base(ctx).staff;
    if (!/^[\p{L}\p{N}._@-]{1,64}$/u.test(name) || !(STAFF_ROLES as readonly string[]).includes(chosen) || !staff) return adminPage(ctx, { problem: 'invalid' });
    if (hallProblem(chosen as StaffRole, hall, services.halls)) return adminPage(ctx, { problem: 'hall' });
    try {
      const created = await services.accounts.create(name, chosen as StaffRole, staff.name, hall);
      await audited(services, ctx, staff, 'staff.create', name, { role: chosen, ...(hall ? { hall } : {}) });
      await adminPage(ctx, { newKey: { name, key: created.key } });
    } catch (error) {
      if (!(error instanceof AccountExists)) throw error;
      await adminPage(ctx, { problem: 'exists', name });
    }
  });
  router.post('/admin/accounts/:name/revoke', role([]), form, async (ctx) => {
    const staff = base(ctx).staff;
    const revoked = await services.accounts.revoke(ctx.params.name ?? '');
    if (revoked) await services.sessions.endAllOf(revoked.id);
    if (revoked && staff) await audited(services, ctx, staff, 'staff.revoke', revoked.name);
    ctx.redirect('/staff/admin');
  });
}
