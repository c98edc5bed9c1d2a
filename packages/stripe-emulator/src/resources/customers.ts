import { invalidParam } from "../errors.ts";
import { buildCustomer, type Json } from "../objects.ts";
import { clone, type Ctx, customerOf, type Result, retrieveFrom, type Route, type State } from "../state.ts";
import { attach, resolvePaymentMethod } from "./payment-methods.ts";

function createCustomer(state: State, ctx: Ctx): Result {
  const p = ctx.params.only(["email", "name", "phone", "description", "metadata", "preferred_locales", "payment_method", "invoice_settings"]);
  const customer = buildCustomer(state.newId("cus"), ctx.now, {
    email: p.nullableString("email"),
    name: p.nullableString("name"),
    phone: p.nullableString("phone"),
    description: p.nullableString("description"),
    metadata: p.metadata(),
    preferred_locales: p.strings("preferred_locales"),
  });
  state.customers.set(customer.id, customer);
  state.emit("customer.created", customer, ctx.request);
  const pmId = p.string("payment_method");
  if (pmId) attach(state, resolvePaymentMethod(state, pmId, "payment_method", ctx), customer, ctx);
  const defaultPm = p.object("invoice_settings")?.default_payment_method;
  if (typeof defaultPm === "string") setDefaultPaymentMethod(state, customer, defaultPm);
  return { status: 200, body: customer };
}

function setDefaultPaymentMethod(state: State, customer: Json, pmId: string | null): void {
  if (pmId && state.paymentMethods.get(pmId)?.object.customer !== customer.id) {
    throw invalidParam(
      "invoice_settings[default_payment_method]",
      `The customer does not have a payment method with the ID ${pmId}. The payment method must be attached to the customer.`,
      "resource_missing",
    );
  }
  customer.invoice_settings.default_payment_method = pmId;
}

function updateCustomer(state: State, ctx: Ctx, id: string): Result {
  const p = ctx.params.only(["email", "name", "phone", "description", "metadata", "preferred_locales", "invoice_settings"]);
  const customer = customerOf(state, id);
  const before = clone(customer);
  for (const field of ["email", "name", "phone", "description"]) {
    const value = p.nullableString(field);
    if (value !== undefined) customer[field] = value;
  }
  const metadata = p.metadata(customer.metadata);
  if (metadata) customer.metadata = metadata;
  const locales = p.strings("preferred_locales");
  if (locales) customer.preferred_locales = locales;
  const settings = p.object("invoice_settings");
  if (settings && Object.hasOwn(settings, "default_payment_method")) {
    const value = settings.default_payment_method;
    if (typeof value !== "string") throw invalidParam("invoice_settings[default_payment_method]", "Invalid string");
    setDefaultPaymentMethod(state, customer, value === "" ? null : value);
  }
  state.emitUpdated("customer.updated", before, customer, ctx);
  return { status: 200, body: customer };
}

export const customerRoutes = (state: State): Route[] => [
  ["POST", /^\/v1\/customers$/, (ctx) => createCustomer(state, ctx)],
  ["GET", /^\/v1\/customers\/([^/]+)$/, retrieveFrom(state.customers, "customer")],
  ["POST", /^\/v1\/customers\/([^/]+)$/, (ctx, id) => updateCustomer(state, ctx, id)],
];
