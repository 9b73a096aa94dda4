/**
 * The background work of appointments in each bot process: due reminders every tick, seat
 * repairs every few ticks. Both are safe to run in every process at once (see reminders.ts and
 * reconcile.ts), so no process is special. The clock is the bot's (tests move it).
 */
import type { Logger } from '../log.js';
import type { Reminders } from './reminders.js';
import type { SeatReconciler } from './reconcile.js';

export interface SchedulerOptions {
  reminders: Reminders;
  reconciler: SeatReconciler;
  clock: () => Date;
  log: Logger;
  /** How often due reminders are looked for. */
  pollMs?: number;
  /** Seat repairs run every this many ticks. */
  reconcileEvery?: number;
}

export class AppointmentScheduler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private ticks = 0;
  private stopped = false;

  constructor(private readonly options: SchedulerOptions) {}

  start(): void {
    const loop = (): void => {
      this.running = this.tick().finally(() => {
        if (!this.stopped) this.timer = setTimeout(loop, this.options.pollMs ?? 15_000);
      });
    };
    loop();
  }

  /** One round of work now (tests call it after moving the clock). */
  async tick(): Promise<void> {
    const { reminders, reconciler, clock, log } = this.options;
    const now = clock();
    try {
      const sent = await reminders.runDue(now);
      if (sent > 0) log.info({ sent }, 'appointment reminders queued');
      if (this.ticks++ % (this.options.reconcileEvery ?? 4) === 0) {
        const repaired = await reconciler.run(now);
        if (repaired > 0) log.warn({ repaired }, 'seats given back after interrupted booking changes');
      }
    } catch (error) {
      log.error({ err: error }, 'appointment background work failed; trying again next tick');
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }
}
