import { expect, it } from "vitest";
import { createDb } from "@paycron/db";
import { useTestDb } from "@paycron/db/testing";
import { installLocalSupabaseTriggers } from "@paycron/webhooks";

const t = useTestDb();

it("several processes installing the dev triggers at once all succeed (no catalog collision)", async () => {
  const handles = Array.from({ length: 6 }, () => createDb({ connectionString: t.url, max: 1 }));
  try {
    const results = await Promise.allSettled(handles.map((db) => installLocalSupabaseTriggers(db)));
    expect(results.filter((r) => r.status === "rejected")).toEqual([]);
  } finally {
    await Promise.all(handles.map((db) => db.destroy()));
  }
});
