import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { ConfigError, createLogger, logFormatFromEnv, logOutputFromEnv, type LogFormat } from "../src/index.ts";
import { formatPrettyLine } from "../src/pretty-log.ts";

const TTY = { isTTY: true };
const PIPE = { isTTY: false };
const RUN_ID = "4fc971b9-00d8-4522-8270-686dd0340690";
const TIME = String.raw`\d{2}:\d{2}:\d{2}\.\d{3}`;

/** A logger writing into memory; `lines()` is what a terminal (or a file) would have received. */
function capture(options: { format?: LogFormat; colour?: boolean; level?: string } = {}) {
  let written = "";
  const destination = new Writable({
    write(chunk, _encoding, done) {
      written += String(chunk);
      done();
    },
  });
  const logger = createLogger({ name: "paycron-dev", level: options.level ?? "debug", format: options.format, colour: options.colour, destination });
  return { logger, lines: () => written.split("\n").slice(0, -1), written: () => written };
}

describe("logFormatFromEnv", () => {
  it("is pretty on a terminal and JSON on anything else when LOG_FORMAT is unset or empty", () => {
    expect(logFormatFromEnv({}, TTY)).toBe("pretty");
    expect(logFormatFromEnv({}, PIPE)).toBe("json");
    expect(logFormatFromEnv({}, {})).toBe("json");
    expect(logFormatFromEnv({ LOG_FORMAT: "" }, TTY)).toBe("pretty");
    expect(logFormatFromEnv({ LOG_FORMAT: "" }, PIPE)).toBe("json");
  });

  it("follows LOG_FORMAT when it is set, whatever the stream", () => {
    expect(logFormatFromEnv({ LOG_FORMAT: "json" }, TTY)).toBe("json");
    expect(logFormatFromEnv({ LOG_FORMAT: "json" }, PIPE)).toBe("json");
    expect(logFormatFromEnv({ LOG_FORMAT: "pretty" }, PIPE)).toBe("pretty");
    expect(logFormatFromEnv({ LOG_FORMAT: "pretty" }, TTY)).toBe("pretty");
  });

  it("refuses any other LOG_FORMAT, naming the variable and the values it takes", () => {
    for (const value of ["JSON", "Pretty", " json", "json ", "yaml", "true", "1"]) {
      expect(() => logFormatFromEnv({ LOG_FORMAT: value }, TTY), value).toThrow(ConfigError);
      expect(() => logFormatFromEnv({ LOG_FORMAT: value }, PIPE), value).toThrow(/LOG_FORMAT .*expected json or pretty/);
    }
  });
});

describe("logOutputFromEnv", () => {
  it("colours pretty lines on a terminal only, and not with NO_COLOR or TERM=dumb", () => {
    expect(logOutputFromEnv({}, TTY)).toEqual({ format: "pretty", colour: true });
    expect(logOutputFromEnv({ NO_COLOR: "" }, TTY)).toEqual({ format: "pretty", colour: true });
    expect(logOutputFromEnv({ NO_COLOR: "1" }, TTY)).toEqual({ format: "pretty", colour: false });
    expect(logOutputFromEnv({ TERM: "dumb" }, TTY)).toEqual({ format: "pretty", colour: false });
    expect(logOutputFromEnv({ LOG_FORMAT: "pretty" }, PIPE)).toEqual({ format: "pretty", colour: false });
    expect(logOutputFromEnv({ LOG_FORMAT: "json" }, TTY)).toEqual({ format: "json", colour: false });
    expect(logOutputFromEnv({}, PIPE)).toEqual({ format: "json", colour: false });
  });
});

describe("createLogger({ format: 'pretty' })", () => {
  it("writes one line per event: time, level, component, task, run, message, then the other fields", () => {
    const { logger, lines } = capture({ format: "pretty" });
    const runtime = logger.child({ component: "local-runtime" });
    runtime.info({ task: "stripe-payment-intent-succeeded", runId: RUN_ID, attempt: 1, ms: 7 }, "run completed");
    runtime.warn({ task: "flaky", runId: RUN_ID, attempt: 2, err: new Error("planned failure 2\n  at the second line") }, "run failed");
    logger.info({ migrations: ["one", "two"], url: "http://127.0.0.1:3000", note: "two words" }, "paycron dev is up");
    logger.debug("debug line");

    expect(lines()).toHaveLength(4);
    const [completed, failed, up, debug] = lines();
    expect(completed).toMatch(new RegExp(`^${TIME} INFO  local-runtime task=stripe-payment-intent-succeeded run=${RUN_ID} run completed attempt=1 ms=7$`));
    // A multi-line error message stays on its line.
    expect(failed).toMatch(new RegExp(String.raw`^${TIME} WARN  local-runtime task=flaky run=${RUN_ID} run failed attempt=2 err="Error: planned failure 2\\n  at the second line"$`));
    // Without a component, the logger's name; no service/name/level/time fields repeated.
    expect(up).toMatch(new RegExp(String.raw`^${TIME} INFO  paycron-dev paycron dev is up migrations=one,two url=http://127.0.0.1:3000 note="two words"$`));
    expect(debug).toMatch(new RegExp(`^${TIME} DEBUG paycron-dev debug line$`));
  });

  it("shows the event's local time to the millisecond", () => {
    const saved = process.env.TZ;
    try {
      const entry = { level: 30, time: "2026-12-03T06:29:44.051Z", name: "paycron-dev", msg: "probe" };
      process.env.TZ = "UTC";
      expect(formatPrettyLine(entry, false)).toBe("06:29:44.051 INFO  paycron-dev probe\n");
      process.env.TZ = "Asia/Kolkata"; // UTC+05:30
      expect(formatPrettyLine(entry, false)).toBe("11:59:44.051 INFO  paycron-dev probe\n");
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });

  it("colours only when asked", () => {
    const plain = capture({ format: "pretty", colour: false });
    plain.logger.child({ component: "local-runtime" }).info({ task: "echo", runId: RUN_ID }, "run completed");
    plain.logger.error("boom");
    expect(plain.written()).not.toContain("\x1b");

    const coloured = capture({ format: "pretty", colour: true });
    coloured.logger.child({ component: "local-runtime" }).info({ task: "echo", runId: RUN_ID }, "run completed");
    coloured.logger.error("boom");
    const [info, error] = coloured.lines();
    expect(info).toContain("\x1b[32mINFO \x1b[0m");
    expect(info).toContain("\x1b[36mlocal-runtime\x1b[0m");
    expect(error).toContain("\x1b[31mERROR\x1b[0m");
    // Without the escape sequences it is the plain line.
    const untimed = (text: string) => text.replace(new RegExp(`^${TIME} `, "gm"), "");
    const sgr = new RegExp(`${"\x1b"}\\[[0-9;]*m`, "g");
    expect(untimed(coloured.written().replace(sgr, ""))).toBe(untimed(plain.written()));
  });

  it("cannot be driven by what it logs: control characters in messages, keys and values are escaped", () => {
    const { logger, lines, written } = capture({ format: "pretty", colour: false });
    logger.info({ eventType: "x\x1b[2J", "k\ney": "v", code: "\u009b31m" }, "line one\nline two\r\x07");
    expect(lines()).toHaveLength(1);
    expect(written().replace(/\n$/, "")).not.toMatch(/\p{Cc}/u);
    expect(lines()[0]).toContain(String.raw`line one\u000aline two\u000d\u0007 eventType="x\u001b[2J" k\u000aey=v code="\u009b31m"`);
  });

  it("keeps the redaction rules: secrets and payloads are censored as in JSON", () => {
    for (const format of ["pretty", "json"] as const) {
      const { logger, written } = capture({ format });
      logger.info(
        {
          req: { headers: { authorization: "Bearer sk_live_SECRET1", "stripe-signature": "t=1,v1=SIGNATURE2" } },
          config: { databaseUrl: "postgres://u:PASSWORD3@h/db", secretKey: "sk_live_SECRET4", apiKey: "KEY5" },
          event: { payload: { card: { number: "4242424242424242" } } },
          charge: { card: { last4: "4242", number: "4000000000000002" } },
        },
        "careless",
      );
      const out = written();
      for (const secret of ["SECRET1", "SIGNATURE2", "PASSWORD3", "SECRET4", "KEY5", "4242424242424242", "4000000000000002"]) {
        expect(out, `${format} leaks ${secret}`).not.toContain(secret);
      }
      expect(out.match(/\[redacted\]/g)?.length, format).toBe(7);
      if (format === "pretty") expect(out).toMatch(new RegExp(`^${TIME} INFO  paycron-dev careless req=`));
    }
  });

  it("names an error's type, code and message, and at error level where it was thrown", () => {
    const { logger, lines } = capture({ format: "pretty" });
    const error = Object.assign(new TypeError("no such card"), { code: "E_CARD" });
    logger.warn({ err: error }, "warned");
    logger.error({ err: error }, "failed");
    expect(lines()[0]).toMatch(/ warned err="TypeError E_CARD: no such card"$/);
    expect(lines()[1]).toMatch(/ failed err="TypeError E_CARD: no such card" at=\S+logger\.test\.ts:\d+:\d+$/);
  });
});
