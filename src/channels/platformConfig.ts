/**
 * The platforms one bot serves: each is one chatbot on one carrier family, with its own
 * credentials and server root. Given as a YAML/JSON document (PLATFORMS_FILE, or PLATFORMS in the
 * environment) or, for one CT/CU chatbot, by the single-platform variables (see config.ts).
 * A platform without `serverRoot` is played by the local simulator. Every field is described in
 * README.md ("Several platforms").
 */
import { BlockList, isIP } from 'node:net';
import { z } from 'zod';
import { PLATFORM_ID_PATTERN } from './identity.js';

const chatbotUri = z.string().regex(/^sip:[^@\s]+@[^@\s]+$/, 'must be a chatbot URI like sip:106500@botplatform.rcs.domain.cn');
const notifyPath = z
  .string()
  .refine((value) => value === '' || (value.startsWith('/') && !value.endsWith('/')), {
    message: 'must be empty or a path starting with "/" and not ending with "/"',
  });
const secret = z.string().min(1);

const common = {
  id: z.string().regex(PLATFORM_ID_PATTERN, 'must be 1–32 of a-z, 0-9 and "-", starting with a letter or digit'),
  chatbotId: chatbotUri,
  /** The carrier's serverRoot; unset: the local simulator plays this platform. */
  serverRoot: z.url().optional(),
  /** Where this platform's callbacks arrive under the bot's address; NOTIFY_PATH when unset. */
  notifyPath: notifyPath.optional(),
  /** Messages per second to this platform (on top of the process-wide SEND_RATE). */
  sendRate: z.number().positive().optional(),
  /** Shown on the simulator's phone page. */
  label: z.string().max(60).optional(),
};

export const ctcuPlatformSchema = z
  .object({
    ...common,
    family: z.literal('ctcu'),
    apiVersion: z.string().regex(/^v\d+$/, 'must look like v1').default('v1'),
    appId: secret,
    appKey: secret,
    callbackToken: secret,
  })
  .strict();

/** An IPv4/IPv6 address or CIDR block. */
const ipOrBlock = z.string().refine((value) => parseIpBlock(value) !== undefined, { message: 'must be an IP address or CIDR block like 10.0.0.0/8' });

export const maapPlatformSchema = z
  .object({
    ...common,
    family: z.literal('maap'),
    /** `xml`: China Mobile CSP gateways; `json`: openchatbot/v2. */
    dialect: z.enum(['xml', 'json']),
    appId: secret,
    password: secret,
    senderName: z.string().max(100).optional(),
    /** XML dialect: which outbound path the gateway serves (interaction: replies; group: broadcast; plain: messaging/v1). */
    sendPath: z.enum(['interaction', 'group', 'plain']).default('interaction'),
    /** Check the credentials on callbacks (the appId/password above). Off only with an IP allow-list. */
    verifyCallbackCredentials: z.boolean().default(true),
    /** Callbacks only from these addresses (the TCP peer; empty: any). */
    callbackAllowedIps: z.array(ipOrBlock).max(100).default([]),
  })
  .strict()
  .refine((platform) => platform.verifyCallbackCredentials || platform.callbackAllowedIps.length > 0, {
    message: 'callbacks must be checked somehow: keep verifyCallbackCredentials or give callbackAllowedIps',
    path: ['verifyCallbackCredentials'],
  });

export const platformSchema = z.union([ctcuPlatformSchema, maapPlatformSchema]);

export type CtcuPlatformConfig = z.infer<typeof ctcuPlatformSchema>;
export type MaapPlatformConfig = z.infer<typeof maapPlatformSchema>;
export type PlatformConfig = CtcuPlatformConfig | MaapPlatformConfig;

export const platformsDocumentSchema = z
  .object({ platforms: z.array(platformSchema).min(1).max(50) })
  .strict()
  .superRefine((document, context) => {
    const seen = new Set<string>();
    const chatbots = new Set<string>();
    document.platforms.forEach((platform, index) => {
      if (seen.has(platform.id)) context.addIssue({ code: 'custom', path: ['platforms', index, 'id'], message: `id "${platform.id}" is used twice` });
      seen.add(platform.id);
      const chatbot = `${platform.family} ${platform.chatbotId}`;
      if (chatbots.has(chatbot)) context.addIssue({ code: 'custom', path: ['platforms', index, 'chatbotId'], message: `two ${platform.family} platforms with chatbot ${platform.chatbotId}` });
      chatbots.add(chatbot);
    });
  });

/** Replaces `${NAME}` in every string with the environment variable NAME (secrets stay out of the file). */
export function substituteEnvironment(value: unknown, env: NodeJS.ProcessEnv, problems: string[]): unknown {
  if (typeof value === 'string') {
    return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => {
      const found = env[name];
      if (found === undefined) problems.push(`\${${name}} is used but the variable is not set`);
      return found ?? '';
    });
  }
  if (Array.isArray(value)) return value.map((item: unknown) => substituteEnvironment(item, env, problems));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, substituteEnvironment(item, env, problems)]));
  }
  return value;
}

/** A BlockList holding one address or CIDR block, or undefined when `value` is neither. */
export function parseIpBlock(value: string): BlockList | undefined {
  const [address = '', prefixText, extra] = value.trim().split('/');
  const family = isIP(address);
  if (family === 0 || extra !== undefined) return undefined;
  const type = family === 4 ? 'ipv4' : 'ipv6';
  const list = new BlockList();
  if (prefixText === undefined) {
    list.addAddress(address, type);
    return list;
  }
  const prefix = Number(prefixText);
  if (!/^\d{1,3}$/.test(prefixText) || prefix > (family === 4 ? 32 : 128)) return undefined;
  list.addSubnet(address, prefix, type);
  return list;
}

/** The demo China Mobile chatbots the simulator plays beside the CT/CU one when nothing is configured. */
export const DEMO_MAAP_PLATFORMS: MaapPlatformConfig[] = [
  {
    id: 'cmcc-xml',
    family: 'maap',
    dialect: 'xml',
    chatbotId: 'sip:125990001@botplatform.rcs.chinamobile.com',
    appId: 'dev-maap-xml-app',
    password: 'dev-maap-xml-password',
    sendPath: 'interaction',
    verifyCallbackCredentials: true,
    callbackAllowedIps: [],
  },
  {
    id: 'cmcc-json',
    family: 'maap',
    dialect: 'json',
    chatbotId: 'sip:125990002@botplatform.rcs.chinamobile.com',
    appId: 'dev-maap-json-app',
    password: 'dev-maap-json-password',
    sendPath: 'interaction',
    verifyCallbackCredentials: true,
    callbackAllowedIps: [],
  },
];
