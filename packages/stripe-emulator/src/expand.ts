import { invalidParam } from "./errors.ts";
import type { Json } from "./objects.ts";
import { clone, type State } from "./state.ts";

function objectById(state: State, id: string): Json | undefined {
  const prefix = id.slice(0, id.indexOf("_"));
  const maps: Record<string, Map<string, Json> | undefined> = {
    cus: state.customers,
    pi: state.paymentIntents,
    ch: state.charges,
    re: state.refunds,
    seti: state.setupIntents,
  };
  if (prefix === "pm") return state.paymentMethods.get(id)?.object;
  return maps[prefix]?.get(id);
}

/** Stripe's `expand[]`: each dotted path whose value is an id becomes the object; `data.x` reaches into lists. */
export function expand(state: State, body: Json, paths: readonly string[]): Json {
  for (const path of paths) {
    const walk = (node: Json | undefined, parts: string[], at: string): void => {
      if (!node || typeof node !== "object") return;
      const [head, ...rest] = parts;
      if (head === undefined) return;
      if (head === "data" && Array.isArray(node.data) && rest.length > 0) {
        for (const item of node.data as Json[]) walk(item, rest, at);
        return;
      }
      if (!Object.hasOwn(node, head)) {
        throw invalidParam("expand", `This property cannot be expanded (${at}${head}).`, "parameter_invalid_string");
      }
      // A nested path expands the ids on its way, as Stripe does (`latest_charge.payment_intent`).
      const value = node[head];
      if (typeof value === "string") {
        const object = objectById(state, value);
        if (!object) throw invalidParam("expand", `This property cannot be expanded (${at}${head}).`, "parameter_invalid_string");
        node[head] = clone(object);
      }
      if (rest.length > 0) walk(node[head] as Json, rest, `${at}${head}.`);
    };
    walk(body, path.split("."), "");
  }
  return body;
}
