/**
 * A bounded line for `lathe serve`: at most `parallel` generations run, at most `maxWaiting`
 * requests wait; beyond that a request is turned away at once (503 with `Retry-After`) instead
 * of piling up behind the model. A waiting request whose client leaves gives up its place.
 */
export class QueueFull extends Error {
  constructor(readonly retryAfterSeconds: number, waiting: number) {
    super(`the server is busy (${waiting} requests waiting); retry in about ${retryAfterSeconds} s`);
    this.name = 'QueueFull';
  }
}

export class QueueClosed extends Error {
  constructor() {
    super('the server is shutting down');
    this.name = 'QueueClosed';
  }
}

interface Waiter {
  readonly start: () => void;
  readonly fail: (err: Error) => void;
}

export class RequestQueue {
  private running = 0;
  private readonly waiting: Waiter[] = [];
  private closed = false;
  /** Recent request durations (ms), for the Retry-After estimate. */
  private averageMs = 2_000;

  constructor(private readonly parallel: number, private readonly maxWaiting: number) {}

  get stats(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }

  /** Waits for a slot; the returned function releases it. Throws QueueFull, QueueClosed or the signal's reason. */
  acquire(signal: AbortSignal): Promise<() => void> {
    if (this.closed) return Promise.reject(new QueueClosed());
    if (signal.aborted) return Promise.reject(signal.reason);
    if (this.running < this.parallel) {
      this.running++;
      return Promise.resolve(this.releaser());
    }
    if (this.waiting.length >= this.maxWaiting) {
      const seconds = Math.max(1, Math.ceil((this.averageMs * (this.waiting.length + 1)) / this.parallel / 1000));
      return Promise.reject(new QueueFull(seconds, this.waiting.length));
    }
    return new Promise<() => void>((resolve, reject) => {
      const waiter: Waiter = {
        start: () => {
          signal.removeEventListener('abort', onAbort);
          resolve(this.releaser());
        },
        fail: (err) => {
          signal.removeEventListener('abort', onAbort);
          reject(err);
        },
      };
      const onAbort = () => {
        const i = this.waiting.indexOf(waiter);
        if (i >= 0) this.waiting.splice(i, 1);
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(waiter);
    });
  }

  /** Releasing hands the slot straight to the next waiter, so no newcomer can jump the line. */
  private releaser(): () => void {
    const started = performance.now();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.averageMs = this.averageMs * 0.8 + (performance.now() - started) * 0.2;
      const next = this.waiting.shift();
      if (next) next.start();
      else this.running--;
    };
  }

  /** Refuses new requests and turns away every waiting one. */
  close(): void {
    this.closed = true;
    for (const w of this.waiting.splice(0)) w.fail(new QueueClosed());
  }
}
