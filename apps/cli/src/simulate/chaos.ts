import type { StripeEmulator } from "@paycron/stripe-emulator";
import { createPrng, type Prng } from "./prng.ts";

/** What --chaos did, for the report. */
export interface ChaosCounts {
  failedRequests: number;
  droppedAfterCharge: number;
}

export interface Chaos {
  /** Real milliseconds into the coming drain at which to SIGKILL the worker, or undefined. */
  killDelayMs(): number | undefined;
  /** Maybe arms the emulator's faults for the coming requests. */
  armFaults(emulator: StripeEmulator): void;
  counts: ChaosCounts;
}

/** About this many worker kills over a whole simulation, whatever its length (each restart costs real seconds). */
const KILLS = 20;
/** About this many bursts of emulator faults. */
const FAULT_BURSTS = 120;

/**
 * The --chaos schedule, drawn from its own generator (the scenario's is left alone, so a chaos run
 * signs up the same customers at the same times). The kill moment is real time, so which run a
 * kill interrupts is not reproducible: the invariants must hold whatever it hits.
 */
export function createChaos(seed: number, drains: number): Chaos {
  const prng: Prng = createPrng(seed ^ 0x5eed_c4a0);
  const killChance = Math.min(0.5, KILLS / Math.max(1, drains));
  const faultChance = Math.min(0.5, FAULT_BURSTS / Math.max(1, drains));
  const counts: ChaosCounts = { failedRequests: 0, droppedAfterCharge: 0 };
  return {
    counts,
    killDelayMs() {
      // A kill drawn for a drain that ends first does not happen: kills land where there is work.
      return prng.chance(killChance) ? prng.int(0, 40) : undefined;
    },
    armFaults(emulator) {
      if (!prng.chance(faultChance)) return;
      if (prng.chance(0.5)) {
        const n = prng.int(1, 2);
        counts.failedRequests += n;
        emulator.faults.failNext(n, prng.chance(0.5) ? 500 : 503);
      } else {
        counts.droppedAfterCharge += 1;
        emulator.faults.dropAfterCharge(1);
      }
    },
  };
}
