import { Writable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger, TestClock } from "@paycron/core";
import { useTestDb } from "@paycron/db/testing";
import { clearTaskDeps, createTaskDeps, installTaskDeps, runTask, triggerEngine, withCurrentRun } from "@paycron/runtime";

const t = useTestDb();
afterEach(() => clearTaskDeps());

describe("runTask on the local engine", () => {
  it("gives the task a logger whose lines name its task and run, and the same deps otherwise (lazy providers included)", async () => {
    let written = "";
    const destination = new Writable({
      write(chunk, _encoding, done) {
        written += String(chunk);
        done();
      },
    });
    const logger = createLogger({ name: "paycron-dev", destination });
    let providerBuilt = 0;
    installTaskDeps(createTaskDeps({ db: t.db, clock: new TestClock(0), logger, engine: triggerEngine({ secretKey: "tr_dev_x", baseURL: "http://127.0.0.1:9" }) }, { stripe: () => (providerBuilt++, ({}) as never) }));

    const seen = await withCurrentRun({ runId: "run-1", taskId: "stripe-payment-intent-succeeded" }, () =>
      runTask(async (deps) => {
        deps.logger.info({ webhookEventId: "evt-1" }, "webhook event acknowledged");
        const built = providerBuilt;
        void deps.stripe;
        return { db: deps.db === t.db, builtBefore: built, builtAfter: providerBuilt };
      }),
    );
    expect(seen).toEqual({ db: true, builtBefore: 0, builtAfter: 1 });
    expect(JSON.parse(written)).toMatchObject({ task: "stripe-payment-intent-succeeded", runId: "run-1", webhookEventId: "evt-1", msg: "webhook event acknowledged" });
  });
});
