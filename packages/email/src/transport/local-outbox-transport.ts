import { createHash, randomUUID } from "node:crypto";
import { mkdir, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Clock, Logger } from "@paycron/core";
import { toEml } from "./eml.ts";
import type { EmailTransport } from "./transport.ts";

export interface LocalOutboxOptions {
  /** Where the files go; createEmailTransport uses `<data dir>/emails`. */
  dir: string;
  from: string;
  clock: Clock;
  logger: Logger;
}

/**
 * The transport when no provider is configured (`pnpm dev`, tests): nothing leaves the machine.
 * Each email becomes `<template>-<key hash>.eml` (open it in a mail client) and `.html` (open it in
 * a browser). Like Resend, it is idempotent by key: the message id and file names derive from the
 * key, and a file is written whole then renamed, so a repeat rewrites the same bytes.
 */
export function createLocalOutboxTransport(options: LocalOutboxOptions): EmailTransport {
  return {
    kind: "local-outbox",
    async send(email, { idempotencyKey }) {
      const hash = createHash("sha256").update(idempotencyKey).digest("hex").slice(0, 32);
      const providerMessageId = `local_${hash}`;
      const base = join(options.dir, `${email.template.replace(/[^A-Za-z0-9_-]/g, "_")}-${hash}`);
      const eml = toEml({
        from: options.from,
        to: email.to,
        subject: email.subject,
        html: email.html,
        text: email.text,
        date: options.clock.now(),
        messageId: providerMessageId,
        headers: { "X-Paycron-Template": email.template, "X-Paycron-Idempotency-Key": idempotencyKey },
      });
      await mkdir(options.dir, { recursive: true });
      await writeWhole(`${base}.eml`, eml);
      await writeWhole(`${base}.html`, email.html);
      options.logger.info({ template: email.template, providerMessageId, file: `${base}.eml` }, "email written to the local outbox");
      return { providerMessageId };
    },
  };
}

/** Write then rename: a reader (or a crash) never sees half a file, and concurrent repeats do not interleave. */
async function writeWhole(path: string, content: string): Promise<void> {
  const temporary = `${path}.${randomUUID()}.tmp`;
  await writeFile(temporary, content, "utf8");
  await rename(temporary, path);
}
