/**
 * JSON Schema (checked with ajv) of what the bot may send: a GSMA botmessage (standalone card or
 * carousel), a chip list, plain text, and the fallback SMS, with the carrier limits as schema
 * bounds. `cards:lint` checks every template's samples against it, and every rendered message is
 * checked again before it is queued. The platform simulator checks independently with its own
 * rules: two implementations, so that a mistake in one is caught by the other.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { LIMITS } from './limits.js';

const nonEmpty = (max: number) => ({ type: 'string', minLength: 1, maxLength: max });
const dateTime = { type: 'string', format: 'date-time' };
const httpUrl = { type: 'string', format: 'uri', pattern: '^https?://' };
const empty = { type: 'object', additionalProperties: false };

const postback = {
  type: 'object',
  required: ['data'],
  additionalProperties: false,
  properties: { data: nonEmpty(LIMITS.postbackData) },
};

const location = {
  type: 'object',
  if: { required: ['query'] },
  then: { required: ['query'], additionalProperties: false, properties: { query: nonEmpty(200) } },
  else: {
    required: ['latitude', 'longitude'],
    additionalProperties: false,
    properties: { latitude: { type: 'number', minimum: -90, maximum: 90 }, longitude: { type: 'number', minimum: -180, maximum: 180 }, label: nonEmpty(200) },
  },
};

/** Exactly one action object (besides displayText and postback) per action suggestion. */
const actionObjects = {
  urlAction: {
    type: 'object',
    required: ['openUrl'],
    additionalProperties: false,
    properties: {
      openUrl: {
        type: 'object',
        required: ['url'],
        additionalProperties: false,
        properties: { url: httpUrl, application: { enum: ['browser', 'webview'] }, viewMode: { enum: ['full', 'half', 'tall'] } },
      },
    },
  },
  dialerAction: {
    type: 'object',
    minProperties: 1,
    maxProperties: 1,
    additionalProperties: false,
    properties: Object.fromEntries(
      ['dialPhoneNumber', 'dialEnrichedCall', 'dialVideoCall'].map((name) => [
        name,
        { type: 'object', required: ['phoneNumber'], additionalProperties: false, properties: { phoneNumber: { type: 'string', pattern: '^\\+?[0-9][0-9-]{2,30}$' } } },
      ]),
    ),
  },
  mapAction: {
    type: 'object',
    minProperties: 1,
    maxProperties: 1,
    additionalProperties: false,
    properties: {
      showLocation: { type: 'object', required: ['location'], additionalProperties: false, properties: { location, fallbackUrl: httpUrl } },
      requestLocationPush: empty,
    },
  },
  calendarAction: {
    type: 'object',
    required: ['createCalendarEvent'],
    additionalProperties: false,
    properties: {
      createCalendarEvent: {
        type: 'object',
        required: ['startTime', 'endTime', 'title'],
        additionalProperties: false,
        properties: { startTime: dateTime, endTime: dateTime, title: nonEmpty(LIMITS.calendarTitle), description: nonEmpty(LIMITS.calendarDescription), fallbackUrl: httpUrl },
      },
    },
  },
  composeAction: {
    type: 'object',
    required: ['composeTextMessage'],
    additionalProperties: false,
    properties: {
      composeTextMessage: {
        type: 'object',
        required: ['phoneNumber', 'text'],
        additionalProperties: false,
        properties: { phoneNumber: nonEmpty(32), text: nonEmpty(LIMITS.composeText) },
      },
    },
  },
  deviceAction: { type: 'object', required: ['requestDeviceSpecifics'], additionalProperties: false, properties: { requestDeviceSpecifics: empty } },
};

const actionNames = Object.keys(actionObjects);

const suggestion = {
  type: 'object',
  minProperties: 1,
  maxProperties: 1,
  additionalProperties: false,
  properties: {
    reply: { type: 'object', required: ['displayText', 'postback'], additionalProperties: false, properties: { displayText: nonEmpty(LIMITS.displayText), postback } },
    action: {
      type: 'object',
      required: ['displayText'],
      additionalProperties: false,
      maxProperties: 3,
      description: `needs exactly one action object (${actionNames.join(', ')})`,
      anyOf: actionNames.map((name) => ({ required: [name] })),
      properties: { displayText: nonEmpty(LIMITS.displayText), postback, ...actionObjects },
    },
  },
};

const media = {
  type: 'object',
  required: ['mediaUrl', 'mediaContentType', 'mediaFileSize', 'height'],
  additionalProperties: false,
  dependencies: { thumbnailUrl: ['thumbnailContentType', 'thumbnailFileSize'] },
  properties: {
    mediaUrl: httpUrl,
    mediaContentType: { type: 'string', pattern: '^(image|video|audio)/' },
    mediaFileSize: { type: 'integer', minimum: 1 },
    height: { enum: ['SHORT_HEIGHT', 'MEDIUM_HEIGHT', 'TALL_HEIGHT'] },
    thumbnailUrl: httpUrl,
    thumbnailContentType: { type: 'string', pattern: '^image/' },
    thumbnailFileSize: { type: 'integer', minimum: 1, maximum: 200 * 1024 },
    contentDescription: nonEmpty(LIMITS.contentDescription),
  },
};

const cardContent = {
  type: 'object',
  additionalProperties: false,
  description: 'needs at least one of media, title, description',
  anyOf: [{ required: ['media'] }, { required: ['title'] }, { required: ['description'] }],
  properties: {
    media,
    title: nonEmpty(LIMITS.title),
    description: nonEmpty(LIMITS.description),
    suggestions: { type: 'array', maxItems: LIMITS.suggestionsPerCard, items: suggestion },
  },
};

const fontStyle = { type: 'array', uniqueItems: true, items: { enum: ['italics', 'bold', 'underline'] } };

const cardLayout = {
  type: 'object',
  required: ['cardOrientation'],
  additionalProperties: false,
  properties: {
    cardOrientation: { enum: ['VERTICAL', 'HORIZONTAL'] },
    imageAlignment: { enum: ['LEFT', 'RIGHT'] },
    titleFontStyle: fontStyle,
    descriptionFontStyle: fontStyle,
    style: httpUrl,
  },
  if: { properties: { cardOrientation: { const: 'HORIZONTAL' } } },
  then: { required: ['imageAlignment'] },
};

export const botMessageSchema = {
  type: 'object',
  required: ['message'],
  additionalProperties: false,
  properties: {
    message: {
      type: 'object',
      minProperties: 1,
      maxProperties: 1,
      additionalProperties: false,
      properties: {
        generalPurposeCard: { type: 'object', required: ['layout', 'content'], additionalProperties: false, properties: { layout: cardLayout, content: cardContent } },
        generalPurposeCardCarousel: {
          type: 'object',
          required: ['layout', 'content'],
          additionalProperties: false,
          properties: {
            layout: { type: 'object', required: ['cardWidth'], additionalProperties: false, properties: { cardWidth: { enum: ['SMALL_WIDTH', 'MEDIUM_WIDTH'] }, style: httpUrl } },
            content: { type: 'array', minItems: LIMITS.carouselMin, maxItems: LIMITS.carouselMax, items: cardContent },
          },
        },
      },
    },
  },
};

/** One outbound message as the renderer produces it (the internal OutboundBody plus extras). */
export const renderedMessageSchema = {
  type: 'object',
  required: ['body'],
  additionalProperties: false,
  properties: {
    body: {
      type: 'object',
      required: ['type'],
      if: { properties: { type: { const: 'text' } } },
      then: { required: ['type', 'text'], additionalProperties: false, properties: { type: { const: 'text' }, text: nonEmpty(LIMITS.textPart) } },
      else: { required: ['type', 'card'], additionalProperties: false, properties: { type: { const: 'card' }, card: botMessageSchema } },
    },
    suggestions: { type: 'array', minItems: 1, maxItems: LIMITS.chips, items: suggestion },
    smsFallback: nonEmpty(LIMITS.sms),
  },
};

const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true, verbose: true });
addFormats.default(ajv, ['date-time', 'uri']);

export const validateRenderedMessage: ValidateFunction = ajv.compile(renderedMessageSchema);

export interface SchemaProblem {
  /** JSON pointer into the rendered message. */
  pointer: string;
  message: string;
}

/**
 * Schema errors in words: `/body/card/message/.../title: must NOT have more than 200 characters`.
 * The branches of an `anyOf` are not listed one by one; the `anyOf` says what it needs.
 */
export function describeSchemaErrors(errors: readonly ErrorObject[] | null | undefined): SchemaProblem[] {
  return (errors ?? [])
    .filter((error) => !error.schemaPath.includes('/anyOf/') && error.keyword !== 'if')
    .map((error) => {
      const described = error.keyword === 'anyOf' ? (error.parentSchema as { description?: string } | undefined)?.description : undefined;
      return { pointer: error.instancePath, message: `${error.instancePath || '(message)'}: ${described ?? error.message ?? 'is invalid'}${paramsNote(error)}` };
    });
}

function paramsNote(error: ErrorObject): string {
  if (error.keyword === 'additionalProperties') return ` (${String((error.params as { additionalProperty?: string }).additionalProperty)})`;
  if (error.keyword === 'enum') return ` (${JSON.stringify((error.params as { allowedValues?: unknown }).allowedValues)})`;
  return '';
}
