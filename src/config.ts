/**
 * All configuration comes from environment variables (and an optional `.env` file), parsed and
 * validated once at start. A bad value stops the process with a message naming the variable.
 * Every variable here is documented in README.md.
 */
import { readFileSync } from 'node:fs';
import { config as loadDotenv } from 'dotenv';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { DEMO_MAAP_PLATFORMS, platformsDocumentSchema, substituteEnvironment, type PlatformConfig } from './channels/platformConfig.js';
import { QUIET_HOURS } from './ratings/quietHours.js';

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

/** Secrets whose README defaults must never reach production. */
const DEFAULT_SECRETS = {
  CALLBACK_TOKEN: 'dev-callback-token',
  APP_KEY: 'dev-app-key',
  POSTBACK_SECRET: 'dev-postback-secret',
} as const;

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

  // Several platforms (any carrier family): a YAML/JSON document in a file or in the variable.
  PLATFORMS_FILE: optionalString,
  PLATFORMS: optionalString,

  // One carrier platform (CT/CU family), when PLATFORMS_FILE and PLATFORMS are unset
  CHATBOT_ID: z
    .string()
    .regex(/^sip:[^@\s]+@[^@\s]+$/, 'must be a chatbot URI like sip:106500@botplatform.rcs.domain.cn')
    .default('sip:106500@botplatform.rcs.domain.cn'),
  PLATFORM_URL: optionalString.pipe(z.url().optional()),
  PLATFORM_API_VERSION: z.string().regex(/^v\d+$/, 'must look like v1').default('v1'),
  APP_ID: z.string().min(1).default('dev-app-id'),
  APP_KEY: z.string().min(1).default(DEFAULT_SECRETS.APP_KEY),
  CALLBACK_TOKEN: z.string().min(1).default(DEFAULT_SECRETS.CALLBACK_TOKEN),
  // Messages per second of each chatbot (platform), over every bot process together; a
  // platform's own sendRate replaces it for that platform. Campaign traffic leaves REPLY_RESERVE
  // of it to replies.
  SEND_RATE: positiveNumber.default(50),
  REPLY_RESERVE: z.coerce.number().min(0).max(0.9).default(0.1),
  // How long a process owns an inbound message / an outbox message it is working on before
  // another process may take it over (recovery time after a crashed process).
  INBOUND_LEASE_SECONDS: positiveNumber.default(30),
  TURN_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(96),
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
  POSTBACK_SECRET: z.string().min(1).default(DEFAULT_SECRETS.POSTBACK_SECRET),
  // The district's time zone: dates and times shown to citizens, whatever the server's zone.
  TIMEZONE: z
    .string()
    .default('Asia/Shanghai')
    .refine((zone) => isTimeZone(zone), { message: 'must be an IANA time zone such as Asia/Shanghai' }),

  // 好差评 (ratings): the bot asks for a rating on its own once a conversation with a service in
  // it has been quiet this long (before its session is forgotten), never within the quiet hours
  // (HH:MM-HH:MM in TIMEZONE; empty: none); a negative rating's rectification is due within
  // this many working days.
  RATING_IDLE_MINUTES: positiveNumber.default(10),
  RATING_QUIET_HOURS: z
    .string()
    .default('21:00-08:00')
    .refine((value) => value === '' || QUIET_HOURS.test(value), { message: 'must look like 21:00-08:00 (or be empty for none)' }),
  RECTIFICATION_WORKING_DAYS: z.coerce.number().int().min(1).max(60).default(5),

  // The staff side: ADMIN_TOKEN is a bootstrap admin key (accounts: npm run staff); /metrics
  // asks for METRICS_TOKEN as a bearer token when set, and moves to its own loopback port with
  // METRICS_PORT.
  ADMIN_TOKEN: optionalString,
  METRICS_TOKEN: optionalString,
  METRICS_PORT: z.union([z.literal('').transform(() => undefined), port]).optional(),

  // Campaigns: a second person approves one of more recipients than this; a contact number gets
  // at most CAMPAIGN_FREQUENCY_CAP campaign messages in CAMPAIGN_FREQUENCY_DAYS days.
  CAMPAIGN_APPROVAL_THRESHOLD: z.coerce.number().int().min(0).default(5000),
  CAMPAIGN_FREQUENCY_CAP: z.coerce.number().int().min(1).max(100).default(2),
  CAMPAIGN_FREQUENCY_DAYS: positiveNumber.default(7),
  // Development: an empty directory is seeded with this many synthetic enterprises (0: none).
  DEMO_DIRECTORY_SIZE: z.coerce.number().int().min(0).max(100_000).default(300),

  // The store
  MONGODB_URI: optionalString.pipe(
    z
      .string()
      .regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://')
      .optional(),
  ),
  DATA_DIR: z.string().min(1).default('./data'),

  // Understanding. Unset: src/nlu/decide.ts DEFAULT_THRESHOLDS, chosen on cross-validation over
  // intents/ as src/nlu/README.md says.
  NLU_ACCEPT_THRESHOLD: probability.optional(),
  NLU_AMBIGUOUS_MARGIN: probability.optional(),
  NLU_REJECT_THRESHOLD: probability.optional(),
  NLU_LEAD_THRESHOLD: probability.optional(),
});

export type Config = z.infer<typeof schema> & {
  /** The platforms this bot serves, from PLATFORMS_FILE / PLATFORMS or the single-platform variables. */
  platforms: PlatformConfig[];
};

/** The variables that describe the one platform when no platforms document is given. */
const SINGLE_PLATFORM_VARIABLES = ['CHATBOT_ID', 'PLATFORM_URL', 'PLATFORM_API_VERSION', 'APP_ID', 'APP_KEY', 'CALLBACK_TOKEN'] as const;

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
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const name = issue.path.join('.') || '(environment)';
      const value = typeof issue.path[0] === 'string' ? env[issue.path[0]] : undefined;
      const shown = value === undefined ? 'unset' : JSON.stringify(value);
      return `${name} (${shown}): ${issue.message}`;
    });
    throw new ConfigError(problems);
  }
  const problems: string[] = [];
  const platforms = resolvePlatforms(result.data, env, problems);
  const config = { ...result.data, platforms };
  if (config.RATING_IDLE_MINUTES >= config.SESSION_IDLE_MINUTES) {
    problems.push(`RATING_IDLE_MINUTES (${JSON.stringify(env.RATING_IDLE_MINUTES ?? 'unset')}): must be less than SESSION_IDLE_MINUTES (${config.SESSION_IDLE_MINUTES}), so the question comes while the conversation is remembered`);
  }
  if (config.NODE_ENV === 'production') problems.push(...productionProblems(config, env));
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

const OPTIONAL_SECRETS = ['ADMIN_TOKEN', 'METRICS_TOKEN'] as const;
const MIN_SECRET_LENGTH = 16;

/**
 * Production refuses to start unsafe: a documented default or a short secret would let anyone
 * sign callbacks, forge buttons or use the staff API; a platform without its server address
 * would be played by the local simulator instead of the carrier.
 */
function productionProblems(config: Config, env: NodeJS.ProcessEnv): string[] {
  const problems: string[] = [];
  const check = (name: string, value: string | undefined, documented?: string): void => {
    if (value === undefined) return;
    const shown = env[name] === undefined ? 'unset' : JSON.stringify(env[name]);
    if (value === documented) problems.push(`${name} (${shown}): is the documented development default: set a secret of your own in production`);
    else if ([...value].length < MIN_SECRET_LENGTH) problems.push(`${name} (${shown}): must be at least ${MIN_SECRET_LENGTH} characters in production`);
  };
  check('POSTBACK_SECRET', config.POSTBACK_SECRET, DEFAULT_SECRETS.POSTBACK_SECRET);
  for (const name of OPTIONAL_SECRETS) check(name, config[name]);
  const single = !config.PLATFORMS_FILE && !config.PLATFORMS;
  // From the single-platform variables only the CT/CU platform counts (the demo chatbots beside it are the simulator's).
  for (const platform of single ? config.platforms.filter((each) => each.id === 'ctcu') : config.platforms) {
    // One platform from the single-platform variables is named by them; a document's by its id.
    const named = (variable: string, field: string): string => (single ? variable : `platform ${platform.id} ${field}`);
    if (platform.family === 'ctcu') {
      check(named('CALLBACK_TOKEN', 'callbackToken'), platform.callbackToken, DEFAULT_SECRETS.CALLBACK_TOKEN);
      check(named('APP_KEY', 'appKey'), platform.appKey, DEFAULT_SECRETS.APP_KEY);
    } else {
      check(named('', 'password'), platform.password);
    }
    if (platform.serverRoot === undefined) {
      const name = named('PLATFORM_URL', 'serverRoot');
      problems.push(`${name} (unset): must be set in production (the local simulator is for development)`);
    }
  }
  return problems;
}

/**
 * The platforms document when one is given (the single-platform variables must then be unset:
 * two sources would silently disagree), else the one CT/CU platform of the single-platform
 * variables — with, when the simulator plays it (PLATFORM_URL unset), two China Mobile demo
 * chatbots beside it, so that `npm start` shows both carrier families.
 */
function resolvePlatforms(config: z.infer<typeof schema>, env: NodeJS.ProcessEnv, problems: string[]): PlatformConfig[] {
  const source = config.PLATFORMS_FILE ? `PLATFORMS_FILE (${config.PLATFORMS_FILE})` : config.PLATFORMS ? 'PLATFORMS' : undefined;
  if (source === undefined) {
    const ctcu: PlatformConfig = {
      id: 'ctcu',
      family: 'ctcu',
      chatbotId: config.CHATBOT_ID,
      ...(config.PLATFORM_URL ? { serverRoot: config.PLATFORM_URL } : {}),
      apiVersion: config.PLATFORM_API_VERSION,
      appId: config.APP_ID,
      appKey: config.APP_KEY,
      callbackToken: config.CALLBACK_TOKEN,
    };
    return config.PLATFORM_URL ? [ctcu] : [ctcu, ...DEMO_MAAP_PLATFORMS];
  }
  if (config.PLATFORMS_FILE && config.PLATFORMS) problems.push('PLATFORMS_FILE and PLATFORMS: set only one of them');
  for (const name of SINGLE_PLATFORM_VARIABLES) {
    if (env[name]) problems.push(`${name} (${JSON.stringify(env[name])}): not used with ${source.split(' ')[0]}; give it in the platforms document`);
  }
  let document: unknown;
  try {
    const text = config.PLATFORMS_FILE ? readFileSync(config.PLATFORMS_FILE, 'utf8') : (config.PLATFORMS as string);
    document = substituteEnvironment(parseYaml(text), env, problems);
  } catch (error) {
    problems.push(`${source}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    return [];
  }
  const parsed = platformsDocumentSchema.safeParse(document);
  if (parsed.success) return parsed.data.platforms;
  for (const issue of parsed.error.issues.slice(0, 10)) {
    const path = issue.path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`)).join('').replace(/^\./, '');
    problems.push(`${source} ${path || '(document)'}: ${issue.message}`);
  }
  return [];
}

/** Reads `.env` (if present, without overriding the real environment), then parses. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  loadDotenv({ quiet: true });
  return parseConfig(env);
}
