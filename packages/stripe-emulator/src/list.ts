import { invalidParam } from "./errors.ts";
import type { Json } from "./objects.ts";
import type { Params } from "./params.ts";

/** Stripe's list object over `all` (newest first), with `limit` and `starting_after`. */
export function list(all: Json[], p: Params, url: string): Json {
  for (const unsupported of ["ending_before", "created"]) {
    if (p.has(unsupported)) throw invalidParam(unsupported, `The Stripe emulator does not support ${unsupported} on lists.`, "parameter_unknown");
  }
  const limit = p.integer("limit") ?? 10;
  if (limit < 1 || limit > 100) throw invalidParam("limit", "This value must be between 1 and 100.", "parameter_invalid_integer");
  let start = 0;
  const after = p.string("starting_after");
  if (after) start = all.findIndex((o) => o.id === after) + 1;
  const data = all.slice(start, start + limit);
  return { object: "list", data, has_more: start + limit < all.length, url };
}
