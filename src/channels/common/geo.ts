/**
 * RFC 5870 `geo:` URIs as the platform pushes a shared location:
 * `geo:22.5385,114.0572;crs=gcj02;u=10;rcs-l=<url-encoded label>`.
 */
import type { InboundContent } from '../model.js';

type LocationContent = Extract<InboundContent, { type: 'location' }>;

const GEO = /^geo:(-?\d{1,3}(?:\.\d+)?),(-?\d{1,3}(?:\.\d+)?)(?:,-?\d+(?:\.\d+)?)?((?:;[^;]*)*)$/i;

/** The location in a geo: URI, or undefined when the text is not a well-formed one. */
export function parseGeoUri(text: string): LocationContent | undefined {
  const match = GEO.exec(text.trim());
  if (!match) return undefined;
  const latitude = Number(match[1]);
  const longitude = Number(match[2]);
  if (Math.abs(latitude) > 90 || Math.abs(longitude) > 180) return undefined;
  const location: LocationContent = { type: 'location', latitude, longitude };
  for (const parameter of (match[3] ?? '').split(';').filter(Boolean)) {
    const [name = '', rawValue = ''] = parameter.split('=', 2);
    const value = safeDecode(rawValue);
    switch (name.toLowerCase()) {
      case 'crs':
        location.crs = value;
        break;
      case 'u':
        if (Number.isFinite(Number(value)) && value !== '') location.uncertaintyMeters = Number(value);
        break;
      case 'rcs-l':
        if (value !== '') location.label = value;
        break;
    }
  }
  return location;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}
