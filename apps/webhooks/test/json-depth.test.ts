import { describe, expect, it } from "vitest";
import { jsonDepthExceeds, MAX_JSON_DEPTH } from "../src/json-depth.ts";

const bytes = (text: string) => new TextEncoder().encode(text);
const exceeds = (text: string, max: number) => jsonDepthExceeds(bytes(text), max);

describe("jsonDepthExceeds", () => {
  it("counts nested objects and arrays alike, and scalars as no depth", () => {
    expect(exceeds("1", 0)).toBe(false);
    expect(exceeds("{}", 0)).toBe(true);
    expect(exceeds('{"a":[{"b":[]}]}', 4)).toBe(false);
    expect(exceeds('{"a":[{"b":[]}]}', 3)).toBe(true);
    // Siblings do not add up: depth is the deepest point, not the number of containers.
    expect(exceeds(`[${"[],".repeat(1_000)}[]]`, 2)).toBe(false);
  });

  it("ignores brackets inside strings, through escaped quotes and backslashes", () => {
    expect(exceeds(JSON.stringify({ s: "[[[[{{{{" }), 1)).toBe(false);
    expect(exceeds(JSON.stringify({ s: '\\"[[[[' }), 1)).toBe(false);
    expect(exceeds(JSON.stringify({ s: "ends in a backslash \\", t: [[]] }), 2)).toBe(true);
    expect(exceeds(JSON.stringify({ s: "ends in a backslash \\", t: [[]] }), 3)).toBe(false);
  });

  it("reads UTF-8 bytes exactly: multi-byte characters never look like structure", () => {
    expect(exceeds(JSON.stringify({ "é[": ["ü{", "😀["] }), 2)).toBe(false);
  });

  it("scans 1,000,000 levels without recursion", () => {
    expect(exceeds("[".repeat(1_000_000) + "]".repeat(1_000_000), MAX_JSON_DEPTH)).toBe(true);
    expect(exceeds("[".repeat(MAX_JSON_DEPTH) + "]".repeat(MAX_JSON_DEPTH), MAX_JSON_DEPTH)).toBe(false);
  });
});
