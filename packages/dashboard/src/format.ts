/** Display helpers shared by the pages: times in UTC ISO form, durations, JSON. */

export function iso(date: Date | null | undefined): string {
  return date ? date.toISOString().replace("T", " ").replace(/\.\d+Z$/, "Z") : "—";
}

export function duration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  const s = ms / 1_000;
  if (s < 60) return `${s.toFixed(s < 10 ? 2 : 1)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${Math.round(s % 60)} s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${m % 60} min`;
  return `${Math.floor(h / 24)} days`;
}

/** "in 5 min" / "5 min ago", from the injected clock's now. */
export function relative(date: Date, now: Date): string {
  const ms = date.getTime() - now.getTime();
  return ms >= 0 ? `in ${duration(ms)}` : `${duration(-ms)} ago`;
}

export function json(value: unknown): string {
  return JSON.stringify(value, null, 2) ?? "null";
}

/** Minor units as a decimal amount with its currency, e.g. 1999 usd → "19.99 USD". */
export function money(minor: number | null | undefined, currency: string): string {
  if (minor === null || minor === undefined) return "—";
  const zeroDecimal = ["bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd", "vuv", "xaf", "xof", "xpf"];
  const digits = zeroDecimal.includes(currency.toLowerCase()) ? 0 : 2;
  return `${(minor / 10 ** digits).toFixed(digits)} ${currency.toUpperCase()}`;
}

export function shortId(id: string): string {
  return id.slice(0, 8);
}

/** A date from a `datetime-local`/ISO form field, or undefined when blank or unparsable. */
export function parseDateField(value: string | undefined): Date | undefined {
  if (!value?.trim()) return undefined;
  const text = /[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value}Z`;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}
