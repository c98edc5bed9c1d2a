import type { MiddlewareHandler } from "hono";
import type { Logger } from "@paycron/core";
import type { AppEnv } from "../app-env.ts";
import { CLIENT_CLOSED_REQUEST } from "../http-error.ts";

/**
 * One JSON line per request, with the request id that every other line of the request also
 * carries (through the child logger routes use). Routes add event id, type and outcome via
 * `logFields`; bodies and headers are never logged. Its level follows the rule of error-status.ts.
 */
export function requestLog(logger: Logger): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    const log = logger.child({ component: "webhooks", requestId: c.get("requestId") });
    c.set("logger", log);
    c.set("logFields", {});
    await next();
    const status = c.res.status;
    const line = {
      method: c.req.method,
      path: c.req.path,
      status,
      ms: Math.round((performance.now() - started) * 100) / 100,
      ...c.get("logFields"),
    };
    // A hang-up is the client's doing and routine under load: one plain line, not an alarm.
    if (status === CLIENT_CLOSED_REQUEST) log.info(line, "client aborted the request");
    else if (status >= 500) log.error(line, "request failed");
    else if (status >= 400) log.warn(line, "request refused");
    else log.info(line, "request");
  };
}
