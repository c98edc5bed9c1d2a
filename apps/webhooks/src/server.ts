import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import type { Logger } from "@paycron/core";
import type { Db } from "@paycron/db";
import { createApp } from "./app.ts";
import type { WebhookAppDeps } from "./app-env.ts";
import type { WebhookConfig } from "./config.ts";
import type { SignedFiles } from "./routes/files.ts";

export interface StartWebhookServerOptions {
  db: Db;
  config: WebhookConfig;
  logger: Logger;
  /** Defaults to config.port; 0 picks a free port (tests, benchmarks). */
  port?: number;
  /** Defaults to config.host. */
  hostname?: string;
  /** A local storage whose signed URLs the app serves under /files (`pnpm dev`). */
  localFiles?: SignedFiles;
  /** Serve /dashboard without DASHBOARD_TOKEN too (pnpm dev). */
  dashboard?: WebhookAppDeps["dashboard"];
}

export interface WebhookServer {
  /** Base URL, e.g. http://127.0.0.1:3030 */
  url: string;
  close(): Promise<void>;
}

/** Listens until close(); close stops accepting, ends keep-alive connections and waits for the socket. */
export async function startWebhookServer(options: StartWebhookServerOptions): Promise<WebhookServer> {
  const app = createApp({
    db: options.db,
    config: options.config,
    logger: options.logger,
    ...(options.localFiles ? { localFiles: options.localFiles } : {}),
    ...(options.dashboard ? { dashboard: options.dashboard } : {}),
  });
  const hostname = options.hostname ?? options.config.host;
  const port = options.port ?? options.config.port;

  const server = serve({ fetch: app.fetch, port, hostname });
  await new Promise<void>((resolve, reject) => {
    if (server.listening) return resolve();
    server.once("listening", resolve);
    server.once("error", reject);
  });
  // Node's parser answers malformed requests with 400 itself; a socket error must not crash us.
  server.on("clientError", (error, socket) => {
    if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
    else socket.destroy(error);
  });

  const address = server.address() as AddressInfo;
  const host = hostname === "0.0.0.0" || hostname === "::" ? "127.0.0.1" : hostname;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${address.port}`;
  options.logger.info({ url }, "webhook server listening");

  let closed: Promise<void> | undefined;
  return {
    url,
    close: () =>
      (closed ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        if ("closeIdleConnections" in server) server.closeIdleConnections();
      })),
  };
}
