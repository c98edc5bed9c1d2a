/** @jsxImportSource hono/jsx */
import type { WebhookProvider } from "@paycron/db";
import { BASE, Page, SelectField } from "../layout.tsx";

export interface SendEventForm {
  provider: WebhookProvider;
  type: string;
  payload: string;
  /** Not JSON, or refused by the webhook app (its error code and message). */
  error?: string;
}

/** Like the Inngest dev server's "send event": a sample of any known type, editable, delivered to this app. */
export function SendEventPage(props: { form: SendEventForm; types: Record<WebhookProvider, string[]> }) {
  const { form } = props;
  return (
    <Page title="Send a test event" section="events">
      <h1>Send a test event</h1>
      <p class="muted">
        The event is signed with this app's own secret and posted to its webhook route, as <code>paycron webhook send</code> does: verified, stored and routed like a real delivery.
      </p>
      <form class="filters" method="get" action={`${BASE}/events/send`}>
        <SelectField label="Provider" name="provider" options={["stripe", "supabase"]} selected={form.provider} />
        <SelectField label="Type" name="type" options={props.types[form.provider]} selected={form.type} />
        <button type="submit">Load a sample</button>
      </form>
      <form method="post" action={`${BASE}/events/send`} novalidate>
        <input type="hidden" name="provider" value={form.provider} />
        <input type="hidden" name="type" value={form.type} />
        <div class="field">
          <label for="event-payload">
            {form.provider} {form.type} (JSON)
          </label>
          <textarea id="event-payload" name="payload" style="min-height:24em" aria-invalid={form.error ? "true" : undefined} aria-describedby={form.error ? "event-payload-error" : undefined}>
            {form.payload}
          </textarea>
          {form.error ? (
            <p id="event-payload-error" class="error" role="alert">
              {form.error}
            </p>
          ) : null}
        </div>
        <button type="submit" class="primary">
          Send
        </button>
      </form>
    </Page>
  );
}
