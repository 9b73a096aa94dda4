/**
 * `$jsonSchema` as MongoDB has it (JSON Schema draft 4 with `bsonType`, without `$ref`, `default`,
 * `definitions`, `format` or `id`): the query operator, which collection validators use too.
 */
import { bsonType, compareValues } from './bsonOrder.js';
import { isPlainObject, type Doc } from './documents.js';
import { badValue } from './errors.js';

type Schema = Doc;

const BSON_TYPE_NUMBERS: Record<string, number[]> = {
  double: [1], string: [2], object: [3], array: [4], binData: [5], undefined: [6], objectId: [7], bool: [8], date: [9], null: [10],
  regex: [11], javascript: [13], int: [16], timestamp: [17], long: [18], decimal: [19], minKey: [-1], maxKey: [127],
  number: [1, 16, 18, 19],
};
/** JSON Schema's `type` names: `number` is every numeric type; `integer` is refused by MongoDB. */
const JSON_TYPE_NUMBERS: Record<string, number[]> = {
  object: [3], array: [4], number: [1, 16, 18, 19], boolean: [8], string: [2], null: [10],
};

function hasType(value: unknown, wanted: unknown, names: Record<string, number[]>): boolean {
  const type = bsonType(value);
  return (Array.isArray(wanted) ? wanted : [wanted]).some((name) => {
    const numbers = names[String(name)];
    if (!numbers) throw badValue(`Unknown type name alias: ${String(name)}`);
    return type !== undefined && numbers.includes(type);
  });
}

const asNumber = (value: unknown): number => Number(value);

function checkNumber(value: unknown, schema: Schema): boolean {
  if (![1, 16, 18, 19].includes(bsonType(value) ?? 0)) return true;
  const n = asNumber(value);
  if (schema.minimum !== undefined && (schema.exclusiveMinimum === true ? n <= asNumber(schema.minimum) : n < asNumber(schema.minimum))) return false;
  if (schema.maximum !== undefined && (schema.exclusiveMaximum === true ? n >= asNumber(schema.maximum) : n > asNumber(schema.maximum))) return false;
  return schema.multipleOf === undefined || n % asNumber(schema.multipleOf) === 0;
}

function checkString(value: unknown, schema: Schema): boolean {
  if (typeof value !== 'string') return true;
  const length = [...value].length;
  if (schema.minLength !== undefined && length < asNumber(schema.minLength)) return false;
  if (schema.maxLength !== undefined && length > asNumber(schema.maxLength)) return false;
  return schema.pattern === undefined || new RegExp(String(schema.pattern instanceof RegExp ? schema.pattern.source : schema.pattern), 'u').test(value);
}

function checkArray(value: unknown, schema: Schema): boolean {
  if (!Array.isArray(value)) return true;
  if (schema.minItems !== undefined && value.length < asNumber(schema.minItems)) return false;
  if (schema.maxItems !== undefined && value.length > asNumber(schema.maxItems)) return false;
  if (schema.uniqueItems === true && value.some((item, i) => value.findIndex((other) => compareValues(item, other) === 0) !== i)) return false;
  const items = schema.items;
  if (isPlainObject(items)) return value.every((item) => matchesSchema(item, items));
  if (Array.isArray(items)) {
    const extra = value.slice(items.length);
    const tupleOk = items.every((itemSchema, i) => i >= value.length || matchesSchema(value[i], itemSchema as Schema));
    const additional = schema.additionalItems;
    return tupleOk && (additional === undefined || additional === true || (additional === false ? extra.length === 0 : extra.every((item) => matchesSchema(item, additional as Schema))));
  }
  return true;
}

function checkObject(value: unknown, schema: Schema): boolean {
  if (!isPlainObject(value)) return true;
  const keys = Object.keys(value);
  if (schema.minProperties !== undefined && keys.length < asNumber(schema.minProperties)) return false;
  if (schema.maxProperties !== undefined && keys.length > asNumber(schema.maxProperties)) return false;
  if (Array.isArray(schema.required) && !schema.required.every((field) => Object.hasOwn(value, String(field)))) return false;
  const properties = isPlainObject(schema.properties) ? schema.properties : {};
  const patterns = isPlainObject(schema.patternProperties) ? Object.entries(schema.patternProperties).map(([pattern, sub]) => [new RegExp(pattern, 'u'), sub as Schema] as const) : [];
  for (const key of keys) {
    const field = value[key];
    let covered = false;
    if (Object.hasOwn(properties, key)) {
      covered = true;
      if (!matchesSchema(field, properties[key] as Schema)) return false;
    }
    for (const [pattern, sub] of patterns) {
      if (!pattern.test(key)) continue;
      covered = true;
      if (!matchesSchema(field, sub)) return false;
    }
    const additional = schema.additionalProperties;
    if (!covered && additional === false) return false;
    if (!covered && isPlainObject(additional) && !matchesSchema(field, additional)) return false;
  }
  return checkDependencies(value, schema);
}

function checkDependencies(value: Doc, schema: Schema): boolean {
  if (!isPlainObject(schema.dependencies)) return true;
  return Object.entries(schema.dependencies).every(([field, dependency]) => {
    if (!Object.hasOwn(value, field)) return true;
    if (Array.isArray(dependency)) return dependency.every((other) => Object.hasOwn(value, String(other)));
    return matchesSchema(value, dependency as Schema);
  });
}

function checkCombinators(value: unknown, schema: Schema): boolean {
  const list = (name: string): Schema[] => (Array.isArray(schema[name]) ? (schema[name] as Schema[]) : []);
  if (!list('allOf').every((sub) => matchesSchema(value, sub))) return false;
  if (schema.anyOf !== undefined && !list('anyOf').some((sub) => matchesSchema(value, sub))) return false;
  if (schema.oneOf !== undefined && list('oneOf').filter((sub) => matchesSchema(value, sub)).length !== 1) return false;
  return !isPlainObject(schema.not) || !matchesSchema(value, schema.not);
}

/** Whether `value` satisfies `schema`. */
export function matchesSchema(value: unknown, schema: Schema): boolean {
  if (!isPlainObject(schema)) throw badValue('$jsonSchema must be an object');
  if (schema.type === 'integer') throw badValue("$jsonSchema keyword 'type' does not support 'integer'; use bsonType");
  if (schema.bsonType !== undefined && !hasType(value, schema.bsonType, BSON_TYPE_NUMBERS)) return false;
  if (schema.type !== undefined && !hasType(value, schema.type, JSON_TYPE_NUMBERS)) return false;
  if (Array.isArray(schema.enum) && !schema.enum.some((item) => compareValues(item, value) === 0)) return false;
  return checkNumber(value, schema) && checkString(value, schema) && checkArray(value, schema) && checkObject(value, schema) && checkCombinators(value, schema);
}

/** The `$jsonSchema` query operator (a top-level one: the whole document is tested). */
export const $jsonSchema = (_path: string, schema: unknown) => {
  if (!isPlainObject(schema)) throw badValue('$jsonSchema must be an object');
  return (doc: Doc): boolean => matchesSchema(doc, schema);
};
