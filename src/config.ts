/**
 * All configuration comes from environment variables (and an optional `.env` file), parsed and
 * validated once at start. A bad value stops the process with a message naming the variable.
 * Every variable here is documented in README.md.
 */
import { config as loadDotenv } from 'dotenv';
import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);
const positiveNumber = z.coerce.number().positive();
const optionalString = z
  .string()
  .optional()
  .transform((value) => (value === '' ? undefined : value));
const probability = z.coerce.number().min(0).max(1);
function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
const retentionDays = z.coerce.number().min(1 / 24, 'must be at least 1/24 (one hour)');

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

  // HTTP server
  PORT: port.default(3000),
  HOST: z.string().default('0.0.0.0'),
  NOTIFY_PATH: z
    .string()
    .default('')
    .refine((value) => value === '' || (value.startsWith('/') && !value.endsWith('/')), {
      message: 'must be empty or a path starting with "/" and not ending with "/"',
    }),

  // The carrier platform (CT/CU family)
  CHATBOT_ID: z
    .string()
    .regex(/^sip:[^@\s]+@[^@\s]+$/, 'must be a chatbot URI like sip:106500@botplatform.rcs.domain.cn')
    .default('sip:106500@botplatform.rcs.domain.cn'),
  PLATFORM_URL: optionalString.pipe(z.url().optional()),
  PLATFORM_API_VERSION: z.string().regex(/^v\d+$/, 'must look like v1').default('v1'),
  APP_ID: z.string().min(1).default('dev-app-id'),
  APP_KEY: z.string().min(1).default('dev-app-key'),
  CALLBACK_TOKEN: z.string().min(1).default('dev-callback-token'),
  SEND_RATE: positiveNumber.default(50),
  // How long a process owns an inbound message / an outbox message it is working on before
  // another process may take it over (recovery time after a crashed process).
  INBOUND_LEASE_SECONDS: positiveNumber.default(30),
  OUTBOX_LEASE_SECONDS: positiveNumber.default(60),
  // How long finished records are kept: a processed inbound message (it recognises the
  // platform's retries of it and the replay of its signature, so at least an hour), and a sent
  // or failed outbox message (its delivery reports and history).
  INBOUND_RETENTION_DAYS: retentionDays.default(7),
  OUTBOX_RETENTION_DAYS: retentionDays.default(30),

  // The local platform simulator (PLATFORM_URL unset): a stable port, so the phone page's
  // address survives restarts.
  SIMULATOR_PORT: port.default(3001),

  // The conversation
  SESSION_IDLE_MINUTES: positiveNumber.default(30),
  // Signs the data of every button the bot sends (a tapped button's data comes back from the
  // phone and is checked against it). Changing it makes the buttons of older cards stale.
  POSTBACK_SECRET: z.string().min(1).default('dev-postback-secret'),
  // The district's time zone: dates and times shown to citizens, whatever the server's zone.
  TIMEZONE: z
    .string()
    .default('Asia/Shanghai')
    .refine((zone) => isTimeZone(zone), { message: 'must be an IANA time zone such as Asia/Shanghai' }),

  // Staff endpoints (/admin/…): the bearer token they require. Unset: they answer 401 to everyone.
  ADMIN_TOKEN: optionalString.pipe(z.string().min(16, 'must be at least 16 characters').optional()),

  // The store
  MONGODB_URI: optionalString.pipe(
    z
      .string()
      .regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://')
      .optional(),
  ),
  DATA_DIR: z.string().min(1).default('./data'),

  // Understanding (thresholds chosen on the dev set; see README). Unset: accept 0.6, ambiguous
  // margin 0.1, reject 0.25 (src/nlu/decide.ts DEFAULT_THRESHOLDS, chosen in src/nlu/README.md).
  NLU_ACCEPT_THRESHOLD: probability.optional(),
  NLU_AMBIGUOUS_MARGIN: probability.optional(),
  NLU_REJECT_THRESHOLD: probability.optional(),
});

export type Config = z.infer<typeof schema>;

/** The *_DAYS settings in milliseconds. */
export const DAY_MS = 24 * 3_600_000;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses configuration from the given environment; throws ConfigError naming each bad variable. */
export function parseConfig(env: NodeJS.ProcessEnv): Config {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join('.') || '(environment)';
    const value = typeof issue.path[0] === 'string' ? env[issue.path[0]] : undefined;
    const shown = value === undefined ? 'unset' : JSON.stringify(value);
    return `${name} (${shown}): ${issue.message}`;
  });
  throw new ConfigError(problems);
}

/** Reads `.env` (if present, without overriding the real environment), then parses. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  loadDotenv({ quiet: true });
  return parseConfig(env);
}
