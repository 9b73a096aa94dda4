/**
 * The console's pages: Handlebars HTML templates in pages/ (with HTML escaping — this is HTML, not
 * card JSON), each rendered inside layout.hbs. The wording lives in the templates, a page's title
 * included: its first line is `{{!-- title: … --}}`. A file named `_name.hbs` is a fragment the
 * pages share (`{{> name}}`).
 */
import { readdirSync, readFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import type { Context, Next } from 'koa';
import type { StaffIdentity, StaffRole } from '../roles.js';

const pagesDir = new URL('./pages/', import.meta.url);

export interface PageData {
  staff?: StaffIdentity;
  csrf?: string;
  title?: string;
  [key: string]: unknown;
}

/** What the router lends a group of pages (ratingPages.ts, campaignPages.ts). */
export interface PageTools {
  /** Draws a page inside the layout. */
  html(ctx: Context, page: string, data: PageData, status?: number): void;
  /** The logged-in staff member and the session's CSRF token, for every page. */
  base(ctx: Context): PageData;
  /** Admits these roles (and admins); others get the forbidden page. */
  role(roles: StaffRole[]): (ctx: Context, next: Next) => Promise<void>;
  /** Reads a form post, refusing one without the session's CSRF token. */
  form(ctx: Context, next: Next): Promise<void>;
  /** The fields of the form `form` read. */
  fields(ctx: Context): URLSearchParams;
}

export class ConsolePages {
  private readonly env = Handlebars.create();
  private readonly pages = new Map<string, { render: Handlebars.TemplateDelegate; title?: string }>();
  private readonly layout: Handlebars.TemplateDelegate;

  constructor(timeZone: string) {
    const format = new Intl.DateTimeFormat('zh-CN', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    this.env.registerHelper('dateTime', (value: unknown) => (value instanceof Date || typeof value === 'string' ? format.format(new Date(value)) : ''));
    this.env.registerHelper('minutes', (seconds: unknown) => Math.round(Number(seconds) / 60));
    this.env.registerHelper('eq', (a: unknown, b: unknown) => a === b);
    // A rate (0…1) as a percentage with one decimal; a dash when there is none (nothing to divide).
    this.env.registerHelper('percent', (value: unknown) => (typeof value === 'number' ? `${(value * 100).toFixed(1)}%` : '—'));
    this.env.registerHelper('or', (...values: unknown[]) => values.slice(0, -1).some(Boolean));
    // JSON for a <script type="application/json"> element: `<` escaped so no text can close it.
    this.env.registerHelper('json', (value: unknown) => new Handlebars.SafeString(JSON.stringify(value ?? null).replace(/</g, '\\u003c')));
    for (const file of readdirSync(pagesDir).filter((name) => name.endsWith('.hbs'))) {
      const source = readFileSync(new URL(file, pagesDir), 'utf8');
      if (file.startsWith('_')) {
        this.env.registerPartial(file.slice(1, -4), source.trimEnd());
        continue;
      }
      const title = /^\{\{!-- title: (.+?) --\}\}/.exec(source)?.[1];
      this.pages.set(file.slice(0, -4), { render: this.env.compile(source, { strict: false }), ...(title ? { title } : {}) });
    }
    const layout = this.pages.get('layout');
    if (!layout) throw new Error('console layout.hbs is missing');
    this.layout = layout.render;
  }

  render(page: string, data: PageData): string {
    const template = this.pages.get(page);
    if (!template) throw new Error(`no console page ${page}`);
    return this.layout({ title: template.title, ...data, body: new Handlebars.SafeString(template.render(data)) });
  }
}
