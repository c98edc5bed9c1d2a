/*
 * Billing end to end: N due subscriptions billed by the hourly cron on the local engine, against
 * the same billing work done by calling the billing functions directly: the price of the engine
 * (cron, outbox, dispatch, task_runs, concurrency slots) on top of billing itself.
 *
 *   pnpm bench billing      (or: pnpm exec tsx bench/billing.bench.ts)
 *   BENCH_SIZES=1000,10000 BENCH_RUNS=3 BENCH_RUNS_LARGE=3 BENCH_STRICT=1 ...
 *
 * The world (bench/support/billing-world.ts), rebuilt for every measurement and not timed: a
 * fresh Stripe emulator (startStripeEmulator, the same TestClock as our code), N Stripe customers
 * with pm_card_visa attached created in it through the real SDK (32 requests in flight), and, in
 * Postgres, set-based inserts: one organization, one monthly 49.00 USD price, N customers with
 * their Stripe ids, N default card payment methods, N active subscriptions whose period
 * [2026-12-01, 2027-01-01) has ended, their items and those periods. Then `vacuum analyze` and
 * `checkpoint`. Inserting the ended period directly (rather than signing up at T0 and running the
 * first charges) is the same state a month of sign-ups leaves, and it leaves every step of the
 * renewal to the measured code: no run is due yet, the cron must advance every period first.
 *
 * Engine (timed from the hourly cron firing to the N-th invoice paid): startLocalRuntime at its
 * defaults (10 run bodies, its engine Db on a pool of 10, the production trigger/ tasks) with
 * providers { stripe: () => the SDK on the emulator }, its own cron loop off; the clock is moved to
 * 2027-01-01T01:00:30Z and fireDueCrons fires `hourly-cron` (as the runtime's cron loop would) →
 * sweepHourly enqueues N `subscription-advance` → each opens the next period and enqueues its
 * `billing-run` → executeBillingRun claims it, issues the invoice, creates and confirms the
 * PaymentIntent in the emulator and applies it: invoice paid. "Done" is polled every 25 ms (one
 * count of paid invoices); the hourly-cron run's completion is polled alongside (the sweep time).
 *
 * Baseline (timed the same way, on the same fresh world): no engine, no cron: the subscriptions
 * listed up front (not timed), then advanceSubscriptionPeriod for each and executeBillingRun for
 * each run it opened, by 10 workers each, i.e. the concurrency of the engine's billing-run limit
 * (stripeApiLimit, total 10, packages/runtime/src/concurrency-limits.ts) and of the local engine's
 * run bodies (10); same pool size (10), same logger (silent), same deps. The two phases are timed
 * separately; "baseline" is their sum. (advanceSubscriptionPeriod still writes its billing-run
 * outbox row: it is part of the function; nothing dispatches it.)
 *
 * Verified after every measurement (not timed), or the bench fails: N invoices, each paid in full
 * (49.00), N succeeded payments, N succeeded runs, N new active periods; the emulator's succeeded
 * charges are exactly N and are the payments' PaymentIntents, for N × 49.00; on the engine, every
 * run completed (1 hourly-cron, N subscription-advance, N billing-run), none failed.
 *
 * Per size, rounds alternate the order (engine first in odd rounds, baseline first in even ones).
 * Reported per size: wall time, billing runs/s, per-run time (wall / N), the engine over the
 * baseline (median of the rounds' own ratios), CPU of this process and of Postgres. Per-run time
 * must stay flat from 1,000 to 10,000. Floor (issue 9): 10,000 billed by the engine in ≤ 60 s
 * (median); BENCH_STRICT=1 exits 2 when it fails. The emulator runs in this process: its CPU is in
 * both sides' numbers alike.
 */
import { loadavg } from "node:os";
import { chunks, inParallel, silentLogger, systemClock, TestClock } from "@paycron/core";
import { ADVANCE_BATCH_SIZE, advanceSubscriptionPeriods, executeBillingRuns, RUN_BATCH_SIZE, type BillingDeps } from "@paycron/billing";
import { createDb, createPool, migrate } from "@paycron/db";
import { readPostmaster, startEmbeddedPostgres } from "@paycron/db/embedded";
import { fireDueCrons, startLocalRuntime } from "@paycron/local-engine";
import { createLocalStripeClient, type Stripe } from "@paycron/stripe";
import { startStripeEmulator, type StripeEmulator } from "@paycron/stripe-emulator";
import { cpuMsOf, machineLines, postgresPids } from "./support/machine.ts";
import { StatementCounter } from "./support/billing-statements.ts";
import { checkBatch, createStripeCustomers, emptyAll, paidInvoices, seedDueSubscriptions, T0, UNIT_AMOUNT } from "./support/billing-world.ts";
import { median, RUNS, sleep } from "./support/stats.ts";

const SIZES = (process.env.BENCH_SIZES ?? "1000,10000").split(",").map(Number);
/** Rounds at sizes above 1,000 (BENCH_RUNS_LARGE, default BENCH_RUNS). */
const RUNS_LARGE = Number(process.env.BENCH_RUNS_LARGE ?? RUNS);
/** The engine's billing-run limit (stripeApiLimit.total) and the local engine's run bodies. */
const CONCURRENCY = 10;
/**
 * Diagnostic only (BENCH_ENGINE_LIMIT): the billing-run task's stripe-api limit raised in the
 * loaded catalog, the run bodies staying at 10, so at most 10 billing runs still execute at once
 * but no run is requeued for finding the limit full. Isolates the cost of those requeues.
 */
const ENGINE_LIMIT = process.env.BENCH_ENGINE_LIMIT ? Number(process.env.BENCH_ENGINE_LIMIT) : undefined;
const POLL_MS = 25;
const WARM_UP = 200;
const FLOOR = { size: 10_000, seconds: 60 };
const BEFORE_TICK = new Date(T0.getTime() + 30 * 60_000);
const TICK = new Date(T0.getTime() + 60 * 60_000 + 30_000);

type Side = "engine" | "baseline";
interface Measurement {
  ms: number;
  /** Engine: the hourly-cron run completed (sweep done); baseline: every period advanced. */
  firstPhaseMs: number;
  nodeCpuMs: number;
  postgresCpuMs: number;
  setupMs: number;
  /** Statements on the side's Db pool per subscription billed. */
  statementsPerRun: number;
  /** Engine: concurrency-slot claims that found the limit full (the run requeued), per subscription. */
  slotMissesPerRun: number;
  /** Checkpoints and autovacuum/autoanalyze runs that happened while it ran (read after "done"). */
  checkpoints: number;
  autovacuums: number;
}

/** Postgres background work so far: checkpoints, and autovacuum + autoanalyze runs. */
async function backgroundWork(): Promise<{ checkpoints: number; autovacuums: number }> {
  const { rows } = await admin.query<{ c: string; v: string }>(
    `select (select num_timed + num_requested from pg_stat_checkpointer) as c,
            (select coalesce(sum(autovacuum_count + autoanalyze_count), 0) from pg_stat_user_tables) as v`,
  );
  return { checkpoints: Number(rows[0]!.c), autovacuums: Number(rows[0]!.v) };
}

const pg = await startEmbeddedPostgres();
const admin = createPool({ connectionString: pg.url, max: 2, applicationName: "bench-admin" });
const adminDb = createDb(admin);
const postmasterPid = readPostmaster(pg.dataDir).pid;
const clock = new TestClock(BEFORE_TICK);

interface World {
  emulator: StripeEmulator;
  stripe: Stripe;
  setupMs: number;
}

/** A fresh emulator with n customers and cards, and our tables holding exactly their due state. */
async function freshWorld(n: number): Promise<World> {
  const t = performance.now();
  clock.set(BEFORE_TICK);
  const emulator = await startStripeEmulator({ clock, idSeed: "bench" });
  const stripe = createLocalStripeClient(emulator.url);
  const customers = await createStripeCustomers(stripe, n);
  await emptyAll(admin);
  await seedDueSubscriptions(adminDb, admin, customers);
  await admin.query("vacuum analyze");
  await admin.query("checkpoint");
  return { emulator, stripe, setupMs: performance.now() - t };
}

/** Resolves when `n` invoices are paid; `onSweepDone` the first time the hourly-cron run is seen completed. */
async function waitUntilPaid(n: number, timeoutMs: number, onSweepDone: (at: number) => void): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  let sweepSeen = false;
  for (;;) {
    const paid = await paidInvoices(admin, n);
    const now = performance.now();
    if (!sweepSeen) {
      const { rows } = await admin.query<{ n: string }>("select count(*) as n from task_runs where task_id = 'hourly-cron' and status = 'completed'");
      if (Number(rows[0]!.n) > 0) {
        sweepSeen = true;
        onSweepDone(now);
      }
    }
    if (paid >= n) return now;
    if (now > deadline) throw new Error(`engine: ${paid} of ${n} invoices paid after ${timeoutMs} ms`);
    await sleep(POLL_MS);
  }
}

async function measureEngine(n: number): Promise<Measurement> {
  const world = await freshWorld(n);
  const pool = createPool({ connectionString: pg.url, applicationName: "bench-paycron" });
  const statements = new StatementCounter();
  statements.observe(pool);
  const db = createDb(pool);
  const logger = silentLogger();
  const runtime = await startLocalRuntime({
    clock,
    connectionString: pg.url,
    db,
    logger,
    providers: { stripe: () => world.stripe },
    crons: false,
  });
  if (ENGINE_LIMIT !== undefined) {
    for (const limit of runtime.catalog.get("billing-run").concurrency.limits) (limit as { total?: number }).total = ENGINE_LIMIT;
  }
  try {
    // The cron's state as a running worker has it: the last slot before the tick already handled.
    await fireDueCrons({ db, clock, logger, catalog: runtime.catalog });
    const pids = postgresPids(postmasterPid);
    clock.set(TICK);
    const bg0 = await backgroundWork();
    statements.start();
    const [t0, node0, pg0] = [performance.now(), process.cpuUsage(), cpuMsOf(pids)];
    // At 01:00 the hourly cron fires, and so does the every-minute outbox-sweep, as on a real worker.
    await fireDueCrons({ db, clock, logger, catalog: runtime.catalog });
    let sweepAt = Number.NaN;
    const doneAt = await waitUntilPaid(n, 1_800_000, (at) => (sweepAt = at));
    statements.stop();
    const node = process.cpuUsage(node0);
    const postgresCpuMs = cpuMsOf(postgresPids(postmasterPid)) - pg0;
    const bg = await backgroundWork();
    await verifyEngineRuns(n);
    await verifyBilled(n, world.emulator);
    return {
      ms: doneAt - t0,
      firstPhaseMs: sweepAt - t0,
      nodeCpuMs: (node.user + node.system) / 1_000,
      postgresCpuMs,
      setupMs: world.setupMs,
      statementsPerRun: statements.total / n,
      slotMissesPerRun: statements.slotMisses / n,
      checkpoints: bg.checkpoints - bg0.checkpoints,
      autovacuums: bg.autovacuums - bg0.autovacuums,
    };
  } finally {
    await runtime.stop();
    await db.destroy();
    await world.emulator.stop();
  }
}

async function measureBaseline(n: number): Promise<Measurement> {
  const world = await freshWorld(n);
  const pool = createPool({ connectionString: pg.url, applicationName: "bench-baseline" });
  const statements = new StatementCounter();
  statements.observe(pool);
  const db = createDb(pool);
  const deps: BillingDeps = { db, clock, logger: silentLogger(), stripe: world.stripe };
  try {
    const subscriptions = (await db.selectFrom("subscriptions").select("id").orderBy("id").execute()).map((s) => s.id);
    const pids = postgresPids(postmasterPid);
    clock.set(TICK);
    const bg0 = await backgroundWork();
    statements.start();
    const [t0, node0, pg0] = [performance.now(), process.cpuUsage(), cpuMsOf(pids)];
    const advanced = await inParallel(chunks(subscriptions, ADVANCE_BATCH_SIZE), CONCURRENCY, (subscriptionIds) => advanceSubscriptionPeriods(deps, { subscriptionIds }));
    const runs = advanced.flat().map((advanced, i) => {
      if (advanced.outcome !== "advanced" || advanced.opened.length !== 1 || !advanced.opened[0]!.billingRunId) {
        throw new Error(`baseline: subscription ${subscriptions[i]} did not open exactly one period: ${JSON.stringify(advanced)}`);
      }
      return advanced.opened[0]!.billingRunId;
    });
    const advancedAt = performance.now();
    await inParallel(chunks(runs, RUN_BATCH_SIZE), CONCURRENCY, async (billingRunIds) => {
      for (const [i, result] of (await executeBillingRuns(deps, { billingRunIds })).entries()) {
        if (result.outcome !== "charged" || result.paymentStatus !== "succeeded") throw new Error(`baseline: run ${billingRunIds[i]}: ${JSON.stringify(result)}`);
      }
    });
    const doneAt = performance.now();
    statements.stop();
    const node = process.cpuUsage(node0);
    const postgresCpuMs = cpuMsOf(postgresPids(postmasterPid)) - pg0;
    const bg = await backgroundWork();
    await verifyBilled(n, world.emulator);
    return {
      ms: doneAt - t0,
      firstPhaseMs: advancedAt - t0,
      nodeCpuMs: (node.user + node.system) / 1_000,
      postgresCpuMs,
      setupMs: world.setupMs,
      statementsPerRun: statements.total / n,
      slotMissesPerRun: 0,
      checkpoints: bg.checkpoints - bg0.checkpoints,
      autovacuums: bg.autovacuums - bg0.autovacuums,
    };
  } finally {
    await db.destroy();
    await world.emulator.stop();
  }
}

// ---- verification (not timed) -------------------------------------------------------------------

/** Every invoice paid in full, one succeeded payment each, and the emulator charged exactly those. */
async function verifyBilled(n: number, emulator: StripeEmulator): Promise<void> {
  const batch = await checkBatch(admin);
  const expected = { invoices: n, paid: n, paidAmount: n * UNIT_AMOUNT, payments: n, succeededPayments: n, runsSucceeded: n, periods: n };
  if (JSON.stringify(batch) !== JSON.stringify(expected)) {
    throw new Error(`billed wrongly: ${JSON.stringify(batch)}, expected ${JSON.stringify(expected)}`);
  }
  const payments = await adminDb
    .selectFrom("payments")
    .select("stripe_payment_intent_id")
    .where("status", "=", "succeeded")
    .where("stripe_payment_intent_id", "not like", "pi_first_%")
    .execute();
  const ours = new Set(payments.map((p) => p.stripe_payment_intent_id));
  const charges = emulator.charges().filter((c) => c.status === "succeeded") as Array<{ payment_intent?: string; amount?: number }>;
  const matching = charges.filter((c) => c.payment_intent && ours.has(c.payment_intent));
  const amount = charges.reduce((sum, c) => sum + (c.amount ?? 0), 0);
  if (charges.length !== n || matching.length !== n || ours.size !== n || amount !== n * UNIT_AMOUNT) {
    throw new Error(`emulator: ${charges.length} succeeded charges (${matching.length} of our ${ours.size} payments' PaymentIntents, ${amount} charged), expected ${n}`);
  }
}

async function verifyEngineRuns(n: number): Promise<void> {
  // The last invoice is paid inside its run; its task_runs row completes right after.
  for (let tries = 0; ; tries++) {
    const { rows } = await admin.query<{ task_id: string; status: string; n: string }>(
      "select task_id, status, count(*) as n from task_runs group by 1, 2 order by 1, 2",
    );
    const got = Object.fromEntries(rows.filter((r) => r.task_id !== "outbox-sweep" || r.status !== "completed").map((r) => [`${r.task_id}:${r.status}`, Number(r.n)]));
    const want = {
      "billing-run-batch:completed": Math.ceil(n / RUN_BATCH_SIZE),
      "hourly-cron:completed": 1,
      "subscription-advance-batch:completed": Math.ceil(n / ADVANCE_BATCH_SIZE),
    };
    if (JSON.stringify(got) === JSON.stringify(want)) return;
    if (tries >= 200) throw new Error(`engine runs: ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
    await sleep(50);
  }
}

// ---- report -------------------------------------------------------------------------------------

const fmt = (x: number) => Math.round(x).toLocaleString("en-US");
const secs = (ms: number) => `${(ms / 1_000).toFixed(2)} s`;
const perRunMs = (m: Measurement, n: number) => m.ms / n;
const rate = (m: Measurement, n: number) => (n / m.ms) * 1_000;

try {
  await migrate(adminDb);
  const settings = (await admin.query<{ v: string }>("select format('Postgres %s, fsync %s, synchronous_commit %s', current_setting('server_version'), current_setting('fsync'), current_setting('synchronous_commit')) as v")).rows[0]!.v;
  console.log(`${systemClock.now().toISOString()} | load average ${loadavg().map((l) => l.toFixed(2)).join(" ")} | ${settings}`);
  for (const line of machineLines()) console.log(`  ${line}`);
  console.log(`sizes ${SIZES.map(fmt).join(", ")}; rounds ${RUNS} at ≤ 1,000, ${RUNS_LARGE} above; concurrency ${CONCURRENCY} both sides${ENGINE_LIMIT !== undefined ? `; DIAGNOSTIC: billing-run's stripe-api limit raised to ${ENGINE_LIMIT} in the engine (run bodies stay ${CONCURRENCY})` : ""}\n`);

  // Warm-up, not recorded: JIT, connections, graphile's schema, the task catalog's imports.
  await measureEngine(WARM_UP);
  await measureBaseline(WARM_UP);

  const summaries: Record<string, unknown>[] = [];
  const rows: string[] = [];
  let floorMet: boolean | undefined;
  for (const n of SIZES) {
    const rounds = n <= 1_000 ? RUNS : RUNS_LARGE;
    const results: Record<Side, Measurement[]> = { engine: [], baseline: [] };
    for (let round = 1; round <= rounds; round++) {
      const order: Side[] = round % 2 === 1 ? ["engine", "baseline"] : ["baseline", "engine"];
      for (const side of order) results[side].push(side === "engine" ? await measureEngine(n) : await measureBaseline(n));
      const [e, b] = [results.engine.at(-1)!, results.baseline.at(-1)!];
      console.log(
        `N=${fmt(n)} round ${round} (${order[0]} first): engine ${secs(e.ms)} = ${fmt(rate(e, n))} runs/s (sweep done at ${secs(e.firstPhaseMs)}; CPU node ${fmt(e.nodeCpuMs)} / pg ${fmt(e.postgresCpuMs)} ms) | ` +
          `baseline ${secs(b.ms)} = ${fmt(rate(b, n))} runs/s (advance ${secs(b.firstPhaseMs)}, execute ${secs(b.ms - b.firstPhaseMs)}; CPU node ${fmt(b.nodeCpuMs)} / pg ${fmt(b.postgresCpuMs)} ms) | ` +
          `statements/run engine ${e.statementsPerRun.toFixed(1)} (slot misses ${e.slotMissesPerRun.toFixed(1)}), baseline ${b.statementsPerRun.toFixed(1)} | checkpoints / autovacuums engine ${e.checkpoints} / ${e.autovacuums}, baseline ${b.checkpoints} / ${b.autovacuums} | engine/baseline time ${(e.ms / b.ms).toFixed(2)} | setup ${secs(e.setupMs)}, ${secs(b.setupMs)} | load ${loadavg()[0]!.toFixed(2)}`,
      );
    }
    const med = (side: Side, f: (m: Measurement) => number) => median(results[side].map(f));
    const ratios = results.engine.map((e, i) => Math.round((e.ms / results.baseline[i]!.ms) * 100) / 100);
    const summary = {
      n,
      rounds,
      engine: {
        ms: Math.round(med("engine", (m) => m.ms)),
        runsPerSecond: Math.round(med("engine", (m) => rate(m, n))),
        perRunMs: Math.round(med("engine", (m) => perRunMs(m, n)) * 100) / 100,
        sweepMs: Math.round(med("engine", (m) => m.firstPhaseMs)),
        perRound: results.engine.map((m) => Math.round(m.ms)),
        nodeCpuMs: Math.round(med("engine", (m) => m.nodeCpuMs)),
        postgresCpuMs: Math.round(med("engine", (m) => m.postgresCpuMs)),
        statementsPerRun: Math.round(med("engine", (m) => m.statementsPerRun) * 10) / 10,
        slotMissesPerRun: Math.round(med("engine", (m) => m.slotMissesPerRun) * 10) / 10,
      },
      baseline: {
        ms: Math.round(med("baseline", (m) => m.ms)),
        runsPerSecond: Math.round(med("baseline", (m) => rate(m, n))),
        perRunMs: Math.round(med("baseline", (m) => perRunMs(m, n)) * 100) / 100,
        advanceMs: Math.round(med("baseline", (m) => m.firstPhaseMs)),
        executeMs: Math.round(med("baseline", (m) => m.ms - m.firstPhaseMs)),
        perRound: results.baseline.map((m) => Math.round(m.ms)),
        nodeCpuMs: Math.round(med("baseline", (m) => m.nodeCpuMs)),
        postgresCpuMs: Math.round(med("baseline", (m) => m.postgresCpuMs)),
        statementsPerRun: Math.round(med("baseline", (m) => m.statementsPerRun) * 10) / 10,
      },
      engineOverBaselineTime: median(ratios),
      perRoundRatios: ratios,
    };
    summaries.push(summary);
    if (n === FLOOR.size) floorMet = summary.engine.ms <= FLOOR.seconds * 1_000;
    rows.push(
      `| ${fmt(n)} | ${rounds} | **${secs(summary.engine.ms)}** | **${fmt(summary.engine.runsPerSecond)}** | **${summary.engine.perRunMs.toFixed(2)} ms** | ${secs(summary.engine.sweepMs)} | ` +
        `${secs(summary.baseline.ms)} (${secs(summary.baseline.advanceMs)} + ${secs(summary.baseline.executeMs)}) | ${fmt(summary.baseline.runsPerSecond)} | ${summary.baseline.perRunMs.toFixed(2)} ms | ` +
        `**${summary.engineOverBaselineTime.toFixed(2)}×** (${ratios.map((r) => r.toFixed(2)).join(", ")}) | ` +
        `${fmt(summary.engine.nodeCpuMs)} / ${fmt(summary.engine.postgresCpuMs)} ms, ${fmt(summary.baseline.nodeCpuMs)} / ${fmt(summary.baseline.postgresCpuMs)} ms | ` +
        `${summary.engine.statementsPerRun} (${summary.engine.slotMissesPerRun}), ${summary.baseline.statementsPerRun} |`,
    );
  }
  console.log(JSON.stringify({ summaries, loadAverageAtEnd: loadavg() }, null, 2));
  console.log(
    [
      "",
      "| N | rounds | engine: wall | runs/s | per run | sweep done | baseline: wall (advance + execute) | runs/s | per run | engine / baseline time | CPU node / Postgres: engine, baseline | statements per run: engine (slot misses), baseline |",
      "|---|---|---|---|---|---|---|---|---|---|---|---|",
      ...rows,
      "",
      floorMet === undefined
        ? `floor (${fmt(FLOOR.size)} in ≤ ${FLOOR.seconds} s): not measured (BENCH_SIZES)`
        : `floor: ${fmt(FLOOR.size)} billed in ≤ ${FLOOR.seconds} s: ${floorMet ? "PASS" : "FAIL"}`,
    ].join("\n"),
  );
  if (floorMet === false && process.env.BENCH_STRICT === "1") process.exitCode = 2;
} finally {
  await adminDb.destroy();
  await pg.stop();
}
