/**
 * XML in and out through fast-xml-parser, never by string concatenation. Parsing refuses any
 * DOCTYPE or entity declaration before the parser sees the text: carriers have no use for them,
 * and refusing them outright rules out entity expansion (billion laughs) and external entities
 * (file or network reads) whatever the parser would do. Predefined and numeric character
 * references are decoded; namespace prefixes are dropped (the OMA field names are what matter).
 */
import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';
import { InvalidRequestError } from '../../http/errors.js';

/** An element as parsed: text, attributes under `@_name`, CDATA under `#cdata`, children by name (an array when repeated). */
export type XmlValue = string | XmlElement | XmlValue[];
export interface XmlElement {
  [name: string]: XmlValue;
}

const parser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  // Strings stay strings: a phone number or an id must not become a number.
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  cdataPropName: '#cdata',
  processEntities: true,
  htmlEntities: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  cdataPropName: '#cdata',
  processEntities: true,
  suppressEmptyNode: false,
  format: false,
});

const DECLARATIONS = /<!\s*(DOCTYPE|ENTITY)/i;

/** Parses an XML document; `where` names it in the reason of an InvalidRequestError. */
export function parseXml(text: string, where = 'body'): XmlElement {
  if (DECLARATIONS.test(text)) throw new InvalidRequestError(`${where}: XML with a DOCTYPE or entity declaration is refused`);
  let parsed: unknown;
  try {
    const valid = XMLValidator.validate(text);
    if (valid !== true) {
      const { msg, line, col } = valid.err;
      throw new InvalidRequestError(`${where}: not well-formed XML: ${msg.slice(0, 120)} (line ${line}, column ${col})`);
    }
    parsed = parser.parse(text);
  } catch (error) {
    if (error instanceof InvalidRequestError) throw error;
    // The parser's own limits (nesting depth) and late findings end up here: still the body's fault.
    throw new InvalidRequestError(`${where}: not well-formed XML: ${error instanceof Error ? error.message.slice(0, 120) : 'unreadable'}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new InvalidRequestError(`${where}: no XML element`);
  return parsed as XmlElement;
}

/** Builds a document with an XML declaration; `{ '#cdata': text }` makes a CDATA section (split where the text holds `]]>`). */
export function buildXml(document: XmlElement): string {
  return builder.build({ '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' }, ...document }) as string;
}

/** The text of an element: its text and CDATA joined (the parser splits them); undefined for a missing one. */
export function xmlText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return xmlText(value[0]);
  if (typeof value === 'object') {
    const element = value as Record<string, unknown>;
    const parts = [element['#text'], element['#cdata']].flat().filter((part): part is string => typeof part === 'string');
    return parts.join('');
  }
  return undefined;
}

/** A repeated element as an array (the parser gives one element as itself). */
export function asArray<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}
