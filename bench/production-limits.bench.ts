/*
 * Billing day within the platforms' limits: N due billing runs dispatched to Trigger.dev and charged
 * through Stripe, each side keeping its published limits, against the time those limits allow.
 *
 *   pnpm bench production-limits
 *   BENCH_SIZES=2000,10000 BENCH_RUNS=3 BENCH_RUNS_LARGE=1 BENCH_STRICT=1 ...
 *
 * The world (not timed): the billing bench's (bench/support/billing-world.ts): N customers with a
 * card in a Stripe emulator and N active subscriptions whose period has ended; the emulator's rate
 * limit off while it is built. Then every period is advanced one subscription at a time (as the
 * `subscription-advance` task does), which leaves N `billing-run` outbox rows due: the per-run rows
 * a billing day of single advances, dunning retries and delayed runs hands to Trigger.dev.
 *
 * Timed, from the dispatcher's start to the N-th invoice paid:
 * - the outbox dispatcher (startDispatcher) with the Trigger.dev engine at the platform's default
 *   limits (batches of ≤ 1,000, 5,000 runs burst then 500 per 5 s, 1,500 requests a minute), against
 *   the loopback stand-in of the Trigger.dev API keeping the same limits (429 with retry-after beyond);
 * - the stand-in plays the deployed worker: each run it accepts is executed with Trigger.dev's
 *   TaskExecutor (executeAsDeployedWorker), at most CONCURRENCY at once (the billing-run queue's
 *   stripe-api limit, 10), with the worker's deps: its own Db pool, the Trigger.dev engine, and the
 *   real Stripe SDK through the Postgres rate limiter at Stripe's defaults (25 PaymentIntent
 *   creations a second, 100 requests a second overall);
 * - the Stripe emulator enforcing Stripe's limits (25/s per endpoint; 429 beyond).
 *
 * The limit-bound ideal: the dispatch cannot finish before (N − 5,000 burst) ÷ 100 runs a second, and
 * the charges cannot finish before (N − 25) ÷ 25 s (the PaymentIntent endpoint's rate after its one
 * second of burst; each run creates one PaymentIntent); the ideal is the larger. Floor (issue 14): the median within 10 % of it, with zero
 * lost or duplicated runs and zero charges recorded as declines (BENCH_STRICT=1 exits 2 below it).
 *
 * Verified after every measurement (not timed): the stand-in created exactly N runs, all distinct,
 * for the N rows; N invoices paid in full by N succeeded payments, no failed payment; the emulator's
 * succeeded charges are exactly those PaymentIntents. The emulator's 429s are reported.
 */
import { loadavg } from "node:os";
import { inParallel, silentLogger, TestClock } from "@paycron/core";
import { advanceSubscriptionPeriods } from "@paycron/billing";
import { createDb, createPool, migrate, createPostgresRateLimiter } from "@paycron/db";
import { startEmbeddedPostgres } from "@paycron/db/embedded";
import { clearTaskDeps, createTaskDeps, DEFAULT_TRIGGER_LIMITS, installTaskDeps, startDispatcher, triggerEngine } from "@paycron/runtime";
import { loadTaskCatalog } from "@paycron/runtime/catalog";
import { executeAsDeployedWorker } from "@paycron/runtime/testing";
import { createLocalStripeClient, DEFAULT_STRIPE_RATE_LIMITS } from "@paycron/stripe";
import { startStripeEmulator, STRIPE_DEFAULT_RATE_LIMIT, type StripeEmulator } from "@paycron/stripe-emulator";
import { startTriggerApiStandIn, type RecordedTrigger, type TriggerApiStandIn } from "../tests/support/trigger-api-stand-in.ts";
import { machineLines } from "./support/machine.ts";
import { checkBatch, createStripeCustomers, emptyAll, paidInvoices, seedDueSubscriptions, T0, UNIT_AMOUNT } from "./support/billing-world.ts";
import { median, RUNS, sleep } from "./support/stats.ts";

const SIZES = (process.env.BENCH_SIZES ?? "2000,10000").split(",").map(Number);
/** Rounds at sizes above 2,000 (BENCH_RUNS_LARGE, default 1: each takes about 7 minutes). */
const RUNS_LARGE = Number(process.env.BENCH_RUNS_LARGE ?? 1);
/** The billing-run queue's stripe-api limit: runs the deployed worker executes at once. */
const CONCURRENCY = 10;
const POLL_MS = 50;
const FLOOR_RATIO = 1.1;
const TICK = new Date(T0.getTime() + 60 * 60_000 + 30_000);
const KEY = "tr_prod_bench";

interface Measurement {
  ms: number;
  dispatchMs: number;
  idealMs: number;
  idealDispatchMs: number;
  idealChargeMs: number;
  stripe429s: number;
  trigger429s: number;
  batches: number;
}

const pg = await startEmbeddedPostgres();
const admin = createPool({ connectionString: pg.url, max: 2, applicationName: "bench-admin" });
const adminDb = createDb(admin);
await migrate(adminDb);
const clock = new TestClock(TICK);
await loadTaskCatalog();

/** Plays the deployed worker: the stand-in's new runs, executed CONCURRENCY at a time. */
function deployedWorker() {
  const queue: RecordedTrigger[] = [];
  const failures: string[] = [];
  const idle: Array<() => void> = [];
  let stopped = false;
  const loops = Array.from({ length: CONCURRENCY }, async () => {
    while (!stopped) {
      const run = queue.shift();
      if (!run) {
        await new Promise<void>((r) => idle.push(r));
        continue;
      }
      const result = await executeAsDeployedWorker(run.taskId, run.payload, { runId: run.runId });
      if (!result.ok) failures.push(`${run.taskId} ${run.runId}: ${JSON.stringify(result)}`);
    }
  });
  return {
    failures,
    accept(run: RecordedTrigger) {
      queue.push(run);
      idle.shift()?.();
    },
    async stop() {
      stopped = true;
      for (const wake of idle.splice(0)) wake();
      await Promise.all(loops);
    },
  };
}

async function measure(n: number): Promise<Measurement> {
  clock.set(TICK);
  const emulator = await startStripeEmulator({ clock, idSeed: "limits" });
  const unlimited = createLocalStripeClient(emulator.url);
  await emptyAll(admin);
  await admin.query("truncate rate_limit_buckets");
  await seedDueSubscriptions(adminDb, admin, await createStripeCustomers(unlimited, n));
  const setupDeps = { db: adminDb, clock, logger: silentLogger(), stripe: unlimited };
  const subscriptions = (await adminDb.selectFrom("subscriptions").select("id").execute()).map((s) => s.id);
  await inParallel(subscriptions, 4, (id) => advanceSubscriptionPeriods(setupDeps, { subscriptionIds: [id] }));
  const due = await adminDb.selectFrom("task_outbox").select("id").where("task_id", "=", "billing-run").where("dispatched_at", "is", null).execute();
  if (due.length !== n) throw new Error(`setup: ${due.length} billing-run rows due, expected ${n}`);
  await admin.query("vacuum analyze");
  emulator.setRateLimit(STRIPE_DEFAULT_RATE_LIMIT);

  const worker = deployedWorker();
  const api: TriggerApiStandIn = await startTriggerApiStandIn({ onTrigger: (run) => worker.accept(run) });
  const pool = createPool({ connectionString: pg.url, max: CONCURRENCY, applicationName: "bench-worker" });
  const db = createDb(pool);
  const engine = triggerEngine({ secretKey: KEY, baseURL: api.url });
  const stripe = createLocalStripeClient(emulator.url, { rateLimit: { limiter: createPostgresRateLimiter(db), limits: DEFAULT_STRIPE_RATE_LIMITS } });
  installTaskDeps(createTaskDeps({ db, clock, logger: silentLogger(), engine }, { stripe: () => stripe }));
  const dispatcherDb = createDb(createPool({ connectionString: pg.url, max: 2, applicationName: "bench-dispatcher" }));
  try {
    const t0 = performance.now();
    const dispatcher = startDispatcher({ db: dispatcherDb, clock, logger: silentLogger(), engine: triggerEngine({ secretKey: KEY, baseURL: api.url }), connectionString: pg.url });
    let dispatchedAt = Number.NaN;
    for (;;) {
      const now = performance.now();
      if (Number.isNaN(dispatchedAt) && api.triggers.filter((t) => t.taskId === "billing-run").length >= n) dispatchedAt = now;
      if ((await paidInvoices(admin, n)) >= n) break;
      if (worker.failures.length > 0) throw new Error(`runs failed: ${worker.failures.slice(0, 3).join("; ")}`);
      if (now - t0 > 3_600_000) throw new Error(`${await paidInvoices(admin, n)} of ${n} invoices paid after an hour`);
      await sleep(POLL_MS);
    }
    const ms = performance.now() - t0;
    await dispatcher.stop();
    await verify(n, emulator, api);
    const { batchBurst, batchRefillRuns, batchRefillEveryMs } = DEFAULT_TRIGGER_LIMITS;
    const idealDispatchMs = (Math.max(0, n - batchBurst) / batchRefillRuns) * batchRefillEveryMs;
    // The PaymentIntent bucket holds one second's worth at the start, as Stripe's does.
    const perSecond = DEFAULT_STRIPE_RATE_LIMITS.paymentIntentCreatePerSecond;
    const idealChargeMs = (Math.max(0, n - perSecond) / perSecond) * 1_000;
    return {
      ms,
      dispatchMs: dispatchedAt - t0,
      idealMs: Math.max(idealDispatchMs, idealChargeMs),
      idealDispatchMs,
      idealChargeMs,
      stripe429s: emulator.rateLimitedCount(),
      trigger429s: api.requests.filter((r) => r.status === 429).length,
      batches: api.batches.length,
    };
  } finally {
    await worker.stop();
    clearTaskDeps();
    await db.destroy();
    await dispatcherDb.destroy();
    await api.close();
    await emulator.stop();
  }
}

/** Exactly N runs created for the N rows; N invoices paid by N succeeded payments, none failed; the emulator charged exactly those. */
async function verify(n: number, emulator: StripeEmulator, api: TriggerApiStandIn): Promise<void> {
  const runs = api.triggers.filter((t) => t.taskId === "billing-run");
  const payloads = new Set(runs.map((t) => JSON.stringify(t.payload)));
  if (runs.length !== n || payloads.size !== n) throw new Error(`stand-in: ${runs.length} billing-run runs for ${payloads.size} distinct runs, expected ${n}`);
  const batch = await checkBatch(admin);
  const expected = { invoices: n, paid: n, paidAmount: n * UNIT_AMOUNT, payments: n, succeededPayments: n, runsSucceeded: n, periods: n };
  if (JSON.stringify(batch) !== JSON.stringify(expected)) throw new Error(`billed wrongly: ${JSON.stringify(batch)}, expected ${JSON.stringify(expected)}`);
  const failed = await adminDb.selectFrom("payments").select("id").where("status", "=", "failed").execute();
  if (failed.length > 0) throw new Error(`${failed.length} payments recorded as failed`);
  const charges = emulator.charges().filter((c) => c.status === "succeeded");
  if (charges.length !== n) throw new Error(`emulator: ${charges.length} succeeded charges, expected ${n}`);
}

const s = (ms: number) => `${(ms / 1_000).toFixed(1)} s`;
console.log(`production limits bench (${new Date().toISOString().slice(0, 10)}), load ${loadavg().map((l) => l.toFixed(2)).join(" ")}`);
for (const line of machineLines()) console.log(`  ${line}`);
let belowFloor = false;
for (const n of SIZES) {
  const rounds: Measurement[] = [];
  for (let i = 0; i < (n > 2_000 ? RUNS_LARGE : RUNS); i++) {
    const m = await measure(n);
    rounds.push(m);
    console.log(
      `  N=${n} round ${i + 1}: ${s(m.ms)} (ideal ${s(m.idealMs)}, ×${(m.ms / m.idealMs).toFixed(3)}); dispatch ${s(m.dispatchMs)} (ideal ${s(m.idealDispatchMs)}) in ${m.batches} batches; 429s: Stripe ${m.stripe429s}, Trigger.dev ${m.trigger429s}; load ${loadavg()[0]!.toFixed(2)}`,
    );
  }
  const ratio = median(rounds.map((m) => m.ms / m.idealMs));
  console.log(
    `N=${n}: median ${s(median(rounds.map((m) => m.ms)))} against the limit-bound ideal ${s(rounds[0]!.idealMs)} (charges ${s(rounds[0]!.idealChargeMs)}, dispatch ${s(rounds[0]!.idealDispatchMs)}): ×${ratio.toFixed(3)}; dispatch median ${s(median(rounds.map((m) => m.dispatchMs)))}`,
  );
  if (ratio > FLOOR_RATIO) belowFloor = true;
}
await admin.end();
await pg.stop();
if (belowFloor) {
  console.log(`below the floor: more than ${Math.round((FLOOR_RATIO - 1) * 100)} % over the limit-bound ideal`);
  if (process.env.BENCH_STRICT === "1") process.exit(2);
}
