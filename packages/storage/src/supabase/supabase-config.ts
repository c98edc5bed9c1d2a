import { z } from "zod";
import { parseEnv } from "@paycron/core";

export const DEFAULT_SUPABASE_STORAGE_BUCKET = "paycron-documents";

/** The variables of the production storage; a deployed worker parses them once (see .env.example). */
export const supabaseStorageEnvShape = {
  SUPABASE_URL: z.url({ protocol: /^https?$/, error: "set SUPABASE_URL to the project URL (https://<ref>.supabase.co)" }),
  SUPABASE_SERVICE_ROLE_KEY: z
    .string({ error: "SUPABASE_SERVICE_ROLE_KEY is required: the project's service-role key (server side only)" })
    .min(20, "SUPABASE_SERVICE_ROLE_KEY looks too short to be a service-role key"),
  SUPABASE_STORAGE_BUCKET: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]{1,62}$/, "SUPABASE_STORAGE_BUCKET: lowercase letters, digits, . _ - (3 to 63 characters)")
    .default(DEFAULT_SUPABASE_STORAGE_BUCKET),
};

export interface SupabaseStorageConfig {
  url: string;
  serviceRoleKey: string;
  bucket: string;
}

export function loadSupabaseStorageConfig(env: Record<string, string | undefined>): SupabaseStorageConfig {
  const e = parseEnv(z.object(supabaseStorageEnvShape), env, "Supabase storage");
  return { url: e.SUPABASE_URL, serviceRoleKey: e.SUPABASE_SERVICE_ROLE_KEY, bucket: e.SUPABASE_STORAGE_BUCKET };
}
