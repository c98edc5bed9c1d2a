/*
 * Stripe's request encoding: `application/x-www-form-urlencoded` with bracket notation, as the SDK
 * writes it (qs with indexed arrays): `metadata[order]=7`, `payment_method_types[0]=card`,
 * `expand[]=latest_charge`, `a[b][c]=v`. Values stay strings; handlers coerce them.
 */

export type FormValue = string | FormValue[] | FormObject;
export interface FormObject {
  [key: string]: FormValue;
}

export class FormError extends Error {}

const FORBIDDEN = new Set(["__proto__", "constructor", "prototype"]);

function decode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, " "));
  } catch {
    throw new FormError(`malformed percent-encoding in ${JSON.stringify(text)}`);
  }
}

/** `a[b][]` → ["a", "b", ""]. */
function splitKey(key: string): string[] {
  const open = key.indexOf("[");
  if (open <= 0) return [key];
  const parts = [key.slice(0, open)];
  let rest = key.slice(open);
  while (rest.length > 0) {
    const match = /^\[([^\]]*)\]/.exec(rest);
    if (!match) throw new FormError(`malformed key ${JSON.stringify(key)}`);
    parts.push(match[1]!);
    rest = rest.slice(match[0].length);
  }
  return parts;
}

const isIndex = (segment: string) => segment === "" || /^\d{1,4}$/.test(segment);

export function parseForm(body: string): FormObject {
  const root: FormObject = {};
  if (!body) return root;
  for (const pair of body.split("&")) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    const key = decode(eq === -1 ? pair : pair.slice(0, eq));
    const value = decode(eq === -1 ? "" : pair.slice(eq + 1));
    const path = splitKey(key);
    if (path.some((p) => FORBIDDEN.has(p))) throw new FormError(`forbidden key ${JSON.stringify(key)}`);
    assign(root, path, value);
  }
  return root;
}

function assign(root: FormObject, path: string[], value: string): void {
  let container: FormObject | FormValue[] = root;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i]!;
    const last = i === path.length - 1;
    if (Array.isArray(container)) {
      if (!isIndex(segment)) throw new FormError(`mixed array and object keys at ${JSON.stringify(path.join("."))}`);
      const index: number = segment === "" ? container.length : Number(segment);
      if (last) {
        container[index] = value;
        return;
      }
      container[index] ??= isIndex(path[i + 1]!) ? [] : {};
      const next: FormValue = container[index]!;
      if (typeof next === "string") throw new FormError(`conflicting keys at ${JSON.stringify(path.join("."))}`);
      container = next;
    } else {
      if (segment === "") throw new FormError(`empty key segment in ${JSON.stringify(path.join("."))}`);
      if (last) {
        container[segment] = value;
        return;
      }
      if (!Object.hasOwn(container, segment)) container[segment] = isIndex(path[i + 1]!) ? [] : {};
      const next: FormValue = container[segment]!;
      if (typeof next === "string") throw new FormError(`conflicting keys at ${JSON.stringify(path.join("."))}`);
      if (Array.isArray(next) !== isIndex(path[i + 1]!)) throw new FormError(`mixed array and object keys at ${JSON.stringify(path.join("."))}`);
      container = next;
    }
  }
}

/** The parameters in a canonical form (keys sorted), for comparing idempotent requests. */
export function canonicalParams(value: FormValue): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? "null" : canonicalParams(v))).join(",")}]`;
  return `{${Object.keys(value)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalParams(value[k]!)}`)
    .join(",")}}`;
}
