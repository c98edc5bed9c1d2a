import { it } from "vitest";
import { useTestDb } from "@paycron/db/testing";
import { writeSharedKeysAndMeet } from "../shared-keys.ts";

const t = useTestDb();

it("writes the same natural keys as the left file, at the same time, without seeing its rows", async () => {
  await writeSharedKeysAndMeet(t.db, t.serverUrl, "right", "left");
});
