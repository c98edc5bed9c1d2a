/** @jsxImportSource hono/jsx */
import { Hono, type Context } from "hono";
import { setCookie } from "hono/cookie";
import { isDomainError, type Clock, type Logger } from "@paycron/core";
import { withTransaction, type Db, type TaskRunStatus, type WebhookEventStatus, type WebhookProvider } from "@paycron/db";
import {
  buildSampleSupabasePayload,
  InboxError,
  replayWebhookEvents,
  STRIPE_EVENT_ROUTES,
  SUPABASE_SAMPLE_EVENTS,
  supabaseEventKey,
  supabaseWebhookPayload,
} from "@paycron/inbox";
import { buildSampleStripeEvent, SAMPLE_STRIPE_EVENT_TYPES } from "@paycron/stripe";
import { cancelRun, replayRun } from "@paycron/local-engine";
import { enqueueUnchecked, parseDuration } from "@paycron/runtime";
import { checkTriggerPayload, type TaskCatalog } from "@paycron/runtime/catalog";
import { parseDateField } from "./format.ts";
import { isAuthorized, isLoopbackHost, refuseCrossSite, sameSecret, SECURITY_HEADERS, SESSION_COOKIE, sessionValue } from "./guard.ts";
import { BASE } from "./layout.tsx";
import { BillingPage, CustomerPage, EmailPage } from "./pages/billing.tsx";
import { EventPage, EventsPage } from "./pages/events.tsx";
import { LoginPage, MessagePage } from "./pages/login.tsx";
import { SendEventPage } from "./pages/send-event.tsx";
import { RunPage, RunsPage } from "./pages/runs.tsx";
import { TaskPage, TasksPage, type TriggerForm } from "./pages/tasks.tsx";
import { customerView, dueBillingRuns, emailView, findCustomers, pastDueSubscriptions, recentBillingRuns, recentEmails, recentInvoices } from "./queries/billing.ts";
import { isUuid } from "./queries/cursor.ts";
import { RUN_STATUSES, runsPage, runView, type RunsQuery } from "./queries/runs.ts";
import { examplePayload, taskViews } from "./queries/tasks.ts";
import { EVENT_STATUSES, eventsPage, eventTypes, eventView, PROVIDERS } from "./queries/webhook-events.ts";

/** Every Stripe type Paycron routes or has a sample of (what `paycron webhook send` knows). */
const STRIPE_TEST_EVENT_TYPES = [...new Set<string>([...SAMPLE_STRIPE_EVENT_TYPES, ...Object.keys(STRIPE_EVENT_ROUTES)])].sort();

function findStoredEvent(db: Db, provider: WebhookProvider, providerEventId: string) {
  return db.selectFrom("webhook_events").select("id").where("provider", "=", provider).where("provider_event_id", "=", providerEventId).executeTakeFirst();
}

export interface DashboardDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  /**
   * When set, every page and every write needs it: `Authorization: Bearer <token>` or the cookie
   * /dashboard/login sets. A deployed webhook app mounts the dashboard only with DASHBOARD_TOKEN.
   */
  token?: string | null;
  /** The task catalog (trigger/), loaded on first use: it imports every task file. */
  catalog: () => Promise<TaskCatalog>;
  /**
   * Posts a body to this app's own webhook route, signed with its secrets (pnpm dev): the "send a
   * test event" form is offered only when it is given.
   */
  deliverWebhook?: (provider: WebhookProvider, body: string) => Promise<{ status: number; body: string }>;
  /** Where invoice PDFs and receipts lie: their links sign a short-lived URL there. */
  documents?: DocumentSigner;
}

/** What the dashboard needs of a document storage (@paycron/storage's Storage has it). */
export interface DocumentSigner {
  signedUrl(key: string, options: { expiresInSeconds: number }): Promise<{ url: string }>;
}

/** A document link opened from the dashboard is used at once. */
const DOCUMENT_LINK_SECONDS = 300;

/** What a successful action says on the page it redirects to (fixed texts: nothing from the URL is shown). */
const NOTICES: Record<string, string> = {
  triggered: "Run triggered.",
  existing: "A run with this idempotency key already exists: this is it.",
  replayed: "Replay enqueued: this is the new run.",
  canceled: "Run canceled.",
  reprocessed: "Event re-opened: a new run of its task is on its way.",
  sent: "Test event delivered and stored.",
  duplicate: "The app already had this event (same id): it stored nothing and started no run.",
};

const notice = (c: Context) => {
  const text = NOTICES[c.req.query("notice") ?? ""];
  return text ? { text } : undefined;
};

/**
 * The local dashboard, a Hono sub-app mounted at /dashboard: server-rendered pages over the same
 * functions as the CLI (listRunsPage/showRun, replayRun, cancelRun, enqueueUnchecked after
 * checkTriggerPayload, replayWebhookEvents). Cross-site writes are refused first, then the token
 * is checked for everything but /login.
 */
export function dashboardRoutes(deps: DashboardDeps) {
  const app = new Hono();
  const token = deps.token || undefined;
  const read = { db: deps.db, clock: deps.clock };

  app.use("*", async (c, next) => {
    await next();
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) if (!c.res.headers.has(name)) c.res.headers.set(name, value);
  });
  app.use("*", async (c, next) => {
    if (token || isLoopbackHost(c)) return next();
    return c.html(<MessagePage title="Refused" message="Without DASHBOARD_TOKEN the dashboard answers on localhost only." />, 403);
  });
  app.use(
    "*",
    refuseCrossSite((c) => c.html(<MessagePage title="Refused" message="Cross-site or non-form write refused: dashboard actions are posted by its own forms only." />, 403)),
  );
  app.use("*", async (c, next) => {
    if (c.req.path === `${BASE}/login` || isAuthorized(c, token)) return next();
    return c.html(<LoginPage />, 401);
  });

  app.onError((error, c) => {
    if (isDomainError(error) && ["INVALID_RUN_ID", "RUN_NOT_FOUND", "UNKNOWN_TASK", "INVALID_CURSOR"].includes(error.code)) {
      return c.html(<MessagePage title="Not found" message={error.message} />, error.code === "INVALID_CURSOR" ? 400 : 404);
    }
    deps.logger.error({ err: error.message, stack: error.stack, path: c.req.path }, "dashboard error");
    return c.html(<MessagePage title="Something went wrong" message="The dashboard could not render this page; the server log has the details." />, 500);
  });

  // --- sign-in -------------------------------------------------------------------------------
  const signIn = (c: Context, given: string | undefined) => {
    if (!token) return c.redirect(`${BASE}/runs`, 303);
    if (given === undefined) return c.html(<LoginPage />, 401);
    if (!sameSecret(given, token)) return c.html(<LoginPage wrong />, 401);
    setCookie(c, SESSION_COOKIE, sessionValue(token), { httpOnly: true, sameSite: "Strict", path: BASE, secure: new URL(c.req.url).protocol === "https:" });
    return c.redirect(`${BASE}/runs`, 303);
  };
  app.get("/login", (c) => signIn(c, c.req.query("token")));
  app.post("/login", async (c) => {
    const form = await c.req.parseBody();
    return signIn(c, typeof form.token === "string" ? form.token : "");
  });

  app.get("/", (c) => c.redirect(`${BASE}/runs`, 302));

  // --- documents ---------------------------------------------------------------------------------
  // Signs a key only when an invoice records it: the dashboard never hands out an arbitrary path.
  app.get("/documents/*", async (c) => {
    const key = c.req.path.slice(`${BASE}/documents/`.length);
    if (!deps.documents) return c.html(<MessagePage title="Not available" message="This app has no document storage configured." />, 404);
    const recorded = await deps.db
      .selectFrom("invoices")
      .select("id")
      .where((eb) => eb.or([eb("pdf_object", "=", key), eb("receipt_object", "=", key)]))
      .executeTakeFirst();
    if (!recorded) return c.html(<MessagePage title="Not found" message="No invoice has this document." />, 404);
    const { url } = await deps.documents.signedUrl(key, { expiresInSeconds: DOCUMENT_LINK_SECONDS });
    return c.redirect(url, 302);
  });

  // --- runs --------------------------------------------------------------------------------------
  app.get("/runs", async (c) => {
    const q = c.req.query();
    const status = RUN_STATUSES.includes(q.status as TaskRunStatus) ? (q.status as TaskRunStatus) : undefined;
    const query: RunsQuery = {
      task: q.task || undefined,
      status,
      since: parseDateField(q.since),
      until: parseDateField(q.until),
      key: q.key || undefined,
      q: q.q || undefined,
      routine: q.routine === "1",
      after: q.after || undefined,
    };
    const [page, catalog] = await Promise.all([runsPage(read, query), deps.catalog()]);
    return c.html(<RunsPage runs={page.runs} next={page.next} query={query} tasks={[...catalog.tasks.keys()].sort()} now={deps.clock.now()} notice={notice(c)} />);
  });

  app.get("/runs/:id", async (c) => {
    const id = c.req.param("id");
    const view = await runView(read, id);
    if (!view) return c.html(<MessagePage title="Not found" message={`No run ${id}.`} />, 404);
    // An outbox id (a delayed or just-triggered run) names its run once dispatched: go to its own page.
    if (view.run.id !== id) return c.redirect(`${BASE}/runs/${view.run.id}${c.req.query("notice") ? `?notice=${encodeURIComponent(c.req.query("notice")!)}` : ""}`, 302);
    return c.html(<RunPage view={view} now={deps.clock.now()} notice={notice(c)} />);
  });

  app.post("/runs/:id/replay", async (c) => {
    const id = c.req.param("id");
    try {
      const replayed = await replayRun(read, id);
      return c.redirect(`${BASE}/runs/${replayed.outboxId}?notice=replayed`, 303);
    } catch (error) {
      if (isDomainError(error) && error.code === "RUN_NOT_REPLAYABLE") return refusedOn(c, id, error.message);
      throw error;
    }
  });

  app.post("/runs/:id/cancel", async (c) => {
    const id = c.req.param("id");
    const outcome = await cancelRun(read, id);
    if (!outcome.canceled) return refusedOn(c, outcome.runId, `Not canceled: ${outcome.reason}.`);
    return c.redirect(`${BASE}/runs/${outcome.runId}?notice=canceled`, 303);
  });

  async function refusedOn(c: Context, id: string, message: string) {
    const view = await runView(read, id);
    if (!view) return c.html(<MessagePage title="Not found" message={message} />, 404);
    return c.html(<RunPage view={view} now={deps.clock.now()} notice={{ text: message, bad: true }} />, 409);
  }

  // --- tasks -------------------------------------------------------------------------------------
  app.get("/tasks", async (c) => {
    const catalog = await deps.catalog();
    return c.html(<TasksPage tasks={await taskViews({ ...read, catalog })} now={deps.clock.now()} />);
  });

  const taskPage = async (c: Context, taskId: string, form: TriggerForm | undefined, status: 200 | 422 = 200) => {
    const catalog = await deps.catalog();
    if (!catalog.has(taskId)) return c.html(<MessagePage title="Not found" message={`No task ${taskId} under trigger/.`} />, 404);
    const [task] = await taskViews({ ...read, catalog }, taskId);
    const runs = await runsPage(read, { task: taskId });
    const initial: TriggerForm = form ?? { payload: JSON.stringify(examplePayload(task!.jsonSchema), null, 2), key: "", delay: "", concurrencyKey: "" };
    return c.html(<TaskPage task={task!} runs={runs.runs.slice(0, 20)} form={initial} now={deps.clock.now()} notice={notice(c)} />, status);
  };

  app.get("/tasks/:id", (c) => taskPage(c, c.req.param("id"), undefined));

  app.post("/tasks/:id/trigger", async (c) => {
    const taskId = c.req.param("id");
    const body = await c.req.parseBody();
    const field = (name: string) => (typeof body[name] === "string" ? (body[name] as string) : "");
    const form: TriggerForm = { payload: field("payload"), key: field("key").trim(), delay: field("delay").trim(), concurrencyKey: field("concurrencyKey").trim() };
    const catalog = await deps.catalog();
    if (!catalog.has(taskId)) return c.html(<MessagePage title="Not found" message={`No task ${taskId} under trigger/.`} />, 404);
    if (catalog.get(taskId).kind === "schedule") {
      return c.html(<MessagePage title="Not triggered" message={`${taskId} is a scheduled task: its crons start it.`} />, 409);
    }

    if (form.delay) {
      try {
        parseDuration(form.delay);
      } catch (error) {
        form.delayError = (error as Error).message;
      }
    }
    let payload: unknown;
    try {
      payload = JSON.parse(form.payload || "{}");
    } catch (error) {
      form.jsonError = (error as Error).message;
    }
    if (!form.jsonError) {
      const checked = await checkTriggerPayload(catalog, taskId, payload);
      if (!checked.ok) form.issues = checked.issues;
    }
    if (form.jsonError || form.issues || form.delayError) return taskPage(c, taskId, form, 422);

    // Committed through the outbox like every enqueue; the dispatcher (pnpm dev's, or the
    // deployed app's) is woken by its NOTIFY at commit and hands it to the engine.
    const enqueued = await withTransaction(deps.db, (tx) =>
      enqueueUnchecked(tx, taskId, payload, {
        idempotencyKey: form.key || undefined,
        delay: form.delay || undefined,
        concurrencyKey: form.concurrencyKey || undefined,
        clock: deps.clock,
      }),
    );
    return c.redirect(`${BASE}/runs/${enqueued.id}?notice=${enqueued.created ? "triggered" : "existing"}`, 303);
  });

  // --- webhook events ----------------------------------------------------------------------------
  app.get("/events", async (c) => {
    const q = c.req.query();
    const query = {
      provider: PROVIDERS.includes(q.provider as WebhookProvider) ? (q.provider as WebhookProvider) : undefined,
      type: q.type || undefined,
      status: EVENT_STATUSES.includes(q.status as WebhookEventStatus) ? (q.status as WebhookEventStatus) : undefined,
      after: q.after || undefined,
    };
    const [page, types] = await Promise.all([eventsPage(deps.db, query), eventTypes(deps.db)]);
    return c.html(<EventsPage events={page.events} next={page.next} query={query} types={types} now={deps.clock.now()} canSend={Boolean(deps.deliverWebhook)} />);
  });

  const sendTypes: Record<WebhookProvider, string[]> = { stripe: STRIPE_TEST_EVENT_TYPES, supabase: [...SUPABASE_SAMPLE_EVENTS] };
  const sample = (provider: WebhookProvider, type: string) =>
    JSON.stringify(provider === "stripe" ? buildSampleStripeEvent(type, { clock: deps.clock }) : buildSampleSupabasePayload(type, { clock: deps.clock }), null, 2);

  app.get("/events/send", (c) => {
    if (!deps.deliverWebhook) return c.html(<MessagePage title="Not here" message="Test events are sent from pnpm dev's dashboard only." />, 404);
    const provider: WebhookProvider = c.req.query("provider") === "supabase" ? "supabase" : "stripe";
    const wanted = c.req.query("type") ?? "";
    const type = sendTypes[provider].includes(wanted) ? wanted : sendTypes[provider][0]!;
    return c.html(<SendEventPage form={{ provider, type, payload: sample(provider, type) }} types={sendTypes} />);
  });

  app.post("/events/send", async (c) => {
    if (!deps.deliverWebhook) return c.html(<MessagePage title="Not here" message="Test events are sent from pnpm dev's dashboard only." />, 404);
    const body = await c.req.parseBody();
    const provider: WebhookProvider = body.provider === "supabase" ? "supabase" : "stripe";
    const form = { provider, type: typeof body.type === "string" ? body.type : "", payload: typeof body.payload === "string" ? body.payload : "" };
    const refuse = (error: string) => c.html(<SendEventPage form={{ ...form, error }} types={sendTypes} />, 422);
    let parsed: unknown;
    try {
      parsed = JSON.parse(form.payload);
    } catch (error) {
      return refuse(`Not valid JSON: ${(error as Error).message}`);
    }
    // The key the app will store it under, to find it (and to tell a redelivery) afterwards.
    let eventKey: string | undefined;
    if (provider === "stripe") eventKey = typeof (parsed as { id?: unknown })?.id === "string" ? (parsed as { id: string }).id : undefined;
    else {
      const payload = supabaseWebhookPayload.safeParse(parsed);
      if (payload.success) eventKey = supabaseEventKey(payload.data);
    }
    const before = eventKey ? await findStoredEvent(deps.db, provider, eventKey) : undefined;
    const answer = await deps.deliverWebhook(provider, form.payload);
    if (answer.status !== 200) {
      const error = (JSON.parse(answer.body) as { error?: { code?: string; message?: string } }).error;
      return refuse(`The webhook app refused it (${answer.status} ${error?.code ?? ""}): ${error?.message ?? answer.body}`);
    }
    const stored = eventKey ? await findStoredEvent(deps.db, provider, eventKey) : undefined;
    if (!stored) return c.redirect(`${BASE}/events?provider=${provider}`, 303);
    return c.redirect(`${BASE}/events/${stored.id}?notice=${before ? "duplicate" : "sent"}`, 303);
  });

  const eventPage = async (c: Context, id: string, bad?: string) => {
    const found = isUuid(id) ? await eventView(deps.db, id) : undefined;
    if (!found) return c.html(<MessagePage title="Not found" message={`No webhook event ${id}.`} />, 404);
    return c.html(<EventPage event={found.event} runs={found.runs} now={deps.clock.now()} notice={bad ? { text: bad, bad: true } : notice(c)} />, bad ? 409 : 200);
  };

  app.get("/events/:id", (c) => eventPage(c, c.req.param("id")));

  app.post("/events/:id/replay", async (c) => {
    const id = c.req.param("id");
    if (!isUuid(id)) return eventPage(c, id);
    try {
      await replayWebhookEvents({ db: deps.db, clock: deps.clock, logger: deps.logger }, { id });
    } catch (error) {
      if (error instanceof InboxError) return eventPage(c, id, error.message);
      throw error;
    }
    return c.redirect(`${BASE}/events/${id}?notice=reprocessed`, 303);
  });

  // --- billing -----------------------------------------------------------------------------------
  app.get("/billing", async (c) => {
    const search = (c.req.query("customer") ?? "").trim();
    const [due, recent, pastDue, invoices, emails, customers] = await Promise.all([
      dueBillingRuns(deps.db, deps.clock),
      recentBillingRuns(deps.db),
      pastDueSubscriptions(deps.db),
      recentInvoices(deps.db),
      recentEmails(deps.db),
      search ? findCustomers(deps.db, search) : null,
    ]);
    return c.html(<BillingPage due={due} recent={recent} pastDue={pastDue} invoices={invoices} emails={emails} customers={customers} search={search} now={deps.clock.now()} />);
  });

  app.get("/customers/:id", async (c) => {
    const id = c.req.param("id");
    const view = isUuid(id) ? await customerView(deps.db, deps.clock, id) : undefined;
    if (!view) return c.html(<MessagePage title="Not found" message={`No customer ${id}.`} />, 404);
    return c.html(<CustomerPage {...view} now={deps.clock.now()} />);
  });

  app.get("/emails/:id", async (c) => {
    const id = c.req.param("id");
    const email = isUuid(id) ? await emailView(deps.db, id) : undefined;
    if (!email) return c.html(<MessagePage title="Not found" message={`No email ${id}.`} />, 404);
    return c.html(<EmailPage email={email} />);
  });

  // An email's own HTML, for the sandboxed frame on its page: no script, nothing fetched, framed by the dashboard only.
  app.get("/emails/:id/html", async (c) => {
    const id = c.req.param("id");
    const email = isUuid(id) ? await emailView(deps.db, id) : undefined;
    if (!email?.html) return c.html(<MessagePage title="Not found" message={`No HTML for email ${id}.`} />, 404);
    return c.html(email.html, 200, {
      "content-security-policy": "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'; frame-ancestors 'self'",
      "x-frame-options": "SAMEORIGIN",
    });
  });

  return app;
}
