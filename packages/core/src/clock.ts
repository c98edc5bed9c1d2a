/**
 * The only place domain code gets the time from. Billing, dunning and crons take a Clock so that
 * tests and `paycron simulate` can move time by hand.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = {
  now: () => new Date(),
};

/** A clock that only moves when told to. */
export class TestClock implements Clock {
  #ms: number;

  constructor(start: Date | string | number) {
    this.#ms = new Date(start).getTime();
    if (Number.isNaN(this.#ms)) throw new TypeError(`TestClock: invalid start time ${String(start)}`);
  }

  now(): Date {
    return new Date(this.#ms);
  }

  set(to: Date | string | number): void {
    const ms = new Date(to).getTime();
    if (Number.isNaN(ms)) throw new TypeError(`TestClock.set: invalid time ${String(to)}`);
    this.#ms = ms;
  }

  advance(ms: number): Date {
    if (!Number.isFinite(ms)) throw new TypeError(`TestClock.advance: ${ms} is not a finite number of ms`);
    this.#ms += ms;
    return this.now();
  }
}
