/**
 * The card templates in use, reloaded when a file under cards/ changes (development): a change
 * that loads replaces the set at once; one that does not is logged with every problem's file and
 * line, and the previous set stays in use. Listeners (the preview page) hear of both.
 */
import { EventEmitter } from 'node:events';
import { watch, type FSWatcher } from 'node:fs';
import type { Logger } from '../log.js';
import { ContentError } from '../content/problems.js';
import type { HelperSettings } from './helpers.js';
import { TemplateSet } from './templateSet.js';

/** Editors write a file in several steps; wait for them to settle. */
const SETTLE_MS = 150;

export interface TemplateSource {
  current(): TemplateSet;
}

export class LiveTemplates extends EventEmitter implements TemplateSource {
  private set: TemplateSet;
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** Why the files on disk do not load now (undefined when they do). */
  problem: ContentError | undefined;

  constructor(
    readonly cardsDir: string,
    private readonly settings: HelperSettings,
  ) {
    super();
    this.set = TemplateSet.load(cardsDir, settings);
  }

  current(): TemplateSet {
    return this.set;
  }

  /** Loads the files again now; emits 'change' either way. */
  reload(log?: Logger): void {
    try {
      this.set = TemplateSet.load(this.cardsDir, this.settings);
      this.problem = undefined;
      log?.info({ templates: this.set.names().length }, 'card templates reloaded');
    } catch (error) {
      if (!(error instanceof ContentError)) throw error;
      this.problem = error;
      log?.error({ problems: error.problems }, 'card templates not reloaded: the previous ones stay in use');
    }
    this.emit('change');
  }

  watch(log: Logger): void {
    if (this.watcher) return;
    this.watcher = watch(this.cardsDir, { recursive: true }, () => {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.reload(log), SETTLE_MS);
    });
  }

  close(): void {
    clearTimeout(this.timer);
    this.watcher?.close();
    this.watcher = undefined;
  }
}
