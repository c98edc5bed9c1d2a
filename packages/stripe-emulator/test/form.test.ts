import { describe, expect, it } from "vitest";
import { canonicalParams, FormError, parseForm } from "@paycron/stripe-emulator";

describe("parseForm (Stripe's bracket notation)", () => {
  it("reads flat, nested, indexed and pushed keys", () => {
    expect(
      parseForm(
        "amount=4900&currency=usd&metadata[billing_run_id]=run_1&metadata[note]=a+b%26c&payment_method_types[0]=card&payment_method_types[1]=us_bank_account&expand[]=latest_charge&expand[]=customer&a[b][c]=deep",
      ),
    ).toEqual({
      amount: "4900",
      currency: "usd",
      metadata: { billing_run_id: "run_1", note: "a b&c" },
      payment_method_types: ["card", "us_bank_account"],
      expand: ["latest_charge", "customer"],
      a: { b: { c: "deep" } },
    });
  });

  it("reads arrays of objects and empty values", () => {
    expect(parseForm("items[0][price]=p1&items[0][quantity]=2&items[1][price]=p2&metadata=&description=")).toEqual({
      items: [{ price: "p1", quantity: "2" }, { price: "p2" }],
      metadata: "",
      description: "",
    });
    expect(parseForm("")).toEqual({});
    expect(parseForm("flag")).toEqual({ flag: "" });
  });

  it("refuses malformed and dangerous keys", () => {
    expect(() => parseForm("a[b=1")).toThrow(FormError);
    expect(() => parseForm("__proto__[x]=1")).toThrow(FormError);
    expect(() => parseForm("a[constructor]=1")).toThrow(FormError);
    expect(() => parseForm("a=1&a[b]=2")).toThrow(FormError);
    expect(() => parseForm("a[0]=1&a[b]=2")).toThrow(FormError);
    expect(() => parseForm("a=%E0%A4%A")).toThrow(FormError);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it("canonical parameters ignore key order but not values", () => {
    expect(canonicalParams(parseForm("a=1&b[x]=2&b[y]=3"))).toBe(canonicalParams(parseForm("b[y]=3&a=1&b[x]=2")));
    expect(canonicalParams(parseForm("a=1"))).not.toBe(canonicalParams(parseForm("a=2")));
    expect(canonicalParams(parseForm("l[0]=x&l[1]=y"))).not.toBe(canonicalParams(parseForm("l[0]=y&l[1]=x")));
  });
});
