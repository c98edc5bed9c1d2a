import { z } from "zod";
import { DomainError } from "@paycron/core";
import type { TaskCatalog } from "./catalog.ts";

export interface PayloadIssue {
  /** Where in the payload, e.g. ["billingRunIds", 0]; empty for the payload as a whole. */
  path: PropertyKey[];
  message: string;
}

export type PayloadCheck = { ok: true; payload: unknown } | { ok: false; issues: PayloadIssue[] };

/**
 * Whether `payload` may be triggered by hand as a run of `taskId`: what `paycron trigger` and the
 * dashboard's trigger form both check before enqueueing. An unknown task and a scheduled one (its
 * crons start it) throw; a payload the task's schema refuses comes back as issues, one per field,
 * so each caller can show them where it shows fields.
 */
export async function checkTriggerPayload(catalog: TaskCatalog, taskId: string, payload: unknown): Promise<PayloadCheck> {
  if (!catalog.has(taskId)) {
    throw new DomainError("UNKNOWN_TASK", `unknown task "${taskId}". Known tasks: ${[...catalog.tasks.keys()].sort().join(", ")}`);
  }
  const task = catalog.get(taskId);
  if (task.kind === "schedule") {
    throw new DomainError("SCHEDULED_TASK", `${taskId} is a scheduled task: its crons trigger it (or run its package function directly)`);
  }
  try {
    await task.parsePayload(payload);
    return { ok: true, payload };
  } catch (error) {
    const issues = (error as { issues?: Array<{ path: PropertyKey[]; message: string }> }).issues;
    if (Array.isArray(issues)) return { ok: false, issues: issues.map((i) => ({ path: [...i.path], message: i.message })) };
    return { ok: false, issues: [{ path: [], message: error instanceof Error ? error.message : String(error) }] };
  }
}

/** The task's payload schema as JSON Schema, or null for a task without a zod schema. */
export function payloadJsonSchema(catalog: TaskCatalog, taskId: string): Record<string, unknown> | null {
  const schema = catalog.get(taskId).schema;
  if (!(schema instanceof z.ZodType)) return null;
  try {
    return z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  } catch {
    return null;
  }
}
