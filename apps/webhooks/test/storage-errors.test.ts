import { describe, expect, it } from "vitest";
import { InboxError } from "@paycron/inbox";
import { storageFailure } from "../src/storage-errors.ts";

const systemError = (code: string) => Object.assign(new Error(`connect ${code} 127.0.0.1:5432`), { code });
const postgresError = (code: string, message = "from the server") => Object.assign(new Error(message), { code, severity: "ERROR" });

describe("storageFailure", () => {
  it.each([
    ["InboxError webhook_payload_unstorable", "payload", new InboxError("webhook_payload_unstorable", "NUL")],
    ["22P05 untranslatable character", "payload", postgresError("22P05")],
    ["54001 stack depth limit exceeded", "payload", postgresError("54001")],
    ["ECONNREFUSED", "unavailable", systemError("ECONNREFUSED")],
    ["ECONNRESET", "unavailable", systemError("ECONNRESET")],
    ["AggregateError of refused IPv6 and IPv4 connects", "unavailable", new AggregateError([systemError("ECONNREFUSED"), systemError("ECONNREFUSED")], "")],
    ["Connection terminated unexpectedly", "unavailable", new Error("Connection terminated unexpectedly")],
    ["a pool timeout wrapping its cause", "unavailable", new Error("Connection terminated due to connection timeout", { cause: new Error("timeout expired") })],
    ["timeout exceeded when trying to connect", "unavailable", new Error("timeout exceeded when trying to connect")],
    ["57P01 admin shutdown", "unavailable", postgresError("57P01")],
    ["53300 too many connections", "unavailable", postgresError("53300")],
    ["40001 serialization failure", "unavailable", postgresError("40001")],
    ["25006 read-only transaction (failover)", "unavailable", postgresError("25006")],
    ["P0001 raised by a trigger", "unavailable", postgresError("P0001", "outbox unavailable")],
    ["a RangeError (stack overflow)", "ours", new RangeError("Maximum call stack size exceeded")],
    ["a TypeError", "ours", new TypeError("x is not a function")],
    ["42703 undefined column (our SQL)", "ours", postgresError("42703")],
    ["23502 not-null violation (our row)", "ours", postgresError("23502")],
    ["a message that only mentions a connection", "ours", new Error("a Connection terminated inside our text")],
    ["a thrown string", "ours", "boom"],
    ["undefined", "ours", undefined],
  ])("%s → %s", (_name, expected, error) => {
    expect(storageFailure(error)).toBe(expected);
  });
});
