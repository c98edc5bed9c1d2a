import { sql, type UpdateObject } from "kysely";
import type { Logger } from "@paycron/core";
import type { Database, Db, TaskRun } from "@paycron/db";
import type { CatalogTask, TaskCatalog } from "@paycron/runtime/catalog";
import { nextRetryDelay } from "@paycron/runtime/catalog";
import { releaseIdempotencyKey, withCurrentRun } from "@paycron/runtime";
import { acquireSlots, releaseSlots, slotLimits, type SlotLimit } from "./concurrency-slots.ts";
import { addRunJobs, type RunJobPayload } from "./graphile-jobs.ts";
import { createClaimBatcher, createCompleteBatcher } from "./run-batches.ts";
import { createSemaphore } from "./semaphore.ts";
import { buildTaskContext } from "./task-context.ts";
import { endsWithoutRetry, MaxDurationExceededError, serializeError } from "./run-errors.ts";

export interface RunExecutorOptions {
  db: Db;
  logger: Logger;
  catalog: TaskCatalog;
  workerId: string;
  /** How long a run stays claimed without a heartbeat before another worker retries it. */
  leaseMs: number;
  /** How soon a run that found its concurrency limit full tries again, once it stops waiting in-process. */
  slotRetryMs?: number;
  /** How long a claimed run waits in-process for a slot of a full limit before it is requeued (default 2 s). */
  slotWaitMs?: number;
  /** Run bodies executing at once; claims and completions of other runs overlap with them. */
  concurrency: number;
}

type BodyOutcome = { ok: true; output: unknown } | { ok: false; error: unknown };

interface ActiveRun {
  /** The run as this worker claimed it (its attempt is the one this worker owns). */
  run: TaskRun;
  controller: AbortController;
  /** Resolves the job handler early when stop() hands the run back to the queue. */
  release: () => void;
  /**
   * waiting: claimed, its code not started (no run slot yet); running: its code is executing
   * (past maxDuration the run may already be failed while its code still runs); recording: its
   * code finished and its completion is being written (never handed back).
   */
  phase: "waiting" | "running" | "recording";
}

/**
 * Executes one attempt of a local run (the body of the graphile job). The attempt is claimed
 * with a conditional UPDATE, so a stale or duplicate job is a no-op; the run holds a lease that
 * a heartbeat renews, and recoverExpiredRuns() retries runs whose worker died.
 */
export class RunExecutor {
  readonly #o: RunExecutorOptions;
  readonly #active = new Map<string, ActiveRun>();
  readonly #claim: ReturnType<typeof createClaimBatcher>;
  readonly #completeBatch: ReturnType<typeof createCompleteBatcher>;
  readonly #bodies: ReturnType<typeof createSemaphore>;
  #stopping = false;
  /** Runs waiting in-process for a slot, by limit key, first come first woken. */
  readonly #slotWaiters = new Map<string, Array<() => void>>();
  #heartbeat: NodeJS.Timeout | undefined;

  constructor(options: RunExecutorOptions) {
    this.#o = options;
    this.#claim = createClaimBatcher(options.db, options.workerId, options.leaseMs);
    this.#completeBatch = createCompleteBatcher(options.db, options.workerId);
    this.#bodies = createSemaphore(options.concurrency);
  }

  async execute(job: RunJobPayload): Promise<void> {
    const { db, catalog } = this.#o;
    const task = catalog.has(job.taskId) ? catalog.get(job.taskId) : undefined;
    const maxAttempts = Math.max(1, task?.retry.maxAttempts ?? 1);
    const run = await this.#claim({ runId: job.runId, attempt: job.attempt, maxAttempts });
    if (!run) return; // already taken: a duplicate or superseded job
    if (this.#stopping) {
      // Claimed after stop() began: straight back to the queue, for the next worker.
      await this.#requeue(run, 0);
      return;
    }

    if (!task) {
      await this.#fail(run, new Error(`unknown task "${job.taskId}": no task file defines it`));
      return;
    }
    const limits = slotLimits(task, run.concurrency_key);
    if (limits.length > 0 && !(await this.#acquireSlots(run, limits))) {
      this.#o.logger.debug({ task: task.id, runId: run.id, limits: limits.map((l) => l.key) }, "concurrency limit full: run requeued");
      await this.#requeue(run, this.#stopping ? 0 : (this.#o.slotRetryMs ?? 100 + Math.floor(Math.random() * 150)));
      return;
    }
    try {
      // Returns only once the task's code has, so a runaway body keeps its concurrency slots.
      await this.#runAttempt(task, run);
    } finally {
      if (limits.length > 0) {
        await releaseSlots(db, run.id);
        this.#wakeSlotWaiter(limits);
      }
    }
  }

  /*
   * A full limit is waited for here, woken when a run of this process frees one of its slots (or
   * at the deadline, for slots freed by other processes), rather than requeued at once: a requeue
   * is a transaction and a new job, and with many runs behind a small limit (billing day's
   * billing-run batches behind stripe-api) they would requeue each other many times a second.
   * Past the deadline the run is requeued, so a limit held long never pins the worker's jobs.
   */
  async #acquireSlots(run: TaskRun, limits: SlotLimit[]): Promise<boolean> {
    const deadline = performance.now() + (this.#o.slotWaitMs ?? 2_000);
    for (;;) {
      if (await acquireSlots(this.#o.db, run.id, limits, this.#o.leaseMs)) return true;
      const left = deadline - performance.now();
      if (this.#stopping || left <= 0) return false;
      await this.#slotFreed(limits, left);
    }
  }

  #slotFreed(limits: SlotLimit[], timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        for (const { key } of limits) {
          const queue = this.#slotWaiters.get(key);
          const i = queue?.indexOf(wake) ?? -1;
          if (i >= 0) queue!.splice(i, 1);
        }
        resolve();
      };
      const timer = setTimeout(wake, timeoutMs);
      for (const { key } of limits) {
        const queue = this.#slotWaiters.get(key) ?? [];
        queue.push(wake);
        this.#slotWaiters.set(key, queue);
      }
    });
  }

  /** A slot of each of these limits is free: the longest waiter for each tries again. */
  #wakeSlotWaiter(limits: SlotLimit[]): void {
    for (const { key } of limits) this.#slotWaiters.get(key)?.[0]?.();
  }

  async #runAttempt(task: CatalogTask, run: TaskRun): Promise<void> {
    const controller = new AbortController();
    let release!: () => void;
    const released = new Promise<"released">((resolve) => (release = () => resolve("released")));
    const active: ActiveRun = { run, controller, release, phase: "waiting" };
    this.#track(active);
    const started = performance.now();
    try {
      let payload: unknown;
      try {
        payload = await task.parsePayload(run.payload);
      } catch (error) {
        // The payload will not become valid by trying again: fail without retrying, as the SDK does.
        await this.#fail(run, error);
        return;
      }
      const body = await this.#runBody(task, run, payload, active, released);
      if (body === "released") return;
      const { outcome, returned } = body;
      if (outcome.ok) {
        // The graphile job ends now, without waiting for this write: its slot takes the next run
        // meanwhile. The run stays tracked (lease renewed, stop() waits for it) until it lands;
        // a crash before then is a crash during the attempt, and recovery retries the run.
        active.phase = "recording";
        void this.#completeBatch({ runId: run.id, attempt: run.attempt, output: outcome.output })
          .then(
            () => this.#o.logger.info({ task: task.id, runId: run.id, attempt: run.attempt, ms: Math.round(performance.now() - started) }, "run completed"),
            (error: unknown) => this.#o.logger.error({ task: task.id, runId: run.id, attempt: run.attempt, err: error }, "could not record a completed run; recovery will retry it"),
          )
          .finally(() => this.#untrack(run.id));
        return;
      }
      if (endsWithoutRetry(outcome.error)) await this.#fail(run, outcome.error);
      else await this.#retryOrFail(run, task, outcome.error);
      if (outcome.error instanceof MaxDurationExceededError) await this.#outlive(run, returned, released);
    } finally {
      if (active.phase !== "recording") this.#untrack(run.id);
    }
  }

  /**
   * The task's own code, under the process's run-body limit. Only the code holds a slot: a run
   * waiting for its claim or its completion write does not keep another run's code from starting.
   * The slot is freed when the code returns, not when the run's outcome is known: code that
   * ignores its signal past maxDuration is still running, and still counts against the limit.
   */
  async #runBody(task: CatalogTask, run: TaskRun, payload: unknown, active: ActiveRun, released: Promise<"released">) {
    const { controller } = active;
    await this.#bodies.acquire();
    // Handed back by stop() while it waited for a slot: its code never started.
    if (controller.signal.aborted) {
      this.#bodies.release();
      return "released" as const;
    }
    active.phase = "running";
    this.#o.logger.debug({ task: task.id, runId: run.id, attempt: run.attempt }, "run started");
    const ctx = buildTaskContext(task, run);
    const code = () => withCurrentRun({ runId: run.id, taskId: task.id }, () => task.run(payload, { ctx, signal: controller.signal }));
    // new Promise turns a synchronous throw into a failed outcome, like a rejection.
    const returned = new Promise((resolve) => resolve(code()))
      .then((output): BodyOutcome => ({ ok: true, output }), (error: unknown): BodyOutcome => ({ ok: false, error }))
      .finally(() => this.#bodies.release());
    const deadline = maxDurationTimer(task.maxDurationSeconds, controller);
    const outcome = await Promise.race([returned, released, deadline.expired]).finally(deadline.cancel);
    return outcome === "released" ? outcome : { outcome, returned };
  }

  /**
   * Waits for code that outlived its maxDuration (its run already failed) to return, so that its
   * run and concurrency slots, and the heartbeat renewing their leases, stay held until it does.
   * stop() may abandon it after the grace period.
   */
  async #outlive(run: TaskRun, returned: Promise<BodyOutcome>, released: Promise<"released">): Promise<void> {
    const expiredAt = performance.now();
    this.#o.logger.warn({ task: run.task_id, runId: run.id }, "run exceeded its maxDuration; its slots stay held until its code returns");
    if ((await Promise.race([returned, released])) === "released") return;
    this.#o.logger.warn({ task: run.task_id, runId: run.id, ms: Math.round(performance.now() - expiredAt) }, "code of a run past its maxDuration returned");
  }

  /** Only the worker that owns the attempt may record its end: a recovered run has moved on. */
  #owned(run: TaskRun) {
    return (qb: any) =>
      qb.where("id", "=", run.id).where("status", "=", "executing").where("attempt", "=", run.attempt).where("worker_id", "=", this.#o.workerId);
  }

  async #fail(run: TaskRun, error: unknown): Promise<void> {
    await this.#o.db.transaction().execute(async (tx) => {
      const updated = await tx
        .updateTable("task_runs")
        .set({
          status: "failed",
          error: JSON.stringify(serializeError(error)),
          finished_at: sql`clock_timestamp()`,
          updated_at: sql`clock_timestamp()`,
          lease_until: null,
        })
        .$call(this.#owned(run))
        .executeTakeFirst();
      // A failed run frees its idempotency key, as on Trigger.dev: the next enqueue runs again.
      if (Number(updated.numUpdatedRows) > 0 && run.idempotency_key) {
        await releaseIdempotencyKey(tx, run.task_id, run.idempotency_key);
      }
    });
    this.#o.logger.warn({ task: run.task_id, runId: run.id, attempt: run.attempt, err: error }, "run failed");
  }

  async #retryOrFail(run: TaskRun, task: CatalogTask, error: unknown): Promise<void> {
    const delay = run.attempt < run.max_attempts ? nextRetryDelay(task.retry, run.attempt) : undefined;
    if (delay === undefined) {
      await this.#fail(run, error);
      return;
    }
    await this.#reschedule(
      run,
      {
        status: "retrying",
        error: JSON.stringify(serializeError(error)),
        run_at: sql`clock_timestamp() + ${Math.round(delay)}::int * interval '1 millisecond'`,
        lease_until: null,
      },
      { attempt: run.attempt + 1, delayMs: delay },
    );
    this.#o.logger.warn({ task: task.id, runId: run.id, attempt: run.attempt, delayMs: Math.round(delay), err: error }, "run attempt failed; it will retry");
  }

  /** Hands an attempt back without counting it (concurrency full, or the worker is stopping). */
  async #requeue(run: TaskRun, delayMs: number): Promise<void> {
    await this.#reschedule(
      run,
      { status: run.attempt <= 1 ? "queued" : "retrying", attempt: run.attempt - 1, lease_until: null, worker_id: null },
      { attempt: run.attempt, delayMs },
    );
  }

  /** Moves the attempt this worker owns to `changes` and, if it was still ours, queues `next`. */
  async #reschedule(run: TaskRun, changes: UpdateObject<Database, "task_runs">, next: { attempt: number; delayMs: number }): Promise<void> {
    await this.#o.db.transaction().execute(async (tx) => {
      const updated = await tx
        .updateTable("task_runs")
        .set({ ...changes, updated_at: sql`clock_timestamp()` })
        .$call(this.#owned(run))
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) > 0) {
        await addRunJobs(tx, [{ runId: run.id, taskId: run.task_id, ...next }]);
      }
    });
  }

  /**
   * For stop(): claimed runs whose code has not started go back to the queue at once, and so does
   * any run claimed from now on; the running ones get stop()'s grace period.
   */
  async handBackWaiting(): Promise<number> {
    this.#stopping = true;
    for (const queue of [...this.#slotWaiters.values()]) for (const wake of [...queue]) wake();
    return this.#handBack((a) => a.phase === "waiting");
  }

  /**
   * For stop(): runs still going after the grace period are aborted and handed back to the
   * queue, so another worker (or the next start) runs them again.
   */
  async releaseActive(): Promise<number> {
    const released = await this.#handBack((a) => a.phase !== "recording");
    // What is left are completions being written: let them land before the caller closes the pool.
    await this.waitForIdle(5_000);
    return released;
  }

  async #handBack(which: (a: ActiveRun) => boolean): Promise<number> {
    const active = [...this.#active.values()].filter(which);
    for (const a of active) {
      a.controller.abort(new Error("worker stopping"));
      // Conditional on this worker still owning the attempt (a recovered run has moved on).
      await this.#requeue(a.run, 0);
      await releaseSlots(this.#o.db, a.run.id);
      a.release();
    }
    return active.length;
  }

  async waitForIdle(timeoutMs: number): Promise<boolean> {
    const deadline = performance.now() + timeoutMs;
    while (this.#active.size > 0 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    return this.#active.size === 0;
  }

  #track(active: ActiveRun): void {
    this.#active.set(active.run.id, active);
    this.#heartbeat ??= setInterval(() => void this.#renewLeases(), Math.max(50, Math.floor(this.#o.leaseMs / 3)));
  }

  #untrack(runId: string): void {
    this.#active.delete(runId);
    if (this.#active.size === 0 && this.#heartbeat) {
      clearInterval(this.#heartbeat);
      this.#heartbeat = undefined;
    }
  }

  /** One statement per table renews every run this worker holds, however many there are. */
  async #renewLeases(): Promise<void> {
    const ids = [...this.#active.keys()];
    if (ids.length === 0) return;
    const lease = sql<Date>`clock_timestamp() + ${this.#o.leaseMs}::int * interval '1 millisecond'`;
    try {
      await this.#o.db
        .updateTable("task_runs")
        .set({ lease_until: lease })
        .where("id", "in", ids)
        .where("status", "=", "executing")
        .where("worker_id", "=", this.#o.workerId)
        .execute();
      await this.#o.db.updateTable("task_concurrency_slots").set({ lease_until: lease }).where("run_id", "in", ids).execute();
    } catch (error) {
      this.#o.logger.warn({ err: error }, "could not renew run leases");
    }
  }
}

/**
 * Trigger.dev aborts a run's signal at maxDuration and fails the run without retry. It can then
 * kill the process; here the code shares the process, so it can only be asked to stop.
 */
function maxDurationTimer(seconds: number | undefined, controller: AbortController) {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<BodyOutcome>((resolve) => {
    if (!seconds || !Number.isFinite(seconds)) return;
    timer = setTimeout(() => {
      const error = new MaxDurationExceededError(seconds);
      controller.abort(error);
      resolve({ ok: false, error });
    }, seconds * 1_000);
  });
  return { expired, cancel: () => clearTimeout(timer) };
}
