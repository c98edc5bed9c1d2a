import type { StripeEmulator } from "@paycron/stripe-emulator";
import { createPrng, type Prng } from "./prng.ts";

export interface Chaos {
  /** Real milliseconds into the coming drain at which to SIGKILL the worker, or undefined. */
  killDelayMs(): number | undefined;
  /** Maybe arms the emulator's faults for the coming requests. */
  armFaults(emulator: StripeEmulator): void;
}

/** About this many worker kills drawn over a whole simulation, whatever its length (each restart costs real seconds). */
const KILLS = 8;
/** About this many bursts of emulator faults (each costs the SDK's or the task's retry delay). */
const FAULT_BURSTS = 30;

/**
 * The --chaos schedule, drawn from its own generator (the scenario's is left alone, so a chaos run
 * signs up the same customers at the same times). The kill moment is real time, so which run a
 * kill interrupts is not reproducible: the invariants must hold whatever it hits.
 */
export function createChaos(seed: number, drains: number): Chaos {
  const prng: Prng = createPrng(seed ^ 0x5eed_c4a0);
  const killChance = Math.min(0.5, KILLS / Math.max(1, drains));
  const faultChance = Math.min(0.5, FAULT_BURSTS / Math.max(1, drains));
  return {
    killDelayMs() {
      // Mostly inside the drain's work (a busy drain lasts tens of ms); a drain that ends first is
      // killed right after it, between two moments.
      return prng.chance(killChance) ? prng.int(0, 15) : undefined;
    },
    armFaults(emulator) {
      if (!prng.chance(faultChance)) return;
      // Armed for the next requests, whichever they are: the emulator records which it hit.
      if (prng.chance(0.5)) emulator.faults.failNext(prng.int(1, 2), prng.chance(0.5) ? 500 : 503);
      else emulator.faults.dropAfterCharge(1);
    },
  };
}
