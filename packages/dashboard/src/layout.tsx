/** @jsxImportSource hono/jsx */
import type { Child } from "hono/jsx";
import { raw } from "hono/html";

export const BASE = "/dashboard";

/*
 * One stylesheet and one small script, inline: nothing to build, nothing fetched. Colours follow
 * the system's light or dark preference; tables scroll sideways in a narrow window instead of
 * squeezing; every control is a link, button or form field, so the keyboard reaches it in order.
 */
const CSS = `
:root { color-scheme: light dark; --bg: #fff; --fg: #1b1f24; --muted: #5b636e; --line: #d5d9de; --panel: #f5f6f8;
  --accent: #0b5cad; --ok: #1a7f37; --bad: #c62828; --warn: #9a6700; --info: #0b5cad; }
@media (prefers-color-scheme: dark) { :root { --bg: #0f1216; --fg: #e6e9ed; --muted: #9aa4b0; --line: #2d333b; --panel: #171b21;
  --accent: #6cb6ff; --ok: #57d364; --bad: #ff7b72; --warn: #e3b341; --info: #6cb6ff; } }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; background: var(--bg); color: var(--fg); }
a { color: var(--accent); }
a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, textarea:focus-visible, summary:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
.skip { position: absolute; left: -999px; } .skip:focus { left: 8px; top: 8px; background: var(--bg); padding: 4px 8px; z-index: 2; }
header { display: flex; flex-wrap: wrap; gap: 4px 16px; align-items: center; padding: 8px 16px; border-bottom: 1px solid var(--line); background: var(--panel); }
header strong { margin-right: 8px; }
nav { display: flex; flex-wrap: wrap; gap: 4px 12px; }
nav a { text-decoration: none; padding: 2px 4px; border-radius: 4px; }
nav a[aria-current="page"] { background: var(--accent); color: var(--bg); }
main { padding: 12px 16px 48px; max-width: 1400px; }
h1 { font-size: 1.35rem; margin: 4px 0 12px; } h2 { font-size: 1.1rem; margin: 20px 0 8px; }
.table { overflow-x: auto; border: 1px solid var(--line); border-radius: 6px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; white-space: nowrap; }
td.wrap { white-space: normal; word-break: break-word; }
th { font-weight: 600; background: var(--panel); }
tr:last-child td { border-bottom: 0; }
.muted { color: var(--muted); }
.mono, code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
pre { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 8px; overflow: auto; max-height: 420px; margin: 0; }
.status { display: inline-block; padding: 0 6px; border-radius: 10px; border: 1px solid currentColor; font-size: 12px; }
.s-completed, .s-processed, .s-succeeded, .s-paid, .s-sent, .s-active { color: var(--ok); }
.s-failed, .s-aborted, .s-past_due, .s-uncollectible, .s-unpaid { color: var(--bad); }
.s-retrying, .s-delayed, .s-awaiting_payment, .s-unhandled, .s-pending, .s-open, .s-incomplete, .s-scheduled { color: var(--warn); }
.s-executing, .s-queued, .s-received, .s-in_progress { color: var(--info); }
.s-canceled, .s-ignored, .s-void, .s-draft { color: var(--muted); }
form.filters { display: flex; flex-wrap: wrap; gap: 8px; align-items: flex-end; margin-bottom: 12px; }
label { display: flex; flex-direction: column; gap: 2px; font-size: 12px; color: var(--muted); }
label.inline { flex-direction: row; align-items: center; gap: 4px; }
input, select, textarea, button { font: inherit; color: var(--fg); background: var(--bg); border: 1px solid var(--line); border-radius: 4px; padding: 4px 6px; }
textarea { width: 100%; min-height: 8em; font-family: ui-monospace, monospace; font-size: 12.5px; }
button { cursor: pointer; background: var(--panel); } button.primary { background: var(--accent); color: var(--bg); border-color: var(--accent); }
button.danger { color: var(--bad); border-color: var(--bad); }
.field { margin: 8px 0; } .field > label { color: var(--fg); font-size: 13px; }
.error { color: var(--bad); margin: 2px 0 0; } .error ul { margin: 2px 0; padding-left: 18px; }
[aria-invalid="true"] { border-color: var(--bad); }
.notice { padding: 6px 10px; border-radius: 6px; border: 1px solid var(--ok); color: var(--ok); margin-bottom: 12px; }
.notice.bad { border-color: var(--bad); color: var(--bad); }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 0; }
dl.facts dt { color: var(--muted); } dl.facts dd { margin: 0; word-break: break-word; }
.actions { display: flex; flex-wrap: wrap; gap: 8px; margin: 8px 0 16px; } .actions form { margin: 0; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: 12px; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; }
.pager { display: flex; gap: 12px; margin-top: 8px; }
.counts span { margin-right: 8px; }
ul.tree { list-style: none; margin: 0; padding-left: 18px; border-left: 1px solid var(--line); } nav > ul.tree { padding-left: 0; border: 0; }
ul.tree li { margin: 3px 0; }
.timeline { position: relative; height: 14px; margin: 4px 0 8px; background: var(--panel); border: 1px solid var(--line); border-radius: 4px; overflow: hidden; }
.timeline .bar { position: absolute; top: 0; bottom: 0; border-radius: 2px; }
.b-completed { background: var(--ok); } .b-failed { background: var(--bad); } .b-executing { background: var(--info); }
@media (max-width: 640px) { main { padding: 8px; } dl.facts { grid-template-columns: 1fr; } dl.facts dt { margin-top: 6px; } }
`;

/*
 * Progressive enhancement, nothing more: without it every page works (refresh by hand).
 * - [data-live]: while the server marks the region live (runs in motion), it is re-fetched every
 *   2 s and swapped in place, only while the tab is visible.
 * - "/" focuses the page's search field; "g r|t|w|b" go to runs, tasks, webhook events, billing.
 */
const SCRIPT = `
(() => {
  const live = () => document.querySelector("[data-live='on']");
  const tick = async () => {
    const region = live();
    if (!region || document.visibilityState !== "visible") return;
    if (region.contains(document.activeElement) && document.activeElement !== document.body) return;
    try {
      const res = await fetch(location.href, { headers: { "x-dashboard-live": "1" }, credentials: "same-origin" });
      if (!res.ok) return;
      const doc = new DOMParser().parseFromString(await res.text(), "text/html");
      const next = doc.getElementById(region.id);
      if (next) { region.replaceWith(next); }
    } catch {}
  };
  setInterval(tick, 2000);
  let g = false;
  document.addEventListener("keydown", (e) => {
    const t = e.target;
    if (e.ctrlKey || e.metaKey || e.altKey || (t && /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    if (e.key === "/") { const q = document.querySelector("[data-search]"); if (q) { e.preventDefault(); q.focus(); } return; }
    if (g) { g = false; const to = { r: "runs", t: "tasks", w: "events", b: "billing" }[e.key]; if (to) location.href = "${BASE}/" + to; return; }
    if (e.key === "g") { g = true; setTimeout(() => (g = false), 1000); }
  });
})();
`;

export type Section = "runs" | "tasks" | "events" | "billing";

const SECTIONS: Array<[Section, string]> = [
  ["runs", "Runs"],
  ["tasks", "Tasks"],
  ["events", "Webhook events"],
  ["billing", "Billing"],
];

export function Page(props: { title: string; section?: Section; notice?: { text: string; bad?: boolean } | undefined; children?: Child }) {
  return (
    <>
      {raw("<!doctype html>")}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="color-scheme" content="light dark" />
          <title>{`${props.title} · Paycron`}</title>
          <style>{raw(CSS)}</style>
        </head>
        <body>
          <a class="skip" href="#main">
            Skip to content
          </a>
          <header>
            <strong>Paycron</strong>
            <nav aria-label="Sections">
              {SECTIONS.map(([id, label]) => (
                <a href={`${BASE}/${id}`} aria-current={props.section === id ? "page" : undefined}>
                  {label}
                </a>
              ))}
            </nav>
          </header>
          <main id="main">
            {props.notice ? (
              <p class={props.notice.bad ? "notice bad" : "notice"} role="status">
                {props.notice.text}
              </p>
            ) : null}
            {props.children}
          </main>
          <script>{raw(SCRIPT)}</script>
        </body>
      </html>
    </>
  );
}

export function Status(props: { status: string }) {
  return <span class={`status s-${props.status}`}>{props.status}</span>;
}

export function Table(props: { head: string[]; children?: Child; label?: string }) {
  return (
    <div class="table" role="region" aria-label={props.label} tabindex={0}>
      <table>
        <thead>
          <tr>
            {props.head.map((h) => (
              <th scope="col">{h}</th>
            ))}
          </tr>
        </thead>
        <tbody>{props.children}</tbody>
      </table>
    </div>
  );
}

/** A labelled select of plain values; `any` adds an empty first option of that text (no filter). */
export function SelectField(props: { label: string; name: string; options: readonly string[]; selected: string | undefined; any?: string }) {
  return (
    <label>
      {props.label}
      <select name={props.name}>
        {props.any === undefined ? null : <option value="">{props.any}</option>}
        {props.options.map((o) => (
          <option value={o} selected={props.selected === o}>
            {o}
          </option>
        ))}
      </select>
    </label>
  );
}

/** A POST button: its own small form, so it works without script. */
export function PostButton(props: { action: string; label: string; danger?: boolean; fields?: Record<string, string> }) {
  return (
    <form method="post" action={props.action}>
      {Object.entries(props.fields ?? {}).map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
      <button type="submit" class={props.danger ? "danger" : undefined}>
        {props.label}
      </button>
    </form>
  );
}
