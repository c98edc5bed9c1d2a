/**
 * The pretty log format: pino's JSON line (already redacted) turned into one short line,
 *
 *   HH:MM:SS.mmm LEVEL component task=<id> run=<id> message key=value …
 *
 * Objects are cut short (no payloads), an error shows its type, code and message (and, at error
 * and fatal, where it was thrown), and control characters are escaped so that a line stays one
 * line and cannot drive the terminal.
 */

const LEVELS: Record<number, { label: string; colour: string }> = {
  10: { label: "TRACE", colour: "90" },
  20: { label: "DEBUG", colour: "34" },
  30: { label: "INFO", colour: "32" },
  40: { label: "WARN", colour: "33" },
  50: { label: "ERROR", colour: "31" },
  60: { label: "FATAL", colour: "1;31" },
};

/** Shown in the line's fixed columns, or not at all (service and name repeat the component). */
const FIXED = new Set(["level", "time", "msg", "name", "service", "component", "task", "runId", "pid", "hostname"]);

const MAX_VALUE = 80;

export function formatPrettyLine(entry: Record<string, unknown>, colour: boolean): string {
  const paint = colour ? (code: string, text: string) => `\x1b[${code}m${text}\x1b[0m` : (_code: string, text: string) => text;
  const level = LEVELS[entry.level as number] ?? { label: String(entry.level).toUpperCase(), colour: "0" };
  const component = entry.component ?? entry.name;
  const parts = [paint("2", clockTime(entry.time)), paint(level.colour, level.label.padEnd(5))];
  if (component !== undefined) parts.push(paint("36", value(component)));
  if (entry.task !== undefined) parts.push(`${paint("2", "task=")}${paint("35", value(entry.task))}`);
  if (entry.runId !== undefined) parts.push(`${paint("2", "run=")}${paint("35", value(entry.runId))}`);
  if (typeof entry.msg === "string" && entry.msg !== "") parts.push(escapeControls(entry.msg));
  for (const [key, field] of Object.entries(entry)) {
    if (FIXED.has(key) || field === undefined) continue;
    if (key === "err" && isErrorLike(field)) {
      parts.push(`${paint("2", "err=")}${paint(level.colour, value(describeError(field)))}`);
      const at = (entry.level as number) >= 50 ? thrownAt(field.stack) : undefined;
      if (at) parts.push(`${paint("2", "at=")}${value(at)}`);
      continue;
    }
    parts.push(`${paint("2", `${escapeControls(key)}=`)}${value(field)}`);
  }
  return `${parts.join(" ")}\n`;
}

/** Local wall-clock time of the event, to the millisecond. */
function clockTime(time: unknown): string {
  const at = new Date(typeof time === "number" || typeof time === "string" ? time : Number.NaN);
  if (Number.isNaN(at.getTime())) return "--:--:--.---";
  const two = (n: number) => String(n).padStart(2, "0");
  return `${two(at.getHours())}:${two(at.getMinutes())}:${two(at.getSeconds())}.${String(at.getMilliseconds()).padStart(3, "0")}`;
}

function value(field: unknown): string {
  if (typeof field === "string") return text(field);
  if (typeof field === "number" || typeof field === "boolean" || field === null) return String(field);
  if (Array.isArray(field) && field.every((item) => item === null || typeof item !== "object")) return text(field.join(","));
  return escapeControls(cut(JSON.stringify(field) ?? String(field)));
}

/** A string as is when it reads unambiguously in key=value form, else quoted. */
function text(raw: string): string {
  const short = cut(raw);
  return /^[^\s"=\\\p{Cc}]+$/u.test(short) ? short : escapeControls(JSON.stringify(short));
}

function cut(raw: string): string {
  return raw.length > MAX_VALUE ? `${raw.slice(0, MAX_VALUE - 1)}…` : raw;
}

/** C0 and C1 controls (newlines, escape sequences) as \uXXXX: a log line never spans two lines. */
function escapeControls(raw: string): string {
  return raw.replace(/\p{Cc}/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

interface ErrorLike {
  message: string;
  type?: unknown;
  name?: unknown;
  code?: unknown;
  stack?: unknown;
}

function isErrorLike(field: unknown): field is ErrorLike {
  return typeof field === "object" && field !== null && typeof (field as { message?: unknown }).message === "string";
}

function describeError(err: ErrorLike): string {
  const type = typeof err.type === "string" ? err.type : typeof err.name === "string" ? err.name : "Error";
  const code = typeof err.code === "string" || typeof err.code === "number" ? ` ${err.code}` : "";
  return `${type}${code}: ${err.message}`;
}

/** The first frame of a stack: `file:line:column`. */
function thrownAt(stack: unknown): string | undefined {
  if (typeof stack !== "string") return undefined;
  const frame = stack.split("\n").find((line) => /^\s+at /.test(line));
  if (!frame) return undefined;
  const location = /\(([^()]+)\)\s*$/.exec(frame)?.[1] ?? frame.replace(/^\s+at\s+/, "");
  return location.replace(/^file:\/\//, "");
}

/** A pino destination that writes each JSON line it is given as a pretty line to `destination`. */
export function prettyStream(destination: { write(chunk: string): unknown; flush?: unknown }, colour: boolean) {
  return {
    write(chunk: string): void {
      let line: string;
      try {
        line = formatPrettyLine(JSON.parse(chunk) as Record<string, unknown>, colour);
      } catch {
        line = chunk;
      }
      destination.write(line);
    },
    flush(callback?: (error?: Error) => void): void {
      if (typeof destination.flush === "function") (destination.flush as (cb?: (error?: Error) => void) => void)(callback);
      else callback?.();
    },
  };
}
