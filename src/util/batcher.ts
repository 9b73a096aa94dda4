/**
 * Group commit for any request to the store: requests that arrive while a batch is in flight wait
 * and go together in the next one, so under load one round trip serves many callers, and at low
 * load a request goes out at once. `flush` answers a batch with one result per request, in order
 * (an ItemFailure fails just that request); if it throws, every request of the batch fails.
 */

/** A result that fails its one request (a duplicate key of one document among many, say). */
export class ItemFailure {
  constructor(readonly error: unknown) {}
}

interface Pending<T, R> {
  request: T;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

/** Small enough that one batch never holds the store (or this event loop) for long. */
const DEFAULT_MAX_BATCH = 64;

export class Batcher<T, R> {
  private queue: Array<Pending<T, R>> = [];
  private flushing = false;

  constructor(
    private readonly flush: (requests: T[]) => Promise<Array<R | ItemFailure>>,
    private readonly maxBatch = DEFAULT_MAX_BATCH,
  ) {}

  submit(request: T): Promise<R> {
    return new Promise((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
      if (!this.flushing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.flushing = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxBatch);
        try {
          const results = await this.flush(batch.map((pending) => pending.request));
          batch.forEach((pending, index) => {
            const result = results[index];
            if (result instanceof ItemFailure) pending.reject(result.error);
            else pending.resolve(result as R);
          });
        } catch (error) {
          for (const pending of batch) pending.reject(error);
        }
      }
    } finally {
      this.flushing = false;
    }
  }
}
