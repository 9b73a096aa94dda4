/** What the classifier can answer, as the conversation layer and the command-line tools see it. */

/** The conversational intents, exactly as named by their files in intents/conversational/. */
export const INTENT_NAMES = [
  'greeting',
  'thanks',
  'goodbye',
  'help',
  'human_agent',
  'appointment',
  'my_appointments',
  'cancel_appointment',
  'progress_query',
  'policy_query',
  'unsubscribe',
  'subscribe',
  'hall_info',
  'feedback',
] as const;
export type IntentName = (typeof INTENT_NAMES)[number];

/** What a question about an item can ask, exactly as named by the files in intents/aspects/. */
export const ASPECT_NAMES = ['materials', 'conditions', 'steps', 'time_limit', 'fee', 'location', 'online', 'in_person', 'phone'] as const;
export type AspectName = (typeof ASPECT_NAMES)[number];

/** A thing a message can mean: a catalog service item or a conversational intent. */
export type Target = { type: 'item'; code: string } | { type: 'intent'; name: IntentName };

export type Decision =
  | Target
  | { type: 'none' }
  /** A close call: the candidates, best first (up to 3), for the user to choose from. */
  | { type: 'ambiguous'; candidates: Target[] };

export type ScoredTarget = Target & { score: number };

export interface Classification {
  decision: Decision;
  /** The 5 best targets, best first, each with its calibrated probability in [0, 1]. */
  top: ScoredTarget[];
}

export interface Thresholds {
  /** A best probability at or above this (and clear of the runner-up) is accepted outright. */
  accept: number;
  /** Candidates within this probability of the best make the decision `ambiguous`. */
  ambiguousMargin: number;
  /** The best 3 targets holding less than this together (or the out-of-scope class on top) decides `none`. */
  reject: number;
  /**
   * A best target below `accept` is still accepted when it leads every other label, the
   * out-of-scope one included, by at least this (1 or more: never).
   */
  lead: number;
}

export interface Classifier {
  classify(text: string): Classification;
  readonly thresholds: Thresholds;
}

/** A stable key for a target, used in maps and the model file: `item:hukou-newborn`, `intent:thanks`. */
export function targetKey(target: Target): string {
  return target.type === 'item' ? `item:${target.code}` : `intent:${target.name}`;
}

export function sameTarget(a: Target, b: Target): boolean {
  return targetKey(a) === targetKey(b);
}
