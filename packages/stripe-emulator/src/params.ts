import { invalidParam, StripeApiError } from "./errors.ts";
import type { FormObject, FormValue } from "./form.ts";

/** Typed reads of form parameters, answering Stripe's errors for values of the wrong kind. */
export class Params {
  constructor(readonly raw: FormObject) {}

  /** Stripe refuses parameters it does not know: a typo in the caller is an error, not a no-op. */
  only(allowed: readonly string[]): this {
    for (const key of Object.keys(this.raw)) {
      if (key !== "expand" && !allowed.includes(key)) {
        throw new StripeApiError(400, { type: "invalid_request_error", code: "parameter_unknown", message: `Received unknown parameter: ${key}`, param: key });
      }
    }
    return this;
  }

  has(name: string): boolean {
    return Object.hasOwn(this.raw, name);
  }

  string(name: string): string | undefined {
    const value: FormValue | undefined = this.raw[name];
    if (value === undefined) return undefined;
    if (typeof value !== "string") throw invalidParam(name, `Invalid string: ${name} must be a string`, "parameter_invalid_string");
    return value;
  }

  /** A string that may be emptied (`name=` unsets it): "" becomes null. */
  nullableString(name: string): string | null | undefined {
    const value = this.string(name);
    return value === "" ? null : value;
  }

  integer(name: string): number | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    if (!/^-?\d{1,15}$/.test(value)) throw invalidParam(name, `Invalid integer: ${value}`, "parameter_invalid_integer");
    return Number(value);
  }

  boolean(name: string): boolean | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    if (value !== "true" && value !== "false") throw invalidParam(name, `Invalid boolean: ${value}`, "parameter_invalid_boolean");
    return value === "true";
  }

  strings(name: string): string[] | undefined {
    const value: FormValue | undefined = this.raw[name];
    if (value === undefined) return undefined;
    if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) throw invalidParam(name, `Invalid array: ${name} must be an array of strings`, "parameter_invalid_array");
    return value as string[];
  }

  object(name: string): FormObject | undefined {
    const value: FormValue | undefined = this.raw[name];
    if (value === undefined || value === "") return undefined;
    if (typeof value !== "object" || Array.isArray(value)) throw invalidParam(name, `Invalid object: ${name} must be a hash`, "parameter_invalid_object");
    return value;
  }

  oneOf<T extends string>(name: string, values: readonly T[]): T | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    if (!(values as readonly string[]).includes(value)) {
      throw invalidParam(name, `Invalid ${name}: must be one of ${values.join(", ")}`, "parameter_invalid_string");
    }
    return value as T;
  }

  /**
   * `metadata[k]=v` pairs. On create an empty value is dropped; on update it removes the key and
   * `metadata=` clears them all (Stripe's merge rules).
   */
  metadata(current: Record<string, string> = {}): Record<string, string> | undefined {
    const value: FormValue | undefined = this.raw.metadata;
    if (value === undefined) return undefined;
    if (value === "") return {};
    if (typeof value !== "object" || Array.isArray(value)) throw invalidParam("metadata", "Invalid object: metadata must be a hash", "parameter_invalid_object");
    const next = { ...current };
    for (const [key, v] of Object.entries(value)) {
      if (typeof v !== "string") throw invalidParam(`metadata[${key}]`, "Invalid metadata value: must be a string", "parameter_invalid_string");
      if (key.length > 40) throw invalidParam(`metadata[${key}]`, "Metadata keys can have a maximum length of 40 characters.", "parameter_invalid_string");
      if (v.length > 500) throw invalidParam(`metadata[${key}]`, "Metadata values can have a maximum length of 500 characters.", "parameter_invalid_string");
      if (v === "") delete next[key];
      else next[key] = v;
    }
    if (Object.keys(next).length > 50) throw invalidParam("metadata", "You can have up to 50 metadata keys.", "parameter_invalid_object");
    return next;
  }
}
