/**
 * What the campaign tests share: a synthetic directory (the generator's rows, kept for the
 * test's own reckoning), the staff API called with the bootstrap key, waiting for a campaign to
 * reach a state, and telling a campaign's messages from the replies at the simulator.
 */
import { generateDirectory, csvHeader, csvLine, type GeneratedRow } from '../../src/directory/demo/generate.js';
import type { ReceivedMessage } from '../../src/channels/simulator/index.js';
import type { CampaignStats } from '../../src/campaigns/stats.js';

export const ADMIN = 'test-admin-token-0123456789';

export function directory(count: number, seed = 7): { rows: GeneratedRow[]; csv: string } {
  const rows = [...generateDirectory(count, { seed, now: new Date('2026-12-01T00:00:00Z') })];
  return { rows, csv: csvHeader() + rows.map(csvLine).join('') };
}

export interface Answer<T = unknown> {
  status: number;
  body: T;
}

export async function call<T = unknown>(base: string, method: string, path: string, body?: unknown, type = 'application/json', key = ADMIN): Promise<Answer<T>> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': type }) },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

/** A campaign message at the simulator: its card is a policy push. */
export function isCampaignMessage(message: ReceivedMessage): boolean {
  return message.trafficType === 'subscription';
}

export async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

export interface CampaignAnswer {
  id: string;
  status: string;
  endedBy?: string;
  /** As the API answers them (its time as text). */
  stats: Omit<CampaignStats, 'at'>;
}
