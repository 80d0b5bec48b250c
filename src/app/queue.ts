/**
 * The in-process work queue. Jobs are keyed by pull request: a newer job for the same key
 * replaces a queued one and aborts a running one (its result would be stale anyway). The
 * queue is bounded and runs a limited number of jobs at once; there is no persistent state,
 * so replicas behind a load balancer share nothing (GitHub holds all state).
 */
export interface Job {
  key: string;
  run(signal: AbortSignal): Promise<void>;
  /** Called instead of `run` when a newer job replaced this one before it started. */
  superseded?(): Promise<void>;
  /** Called instead of `run` when the queue is cancelled (shutdown) before this job started. */
  interrupted?(): Promise<void>;
}

export class QueueFullError extends Error {
  constructor(readonly limit: number) {
    super(`the review queue is full (${limit} pull requests waiting); comment /shipshape recheck later`);
    this.name = "QueueFullError";
  }
}

export interface QueueOptions {
  concurrency: number;
  limit: number;
  onError: (key: string, err: unknown) => void;
  onDepth?: (depth: number) => void;
}

export class JobQueue {
  private readonly waiting = new Map<string, Job>();
  private readonly running = new Map<string, AbortController>();
  private readonly idleWaiters: (() => void)[] = [];
  /** Clean-up of replaced jobs (completing their check runs) still under way. */
  private readonly cleanups = new Set<Promise<void>>();

  constructor(private readonly options: QueueOptions) {}

  get depth(): number {
    return this.waiting.size;
  }

  /** Throws QueueFullError when the queue is full and the key has nothing queued to replace. */
  push(job: Job): void {
    const replaced = this.waiting.get(job.key);
    if (!replaced && this.waiting.size >= this.options.limit) throw new QueueFullError(this.options.limit);
    this.waiting.delete(job.key);
    this.waiting.set(job.key, job);
    if (replaced) this.settle(job.key, replaced.superseded?.());
    this.running.get(job.key)?.abort(new Error("superseded by a newer event"));
    this.options.onDepth?.(this.waiting.size);
    this.pump();
  }

  /** Shutdown: queued jobs are dropped (told so), running ones aborted with `reason`. */
  cancelAll(reason: unknown): void {
    const dropped = [...this.waiting];
    this.waiting.clear();
    this.options.onDepth?.(0);
    for (const [key, job] of dropped) this.settle(key, job.interrupted?.());
    for (const controller of this.running.values()) controller.abort(reason);
    this.notifyIdle();
  }

  /** Resolves when nothing is queued or running (tests and graceful shutdown). */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    for (const [key, job] of this.waiting) {
      if (this.running.size >= this.options.concurrency) return;
      // One job per pull request at a time: the newer one waits for the aborted one to stop.
      if (this.running.has(key)) continue;
      this.waiting.delete(key);
      this.options.onDepth?.(this.waiting.size);
      const controller = new AbortController();
      this.running.set(key, controller);
      void job
        .run(controller.signal)
        .catch((err: unknown) => this.options.onError(key, err))
        .finally(() => {
          this.running.delete(key);
          this.pump();
          this.notifyIdle();
        });
    }
    this.notifyIdle();
  }

  private settle(key: string, p: Promise<void> | undefined): void {
    if (!p) return;
    const tracked = p
      .catch((err: unknown) => this.options.onError(key, err))
      .finally(() => {
        this.cleanups.delete(tracked);
        this.notifyIdle();
      });
    this.cleanups.add(tracked);
  }

  private isIdle(): boolean {
    return this.waiting.size === 0 && this.running.size === 0 && this.cleanups.size === 0;
  }

  private notifyIdle(): void {
    if (!this.isIdle()) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}
