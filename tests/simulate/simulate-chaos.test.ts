import { describe, expect, it } from "vitest";
import { expectInvariantsHold, simulate } from "./simulate-cli.ts";

/*
 * --chaos: the worker runs as a child process, SIGKILLed and restarted at random moments, while
 * the emulator fails requests with 5xx and drops connections after making the charge. Shorter
 * than the year-long run: each restart costs real seconds (a run's lease must lapse).
 */
describe("paycron simulate --chaos", () => {
  it("keeps every invariant through worker kills and Stripe faults, with one charge per succeeded payment", async () => {
    const { code, report } = await simulate(["--customers", "20", "--months", "1", "--decline-rate", "0.2", "--seed", "11", "--chaos"]);

    expectInvariantsHold(report);
    expect(report.chaos).toBeDefined();
    const chaos = report.chaos!;
    expect(chaos.workerKills).toBeGreaterThan(0);
    expect(chaos.failedRequests + chaos.droppedAfterCharge).toBeGreaterThan(0);
    // No double charge, no charge unaccounted for: the emulator's own count is ours.
    expect(chaos.emulatorChargesSucceeded).toBe(chaos.paymentsSucceeded);
    expect(chaos.paymentsSucceeded).toBeGreaterThan(10);
    expect(chaos.ok).toBe(true);
    expect(code).toBe(0);
  }, 600_000);
});
