import { describe, expect, it } from "vitest";
import { isDomainError } from "@paycron/core";
import { periodBounds, periodContaining, type BillingCadence, type PeriodBoundsInput } from "../src/index.ts";

const iso = (d: Date) => d.toISOString();
const starts = (cadence: BillingCadence, count: number, from = 0) =>
  Array.from({ length: count }, (_, i) => iso(periodBounds({ ...cadence, index: from + i }).start));
const hours = (b: { start: Date; end: Date }) => (b.end.getTime() - b.start.getTime()) / 3_600_000;

describe("month-end anchors", () => {
  it("a Jan 31 anchor, monthly for 24 months, keeps the 31st wherever the month has one", () => {
    const cadence: BillingCadence = { anchor: new Date("2027-01-31T09:15:00Z"), interval: "month", intervalCount: 1, timezone: "UTC" };
    const days = starts(cadence, 25).map((s) => s.slice(0, 10));
    expect(days).toEqual([
      "2027-01-31", "2027-02-28", "2027-03-31", "2027-04-30", "2027-05-31", "2027-06-30",
      "2027-07-31", "2027-08-31", "2027-09-30", "2027-10-31", "2027-11-30", "2027-12-31",
      "2028-01-31", "2028-02-29", "2028-03-31", "2028-04-30", "2028-05-31", "2028-06-30",
      "2028-07-31", "2028-08-31", "2028-09-30", "2028-10-31", "2028-11-30", "2028-12-31",
      "2029-01-31",
    ]);
    // The time of day is the anchor's, every time.
    expect(starts(cadence, 25).every((s) => s.endsWith("T09:15:00.000Z"))).toBe(true);
  });

  it("a Feb 29 anchor, yearly for 8 years, is Feb 28 in common years and Feb 29 again in leap years", () => {
    const cadence: BillingCadence = { anchor: new Date("2028-02-29T00:00:00Z"), interval: "year", intervalCount: 1, timezone: "UTC" };
    expect(starts(cadence, 9).map((s) => s.slice(0, 10))).toEqual([
      "2028-02-29", "2029-02-28", "2030-02-28", "2031-02-28", "2032-02-29", "2033-02-28", "2034-02-28", "2035-02-28", "2036-02-29",
    ]);
  });

  it("a Mar 30 anchor every 3 months keeps the 30th (Jun 30, Sep 30, Dec 30, Mar 30)", () => {
    const cadence: BillingCadence = { anchor: new Date("2026-03-30T12:00:00Z"), interval: "month", intervalCount: 3, timezone: "UTC" };
    expect(starts(cadence, 5)).toEqual([
      "2026-03-30T12:00:00.000Z", "2026-06-30T12:00:00.000Z", "2026-09-30T12:00:00.000Z", "2026-12-30T12:00:00.000Z", "2027-03-30T12:00:00.000Z",
    ]);
  });

  it("a Nov 30 anchor every 3 months clamps to Feb 28 and goes back to May 30", () => {
    const cadence: BillingCadence = { anchor: new Date("2026-11-30T00:00:00Z"), interval: "month", intervalCount: 3, timezone: "UTC" };
    expect(starts(cadence, 4).map((s) => s.slice(0, 10))).toEqual(["2026-11-30", "2027-02-28", "2027-05-30", "2027-08-30"]);
  });

  it("yearly and multi-year periods keep the anchor's date and time", () => {
    const cadence: BillingCadence = { anchor: new Date("2026-07-15T08:00:00Z"), interval: "year", intervalCount: 2, timezone: "UTC" };
    expect(periodBounds({ ...cadence, index: 0 })).toEqual({ start: new Date("2026-07-15T08:00:00Z"), end: new Date("2028-07-15T08:00:00Z") });
    expect(periodBounds({ ...cadence, index: 3 }).start).toEqual(new Date("2032-07-15T08:00:00Z"));
  });

  it("negative indexes are the periods before the anchor, by the same rule", () => {
    const cadence: BillingCadence = { anchor: new Date("2026-03-31T00:00:00Z"), interval: "month", intervalCount: 1, timezone: "UTC" };
    expect(starts(cadence, 3, -2).map((s) => s.slice(0, 10))).toEqual(["2026-01-31", "2026-02-28", "2026-03-31"]);
  });
});

describe("organization timezone", () => {
  it("a month starts at local midnight in Asia/Tokyo (15:00 UTC the day before)", () => {
    // 2026-01-01 00:00 in Tokyo (UTC+9, no DST).
    const cadence: BillingCadence = { anchor: new Date("2025-12-31T15:00:00Z"), interval: "month", intervalCount: 1, timezone: "Asia/Tokyo" };
    expect(starts(cadence, 4)).toEqual([
      "2025-12-31T15:00:00.000Z", "2026-01-31T15:00:00.000Z", "2026-02-28T15:00:00.000Z", "2026-03-31T15:00:00.000Z",
    ]);
  });

  it("a month starts at local midnight in America/Los_Angeles, on either side of DST", () => {
    // 2026-01-01 00:00 PST (UTC-8); from Mar 8 the zone is PDT (UTC-7) until Nov 1.
    const cadence: BillingCadence = { anchor: new Date("2026-01-01T08:00:00Z"), interval: "month", intervalCount: 1, timezone: "America/Los_Angeles" };
    expect(starts(cadence, 13)).toEqual([
      "2026-01-01T08:00:00.000Z", "2026-02-01T08:00:00.000Z", "2026-03-01T08:00:00.000Z", "2026-04-01T07:00:00.000Z",
      "2026-05-01T07:00:00.000Z", "2026-06-01T07:00:00.000Z", "2026-07-01T07:00:00.000Z", "2026-08-01T07:00:00.000Z",
      "2026-09-01T07:00:00.000Z", "2026-10-01T07:00:00.000Z", "2026-11-01T07:00:00.000Z", "2026-12-01T08:00:00.000Z",
      "2027-01-01T08:00:00.000Z",
    ]);
  });

  it("a local month-end anchor is kept in local dates, not UTC ones", () => {
    // Jan 31 00:30 in Paris is still Jan 30 in UTC: the clamp and the 31st follow Paris.
    const cadence: BillingCadence = { anchor: new Date("2026-01-30T23:30:00Z"), interval: "month", intervalCount: 1, timezone: "Europe/Paris" };
    expect(starts(cadence, 4)).toEqual([
      "2026-01-30T23:30:00.000Z", // Jan 31 00:30 CET
      "2026-02-27T23:30:00.000Z", // Feb 28 00:30 CET
      "2026-03-30T22:30:00.000Z", // Mar 31 00:30 CEST
      "2026-04-29T22:30:00.000Z", // Apr 30 00:30 CEST
    ]);
  });

  it("daily periods in Europe/Paris last 23 hours on the spring-forward day and 25 on the fall-back day", () => {
    // Daily at local midnight from 2026-03-27; Paris springs forward on Mar 29, falls back on Oct 25.
    const spring: BillingCadence = { anchor: new Date("2026-03-26T23:00:00Z"), interval: "day", intervalCount: 1, timezone: "Europe/Paris" };
    expect([0, 1, 2, 3].map((index) => hours(periodBounds({ ...spring, index })))).toEqual([24, 24, 23, 24]);
    expect(iso(periodBounds({ ...spring, index: 3 }).start)).toBe("2026-03-29T22:00:00.000Z");
    const autumn: BillingCadence = { anchor: new Date("2026-10-23T22:00:00Z"), interval: "day", intervalCount: 1, timezone: "Europe/Paris" };
    expect([0, 1, 2].map((index) => hours(periodBounds({ ...autumn, index })))).toEqual([24, 25, 24]);
    expect(iso(periodBounds({ ...autumn, index: 2 }).start)).toBe("2026-10-25T23:00:00.000Z");
  });

  it("weekly periods in America/New_York keep local time across both DST changes (167 and 169 hours)", () => {
    // Sundays 09:00 local; New York springs forward on 2026-03-08 and falls back on 2026-11-01.
    const cadence: BillingCadence = { anchor: new Date("2026-03-01T14:00:00Z"), interval: "week", intervalCount: 1, timezone: "America/New_York" };
    expect(periodBounds({ ...cadence, index: 0 })).toEqual({ start: new Date("2026-03-01T14:00:00Z"), end: new Date("2026-03-08T13:00:00Z") });
    expect(hours(periodBounds({ ...cadence, index: 0 }))).toBe(167);
    const fall = periodContaining(new Date("2026-10-30T12:00:00Z"), cadence);
    expect(fall).toEqual({ index: 34, start: new Date("2026-10-25T13:00:00Z"), end: new Date("2026-11-01T14:00:00Z") });
    expect(hours(fall)).toBe(169);
  });

  it("every 2 weeks in Europe/Paris counts calendar days", () => {
    const cadence: BillingCadence = { anchor: new Date("2026-03-20T08:00:00Z"), interval: "week", intervalCount: 2, timezone: "Europe/Paris" };
    expect(periodBounds({ ...cadence, index: 0 }).end).toEqual(new Date("2026-04-03T07:00:00Z"));
  });

  it("a local time the clock skips is taken as far past the gap as it was into it", () => {
    // Daily at 02:30 New York time; 02:30 does not exist on 2026-03-08 (02:00 → 03:00).
    const cadence: BillingCadence = { anchor: new Date("2026-03-07T07:30:00Z"), interval: "day", intervalCount: 1, timezone: "America/New_York" };
    expect(starts(cadence, 3)).toEqual([
      "2026-03-07T07:30:00.000Z", // 02:30 EST
      "2026-03-08T07:30:00.000Z", // 03:30 EDT: the gap's 02:30, read with the offset before it
      "2026-03-09T06:30:00.000Z", // 02:30 EDT
    ]);
  });

  it("a local time the clock shows twice is its first occurrence", () => {
    // Daily at 01:30 New York time; 01:30 happens twice on 2026-11-01 (EDT, then EST).
    const cadence: BillingCadence = { anchor: new Date("2026-10-31T05:30:00Z"), interval: "day", intervalCount: 1, timezone: "America/New_York" };
    expect(starts(cadence, 3)).toEqual(["2026-10-31T05:30:00.000Z", "2026-11-01T05:30:00.000Z", "2026-11-02T06:30:00.000Z"]);
  });
});

describe("periodContaining", () => {
  const cadence: BillingCadence = { anchor: new Date("2026-01-31T10:00:00Z"), interval: "month", intervalCount: 1, timezone: "UTC" };

  it("finds the period holding an instant, start inclusive and end exclusive", () => {
    expect(periodContaining(new Date("2026-03-05T00:00:00Z"), cadence)).toEqual({
      index: 1, start: new Date("2026-02-28T10:00:00Z"), end: new Date("2026-03-31T10:00:00Z"),
    });
    expect(periodContaining(new Date("2026-03-31T10:00:00Z"), cadence).index).toBe(2);
    expect(periodContaining(new Date("2026-03-31T09:59:59.999Z"), cadence).index).toBe(1);
    expect(periodContaining(new Date("2026-01-01T00:00:00Z"), cadence).index).toBe(-1);
  });
});

describe("refused input", () => {
  const good: PeriodBoundsInput = { anchor: new Date("2026-01-31T00:00:00Z"), interval: "month", intervalCount: 1, timezone: "UTC", index: 0 };
  const refusal = (input: unknown) => {
    try {
      periodBounds(input as PeriodBoundsInput);
    } catch (error) {
      if (isDomainError(error, "invalid_period_input")) return { field: error.options.details?.field, message: error.message };
      throw error;
    }
    throw new Error("accepted");
  };

  it.each([
    ["intervalCount", { intervalCount: 0 }],
    ["intervalCount", { intervalCount: -1 }],
    ["intervalCount", { intervalCount: 1.5 }],
    ["intervalCount", { intervalCount: Number.NaN }],
    ["intervalCount", { intervalCount: "1" }],
    ["interval", { interval: "quarter" }],
    ["interval", { interval: "months" }],
    ["interval", { interval: undefined }],
    ["timezone", { timezone: "Mars/Olympus_Mons" }],
    ["timezone", { timezone: "" }],
    ["timezone", { timezone: "+01:00" }],
    ["timezone", { timezone: undefined }],
    ["anchor", { anchor: new Date("not a date") }],
    ["anchor", { anchor: "2026-01-31" }],
    ["index", { index: 0.5 }],
    ["index", { index: Number.POSITIVE_INFINITY }],
    ["index", { index: 1e12 }],
  ])("refuses a bad %s (%o), naming it", (field, patch) => {
    const { field: named, message } = refusal({ ...good, ...patch });
    expect(named).toBe(field);
    expect(message).toContain(field);
  });

  it("accepts IANA aliases and UTC", () => {
    expect(() => periodBounds({ ...good, timezone: "US/Eastern" })).not.toThrow();
    expect(() => periodBounds({ ...good, timezone: "Etc/UTC" })).not.toThrow();
  });

  it("periodContaining validates its instant too", () => {
    expect(() => periodContaining(new Date(Number.NaN), good)).toThrow(/instant must be a valid Date/);
  });
});
