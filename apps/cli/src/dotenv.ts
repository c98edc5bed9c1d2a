import { readFileSync } from "node:fs";
import { parseEnv } from "node:util";

/**
 * Loads a `.env` file into `env`. What the environment already has wins, even when empty: an
 * empty variable means unset everywhere in Paycron, so `DATABASE_URL= pnpm dev` runs on the
 * embedded database whatever .env says. An empty value in the file sets nothing. Returns the
 * names it set; a missing file sets none.
 */
export function loadDotenv(file: string, env: NodeJS.ProcessEnv = process.env): string[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const set: string[] = [];
  for (const [name, value] of Object.entries(parseEnv(text))) {
    if (value === "" || env[name] !== undefined) continue;
    env[name] = value;
    set.push(name);
  }
  return set;
}
