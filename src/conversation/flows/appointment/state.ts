/**
 * The appointment flow's session slice: what it waits for between two messages — the item to
 * book (a time may already have been said), a time for the item and hall being chosen (a
 * reschedule names its booking), or a location to take a queue number from near the hall.
 */
import { z } from 'zod';
import type { WhenAsked } from '../../../appointments/when/parseWhen.js';
import type { TurnContext } from '../../context.js';

const SLICE = 'appointment';

const whenSchema = z.object({
  date: z.string().optional(),
  time: z.number().int().optional(),
  partOfDay: z.enum(['morning', 'noon', 'afternoon', 'evening']).optional(),
});

const stateSchema = z.discriminatedUnion('stage', [
  z.object({ stage: z.literal('item'), when: whenSchema.optional() }),
  z.object({ stage: z.literal('choosing'), item: z.string(), hall: z.string(), move: z.string().optional() }),
  z.object({ stage: z.literal('location'), booking: z.string() }),
]);

export type AppointmentState = z.infer<typeof stateSchema>;

export function appointmentState(ctx: TurnContext): AppointmentState | undefined {
  return ctx.session.get(SLICE, stateSchema);
}

export function setAppointmentState(ctx: TurnContext, state: AppointmentState | undefined): void {
  ctx.session.set(SLICE, state);
}

/** A time as remembered in the session (the words that said it are not kept). */
export function rememberedWhen(when: WhenAsked | undefined): AppointmentState & { stage: 'item' } {
  if (!when) return { stage: 'item' };
  const { date, time, partOfDay } = when;
  return { stage: 'item', when: { ...(date ? { date } : {}), ...(time !== undefined ? { time } : {}), ...(partOfDay ? { partOfDay } : {}) } };
}

export function recalledWhen(state: AppointmentState & { stage: 'item' }): WhenAsked | undefined {
  return state.when ? { ...state.when, phrases: [] } : undefined;
}
