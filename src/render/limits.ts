/**
 * The carrier limits every rendered message must keep (CT/CU industry access spec; GSMA RCC.07
 * where the spec is silent). Counted in characters (code points), as the platforms count them.
 */
export const LIMITS = {
  textPart: 2000,
  title: 200,
  description: 2000,
  contentDescription: 200,
  suggestionsPerCard: 4,
  chips: 11,
  displayText: 25,
  postbackData: 2048,
  /** The carriers allow 12; GSMA platforms elsewhere 10 — keep to 10 to be safe everywhere. */
  carouselMax: 10,
  carouselMin: 2,
  calendarTitle: 100,
  calendarDescription: 500,
  composeText: 100,
  /** A fallback SMS longer than this is split into many messages: keep it to a few. */
  sms: 500,
  /** The fixed menu: entries at the top level, entries in a sub-menu, levels. */
  menuTopEntries: 3,
  menuSubEntries: 5,
} as const;
