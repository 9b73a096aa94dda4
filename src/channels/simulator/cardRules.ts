/**
 * The platform's check of rich card, carousel and suggestion JSON: first the GSMA RCC.07 shape
 * (a wrong shape is errorCode 20002), then the carrier limits, each answered with the code this
 * simulator uses for it (the spec groups them as 40016–40021 without saying which is which):
 *   40016 too many suggestions         40017 suggestion text empty or over 25 characters
 *   40018 postback data over 2048      40019 text part empty or over 2000 characters
 *   40020 card field length            40021 carousel with fewer than 2 or more than 12 cards
 */
import { z } from 'zod';

export class PlatformRejection extends Error {
  constructor(
    readonly errorCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'PlatformRejection';
  }
}

const LIMITS = {
  textPart: 2000,
  title: 200,
  description: 2000,
  contentDescription: 200,
  suggestionsPerCard: 4,
  chips: 11,
  displayText: 25,
  postbackData: 2048,
  carouselMin: 2,
  carouselMax: 12,
  menuTopEntries: 3,
  menuSubEntries: 5,
  calendarTitle: 100,
  calendarDescription: 500,
  composeText: 100,
} as const;

const postback = z.object({ data: z.string() });
const location = z.union([
  z.object({ latitude: z.number().min(-90).max(90), longitude: z.number().min(-180).max(180), label: z.string().optional() }),
  z.object({ query: z.string().min(1) }),
]);
const empty = z.object({}).strict();

const actionObjects = {
  urlAction: z.object({
    openUrl: z.object({
      url: z.url(),
      application: z.enum(['browser', 'webview']).optional(),
      viewMode: z.enum(['full', 'half', 'tall']).optional(),
    }),
  }),
  dialerAction: z.union([
    z.object({ dialPhoneNumber: z.object({ phoneNumber: z.string().min(1) }) }),
    z.object({ dialEnrichedCall: z.object({ phoneNumber: z.string().min(1) }) }),
    z.object({ dialVideoCall: z.object({ phoneNumber: z.string().min(1) }) }),
  ]),
  mapAction: z.union([
    z.object({ showLocation: z.object({ location, fallbackUrl: z.url().optional() }) }),
    z.object({ requestLocationPush: empty }),
  ]),
  calendarAction: z.object({
    createCalendarEvent: z.object({
      startTime: z.iso.datetime({ offset: true }),
      endTime: z.iso.datetime({ offset: true }),
      title: z.string(),
      description: z.string().optional(),
      fallbackUrl: z.url().optional(),
    }),
  }),
  composeAction: z.union([
    z.object({ composeTextMessage: z.object({ phoneNumber: z.string().min(1), text: z.string() }) }),
    z.object({ composeRecordingMessage: z.object({ phoneNumber: z.string().min(1), type: z.enum(['AUDIO', 'VIDEO']) }) }),
  ]),
  deviceAction: z.object({ requestDeviceSpecifics: empty }),
  settingsAction: z.union([
    z.object({ disableAnonymization: empty }),
    z.object({ enableDisplayedNotifications: empty }),
  ]),
};
const actionNames = Object.keys(actionObjects) as (keyof typeof actionObjects)[];

const action = z
  .object({
    displayText: z.string(),
    postback: postback.optional(),
    urlAction: actionObjects.urlAction.optional(),
    dialerAction: actionObjects.dialerAction.optional(),
    mapAction: actionObjects.mapAction.optional(),
    calendarAction: actionObjects.calendarAction.optional(),
    composeAction: actionObjects.composeAction.optional(),
    deviceAction: actionObjects.deviceAction.optional(),
    settingsAction: actionObjects.settingsAction.optional(),
  })
  .strict()
  .refine((value) => actionNames.filter((name) => name in value).length === 1, {
    message: 'an action needs exactly one action object',
  });

const suggestion = z.union([
  z.object({ reply: z.object({ displayText: z.string(), postback }) }).strict(),
  z.object({ action }).strict(),
]);

const fontStyle = z.array(z.enum(['italics', 'bold', 'underline'])).optional();
const media = z
  .object({
    mediaUrl: z.url(),
    mediaContentType: z.string().min(1),
    mediaFileSize: z.number().int().nonnegative(),
    height: z.enum(['SHORT_HEIGHT', 'MEDIUM_HEIGHT', 'TALL_HEIGHT']),
    thumbnailUrl: z.url().optional(),
    thumbnailContentType: z.string().min(1).optional(),
    thumbnailFileSize: z.number().int().nonnegative().optional(),
    contentDescription: z.string().optional(),
  })
  .refine((value) => value.thumbnailUrl === undefined || (value.thumbnailContentType !== undefined && value.thumbnailFileSize !== undefined), {
    message: 'thumbnailUrl requires thumbnailContentType and thumbnailFileSize',
  });

const cardContent = z
  .object({
    media: media.optional(),
    title: z.string().optional(),
    description: z.string().optional(),
    suggestions: z.array(suggestion).optional(),
  })
  .refine((value) => value.media !== undefined || value.title !== undefined || value.description !== undefined, {
    message: 'card content needs media, title or description',
  });

const standaloneCard = z.object({
  generalPurposeCard: z.object({
    layout: z
      .object({
        cardOrientation: z.enum(['VERTICAL', 'HORIZONTAL']),
        imageAlignment: z.enum(['LEFT', 'RIGHT']).optional(),
        titleFontStyle: fontStyle,
        descriptionFontStyle: fontStyle,
        style: z.url().optional(),
      })
      .refine((value) => value.cardOrientation === 'VERTICAL' || value.imageAlignment !== undefined, {
        message: 'a HORIZONTAL card needs imageAlignment',
      }),
    content: cardContent,
  }),
});

const carousel = z.object({
  generalPurposeCardCarousel: z.object({
    layout: z.object({ cardWidth: z.enum(['SMALL_WIDTH', 'MEDIUM_WIDTH']), style: z.url().optional() }),
    content: z.array(cardContent),
  }),
});

export const botMessageSchema = z.object({ message: z.union([standaloneCard, carousel]) });
export const chipListSchema = z.object({ suggestions: z.array(suggestion) });

type ParsedSuggestion = z.infer<typeof suggestion>;
type ParsedCardContent = z.infer<typeof cardContent>;
type ParsedAction = z.infer<typeof action>;

/** Parses with a schema; a shape error becomes 20002 naming where it is. */
export function parseShape<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue ? issue.path.join('.') : '';
  throw new PlatformRejection(20002, `${where}${path ? `.${path}` : ''}: ${issue?.message ?? 'invalid'}`);
}

function requireLength(value: string | undefined, min: number, max: number, errorCode: number, where: string): void {
  if (value === undefined) return;
  const length = [...value].length;
  if (length < min || length > max) {
    throw new PlatformRejection(errorCode, `${where} must be ${min}–${max} characters (got ${length})`);
  }
}

export function checkTextPart(text: string, where: string): void {
  requireLength(text, 1, LIMITS.textPart, 40019, where);
}

export function checkSuggestions(suggestions: ParsedSuggestion[], max: number, where: string): void {
  if (suggestions.length > max) {
    throw new PlatformRejection(40016, `${where}: at most ${max} suggestions (got ${suggestions.length})`);
  }
  suggestions.forEach((item, index) => {
    const at = `${where}[${index}]`;
    const body = 'reply' in item ? item.reply : item.action;
    requireLength(body.displayText, 1, LIMITS.displayText, 40017, `${at}.displayText`);
    if (body.postback && body.postback.data.length > LIMITS.postbackData) {
      throw new PlatformRejection(40018, `${at}.postback.data exceeds ${LIMITS.postbackData} characters`);
    }
    if ('action' in item) checkActionTexts(item.action, at);
  });
}

function checkActionTexts(action: ParsedAction, at: string): void {
  const calendar = action.calendarAction?.createCalendarEvent;
  requireLength(calendar?.title, 1, LIMITS.calendarTitle, 40020, `${at}.calendarAction.title`);
  requireLength(calendar?.description, 0, LIMITS.calendarDescription, 40020, `${at}.calendarAction.description`);
  const compose = action.composeAction;
  if (compose && 'composeTextMessage' in compose) {
    requireLength(compose.composeTextMessage.text, 0, LIMITS.composeText, 40020, `${at}.composeAction.text`);
  }
}

function checkCardContent(content: ParsedCardContent, where: string): void {
  requireLength(content.title, 1, LIMITS.title, 40020, `${where}.title`);
  requireLength(content.description, 1, LIMITS.description, 40020, `${where}.description`);
  requireLength(content.media?.contentDescription, 1, LIMITS.contentDescription, 40020, `${where}.media.contentDescription`);
  checkSuggestions(content.suggestions ?? [], LIMITS.suggestionsPerCard, `${where}.suggestions`);
}

/** Checks a botmessage document: shape, then limits. */
export function checkBotMessage(value: unknown, where: string): void {
  const { message } = parseShape(botMessageSchema, value, where);
  if ('generalPurposeCard' in message) {
    checkCardContent(message.generalPurposeCard.content, `${where}.card`);
    return;
  }
  const cards = message.generalPurposeCardCarousel.content;
  if (cards.length < LIMITS.carouselMin || cards.length > LIMITS.carouselMax) {
    throw new PlatformRejection(40021, `${where}: a carousel holds ${LIMITS.carouselMin}–${LIMITS.carouselMax} cards (got ${cards.length})`);
  }
  cards.forEach((card, index) => checkCardContent(card, `${where}.carousel[${index}]`));
}

/** Checks a chip list document. */
export function checkChipList(value: unknown, where: string): void {
  const { suggestions } = parseShape(chipListSchema, value, where);
  checkSuggestions(suggestions, LIMITS.chips, `${where}.suggestions`);
}

const menuEntry = z.union([suggestion, z.object({ menu: z.object({ displayText: z.string(), entries: z.array(suggestion) }).strict() }).strict()]);
export const chatbotMenuSchema = z.object({ menu: z.object({ entries: z.array(menuEntry) }).strict() }).strict();
export type ChatbotMenuDocument = z.infer<typeof chatbotMenuSchema>;

/** Checks a fixed menu: at most 3 entries at the top, at most 5 in a sub-menu, two levels. */
export function checkMenu(value: unknown, where: string): ChatbotMenuDocument {
  const menu = parseShape(chatbotMenuSchema, value, where);
  const entries = menu.menu.entries;
  if (entries.length < 1 || entries.length > LIMITS.menuTopEntries) {
    throw new PlatformRejection(40016, `${where}: the menu holds 1–${LIMITS.menuTopEntries} entries (got ${entries.length})`);
  }
  entries.forEach((entry, index) => {
    if (!('menu' in entry)) return checkSuggestions([entry], 1, `${where}.entries[${index}]`);
    requireLength(entry.menu.displayText, 1, LIMITS.displayText, 40017, `${where}.entries[${index}].displayText`);
    if (entry.menu.entries.length < 1) throw new PlatformRejection(40016, `${where}.entries[${index}]: an empty sub-menu`);
    checkSuggestions(entry.menu.entries, LIMITS.menuSubEntries, `${where}.entries[${index}].entries`);
  });
  return menu;
}
