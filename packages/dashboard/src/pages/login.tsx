/** @jsxImportSource hono/jsx */
import { BASE, Page } from "../layout.tsx";

export function LoginPage(props: { wrong?: boolean }) {
  return (
    <Page title="Sign in">
      <h1>Dashboard token</h1>
      <p>This dashboard is protected by DASHBOARD_TOKEN. Enter it to continue; a cookie keeps you signed in for this browser session.</p>
      <form method="post" action={`${BASE}/login`}>
        <div class="field">
          <label for="token">Token</label>
          <input id="token" type="password" name="token" autocomplete="current-password" required aria-invalid={props.wrong ? "true" : undefined} aria-describedby={props.wrong ? "token-error" : undefined} />
          {props.wrong ? (
            <p id="token-error" class="error" role="alert">
              That is not the token.
            </p>
          ) : null}
        </div>
        <button type="submit" class="primary">
          Sign in
        </button>
      </form>
    </Page>
  );
}

export function MessagePage(props: { title: string; message: string }) {
  return (
    <Page title={props.title}>
      <h1>{props.title}</h1>
      <p>{props.message}</p>
      <p>
        <a href={`${BASE}/runs`}>Back to the runs</a>
      </p>
    </Page>
  );
}
