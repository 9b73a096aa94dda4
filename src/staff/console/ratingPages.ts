/**
 * The console's 好差评 pages: the dashboard at /staff/ratings (the statistics of a range of days
 * as figures, charts and a table, and the rectification queue) and a task's page with the forms
 * of its next step — verify, reply to the citizen, close. Agents and content staff (and admins);
 * every form carries the CSRF token, every change is audited, as over the API.
 */
import type { Router } from '@koa/router';
import type { Context } from 'koa';
import type { Catalog } from '../../catalog/catalog.js';
import { InvalidRequestError } from '../../http/errors.js';
import { dayOf, LOCAL_DAY, type LocalDay } from '../../ratings/days.js';
import { RATING_LEVELS } from '../../ratings/levels.js';
import { RectificationError } from '../../ratings/rectificationDesk.js';
import type { Ratings } from '../../ratings/setup.js';
import { STATS_GROUPS, type StatsGroupBy } from '../../ratings/stats.js';
import { dayRange, statsCsv, statsCsvName, statsView, type RatingViews } from '../endpoints/ratings.js';
import { rectificationView } from '../endpoints/rectifications.js';
import type { StaffRole } from '../roles.js';
import { audited, type StaffServices } from '../services.js';
import type { PageData, PageTools } from './pages.js';

const ROLES: StaffRole[] = ['agent', 'content'];
/** The groups the table and the bar chart show, most services first. */
const GROUPS_SHOWN = 20;
const TEXT_MAX = { finding: 2000, action: 1000, reply: 1000, note: 2000 } as const;

export interface RatingPageKit extends PageTools {
  ratings: Ratings;
  catalog: Catalog;
  services: StaffServices;
  timeZone: string;
}

export function maskUser(userId: string): string {
  return userId.replace(/^(tel:\+86\d{3})\d{4}(\d{4})$/, '$1****$2');
}

function groupByOf(value: unknown): StatsGroupBy {
  return (STATS_GROUPS as readonly unknown[]).includes(value) && value !== 'day' ? (value as StatsGroupBy) : 'item';
}

export function addRatingPages(router: Router, kit: RatingPageKit): void {
  const { ratings, catalog, services, html, base, role, form, fields } = kit;
  const views: RatingViews = { catalog, levelName: (level) => ratings.stores.levels.name(level) };
  const today = (): LocalDay => dayOf(ratings.desk.now(), kit.timeZone);
  const day = (value: unknown): LocalDay | undefined => (typeof value === 'string' && LOCAL_DAY.test(value) ? value : undefined);
  /** The range and grouping asked for in the query; a range that cannot be is the last 30 days, said so. */
  const asked = (ctx: Context): { from: LocalDay; to: LocalDay; groupBy: StatsGroupBy; problem?: string } => {
    const groupBy = groupByOf(ctx.query.groupBy);
    const from = day(ctx.query.from);
    const to = day(ctx.query.to);
    try {
      return { ...dayRange({ ...(from ? { from } : {}), ...(to ? { to } : {}) }, today()), groupBy };
    } catch (error) {
      if (!(error instanceof InvalidRequestError)) throw error;
      return { ...dayRange({}, today()), groupBy, problem: 'range' };
    }
  };

  router.get('/ratings', role(ROLES), async (ctx) => {
    const { from, to, groupBy, problem } = asked(ctx);
    const now = ratings.desk.now();
    const [daily, levels, grouped, tasks] = await Promise.all([
      ratings.statistics.compute({ from, to, groupBy: 'day' }),
      ratings.statistics.compute({ from, to, groupBy: 'level' }),
      ratings.statistics.compute({ from, to, groupBy }),
      ratings.desk.list({ states: ['open', 'verified'] }),
    ]);
    const groups = statsView(views, grouped).groups.slice(0, GROUPS_SHOWN);
    const queue = tasks.map((task) => ({ ...rectificationView(task, ratings, catalog, now), user: maskUser(task.userId) }));
    html(ctx, 'ratings', {
      ...base(ctx),
      scripts: ['chart.js', 'ratings.js'],
      ...(problem ? { problem } : {}),
      range: { from, to, groupBy },
      totals: { ...daily.totals, negative: daily.totals.levels[1] + daily.totals.levels[2], overdue: queue.filter((task) => task.overdue).length },
      groups: groups.map((group) => ({ ...group, negative: group.levels[1] + group.levels[2] })),
      tasks: queue,
      chart: {
        days: daily.groups.map((group) => ({ day: group.key, services: group.services, rated: group.rated, ratingRate: group.ratingRate, goodRate: group.goodRate })),
        levels: RATING_LEVELS.map((level) => ({ level, name: views.levelName(level), count: levels.totals.levels[level] })),
        groups: groups.slice(0, 10).map((group) => ({ label: group.label ?? '', services: group.services, rated: group.rated })),
      },
    });
  });

  router.get('/ratings.csv', role(ROLES), async (ctx) => {
    const { from, to, groupBy } = asked(ctx);
    const stats = statsView(views, await ratings.statistics.compute({ from, to, groupBy }));
    ctx.type = 'text/csv; charset=utf-8';
    ctx.set('content-disposition', `attachment; filename="${statsCsvName(stats)}"`);
    ctx.body = statsCsv(stats);
  });

  router.get('/ratings/tasks/:id', role(ROLES), async (ctx) => {
    const task = await ratings.stores.rectifications.get(ctx.params.id ?? '');
    if (!task) return html(ctx, 'message', { ...base(ctx), problem: 'task-missing' }, 404);
    const rated = await ratings.stores.ledger.services.find({ invitation: task._id }).sort({ servedAt: 1 }).lean().exec();
    html(ctx, 'rectification', {
      ...base(ctx),
      task: { ...rectificationView(task, ratings, catalog, ratings.desk.now()), user: maskUser(task.userId) },
      services: rated.map((service) => ({ kind: service.kind, itemName: service.item ? (catalog.item(service.item)?.name ?? service.item) : '', servedAt: service.servedAt })),
    });
  });

  /** A step of a task from a form: its refusals become the message page, with their status. */
  const step = (name: 'verify' | 'reply' | 'close', run: (ctx: Context, id: string, form: URLSearchParams) => Promise<unknown> | undefined) =>
    router.post(`/ratings/tasks/:id/${name}`, role(ROLES), form, async (ctx) => {
      const id = ctx.params.id ?? '';
      try {
        if ((await run(ctx, id, fields(ctx))) === undefined) return ctx.redirect(`/staff/ratings/tasks/${id}`);
        const staff = base(ctx).staff;
        if (staff) await audited(services, ctx, staff, `rectification.${name}`, id);
        ctx.redirect(`/staff/ratings/tasks/${id}`);
      } catch (error) {
        if (!(error instanceof RectificationError)) throw error;
        html(ctx, 'message', { ...base(ctx), problem: `task-${error.reason}` }, error.reason === 'missing' ? 404 : 409);
      }
    });
  const text = (form: URLSearchParams, field: keyof typeof TEXT_MAX): string => (form.get(field) ?? '').trim().slice(0, TEXT_MAX[field]);
  const who = (ctx: Context) => base(ctx).staff as NonNullable<PageData['staff']>;

  step('verify', (ctx, id, values) => {
    const finding = text(values, 'finding');
    return finding === '' ? undefined : ratings.desk.verify(id, who(ctx), finding);
  });
  step('reply', (ctx, id, values) => {
    const action = text(values, 'action');
    const reply = text(values, 'reply');
    return action === '' || reply === '' ? undefined : ratings.desk.reply(id, who(ctx), { action, reply });
  });
  step('close', (ctx, id, values) => ratings.desk.close(id, who(ctx), text(values, 'note') || undefined));
}
