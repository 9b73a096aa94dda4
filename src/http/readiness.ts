/**
 * A registry of readiness checks. Parts of the bot report here (the store, the language model,
 * …); /readyz is ready when every registered check passes.
 */
export type ReadinessCheck = () => boolean | Promise<boolean>;

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, boolean>;
}

export class Readiness {
  private readonly checks = new Map<string, ReadinessCheck>();

  /** Adds (or replaces) a named check. */
  register(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
  }

  /** A component that becomes ready once (e.g. a model loaded): returns the function to call then. */
  pending(name: string): () => void {
    let ready = false;
    this.register(name, () => ready);
    return () => {
      ready = true;
    };
  }

  async report(): Promise<ReadinessReport> {
    const checks: Record<string, boolean> = {};
    for (const [name, check] of this.checks) {
      try {
        checks[name] = await check();
      } catch {
        checks[name] = false;
      }
    }
    return { ready: Object.values(checks).every(Boolean), checks };
  }
}
