import { notFound } from "../errors.ts";
import { list } from "../list.ts";
import { clone, type Route, type State } from "../state.ts";

/** Delivers a recorded event again (same id and body, a fresh signature), as `stripe events resend` does. */
export function resendEvent(state: State, eventId: string): void {
  const event = state.events.find((e) => e.id === eventId);
  if (!event) throw new Error(`resendEvent: no event ${eventId}`);
  if (!state.dispatcher) throw new Error("resendEvent: the emulator has no webhook endpoint");
  event.pending_webhooks = (event.pending_webhooks as number) + 1;
  state.dispatcher.enqueue(clone(event));
}

export const eventRoutes = (state: State): Route[] => [
  ["GET", /^\/v1\/events\/([^/]+)$/, (_ctx, id) => {
    const event = state.events.find((e) => e.id === id);
    if (!event) throw notFound("event", id);
    return { status: 200, body: event };
  }],
  ["GET", /^\/v1\/events$/, (ctx) => {
    const p = ctx.params.only(["type", "limit", "starting_after", "ending_before", "created", "types"]);
    const type = p.string("type");
    return { status: 200, body: list(state.events.filter((e) => !type || e.type === type).reverse(), p, "/v1/events") };
  }],
];
