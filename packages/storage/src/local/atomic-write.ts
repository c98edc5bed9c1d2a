import { randomBytes } from "node:crypto";
import { link, mkdir, open, rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/**
 * Writes `bytes` to `path` so that a reader (or a crash) sees either no file or the whole file,
 * never a part: the bytes go to a temp file in the same folder (same file system, so the final
 * step is atomic), are fsynced, and only then get their name. The temp name starts with a dot,
 * which object keys may not (object-key.ts), so it can never be taken for an object.
 *
 * - `create`: `link()` gives the name only if nothing has it yet (EEXIST otherwise): two writers
 *   racing for one key cannot both believe they created it. Answers false when the name was taken.
 * - `replace`: `rename()` swaps the new file in over whatever was there.
 *
 * The temp file is removed in every case, also on failure.
 */
export async function writeFileAtomically(path: string, bytes: Uint8Array, mode: "create" | "replace"): Promise<boolean> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const temp = join(dir, `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
  let tempGone = false;
  try {
    const handle = await open(temp, "wx", 0o600);
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (mode === "replace") {
      await rename(temp, path);
      tempGone = true;
      await syncFolder(dir);
      return true;
    }
    try {
      await link(temp, path);
      await syncFolder(dir);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
      throw error;
    }
  } finally {
    if (!tempGone) await unlink(temp).catch(() => {});
  }
}

/** Makes the new name itself durable: without it a power cut can lose a rename that already returned. */
async function syncFolder(dir: string): Promise<void> {
  const handle = await open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
