/** A policy as cards show it: its fields, with the application window as it stands today. */
import type { Policy } from './schema.js';
import type { WindowState } from './window.js';

export type PolicyCardData = Omit<Policy, 'window'> & { window: WindowState };

export function policyView(policy: Policy, window: WindowState): PolicyCardData {
  return { ...policy, window };
}
