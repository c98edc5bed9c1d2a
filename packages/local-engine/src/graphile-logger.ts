import { Logger as GraphileLogger } from "graphile-worker";
import type { Logger } from "@paycron/core";

/** graphile-worker's log lines as structured pino logs (its debug chatter stays at debug). */
export function graphileLogger(logger: Logger): GraphileLogger {
  const child = logger.child({ component: "graphile-worker" });
  return new GraphileLogger((scope) => (level, message, meta) => {
    const fields = { ...scope, ...meta };
    if (level === "error") child.error(fields, message);
    else if (level === "warning") child.warn(fields, message);
    else if (level === "info") child.info(fields, message);
    else child.debug(fields, message);
  });
}
