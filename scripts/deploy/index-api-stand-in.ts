import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** What the deployed image's indexer sent the platform. */
export interface IndexerRequests {
  /** The body of POST /api/v1/deployments/{id}/background-workers: the worker as Trigger.dev registers it. */
  backgroundWorker?: { metadata: RegisteredWorker };
  /** The body of POST /api/v1/deployments/{id}/fail: why indexing failed. */
  failure?: { error: { name?: string; message?: string; stack?: string; stderr?: string } };
  /** Requests the stand-in does not know (an upgraded indexer calling something new). */
  unexpected: string[];
}

/** The metadata part of the background worker, as the indexer builds it from the bundle. */
export interface RegisteredWorker {
  contentHash: string;
  packageVersion: string;
  cliPackageVersion: string;
  runtime: string;
  tasks: IndexedTask[];
  queues?: Array<{ name: string; concurrencyLimit?: number | null }>;
  concurrencyLimits?: Array<{ name: string; total?: number; perKey?: number }>;
}

export interface IndexedTask {
  id: string;
  filePath: string;
  retry?: Record<string, unknown>;
  maxDuration?: number;
  queue?: { name?: string; concurrencyLimit?: number | null };
  concurrency?: { inline?: { total?: number; perKey?: number }; limits?: string[] };
  triggerSource?: string;
  schedule?: { cron: string; timezone: string; window?: string; environments?: string[] };
  payloadSchema?: unknown;
}

export interface IndexApiStandIn {
  url: string;
  requests: IndexerRequests;
  close(): Promise<void>;
}

/**
 * A loopback stand-in for the three Trigger.dev API calls the image's indexer
 * (managed-index-controller) makes: the project's environment variables (none, so a task file
 * that needs one at import time fails here as it would on a project without it), then either the
 * background worker it registers or the failure it reports.
 */
export async function startIndexApiStandIn(): Promise<IndexApiStandIn> {
  const requests: IndexerRequests = { unexpected: [] };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const answer = (status: number, body: unknown) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
      const url = req.url ?? "";
      const body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString("utf8")) as unknown) : undefined;
      if (req.method === "GET" && /^\/api\/v1\/projects\/[^/]+\/envvars$/.test(url)) return answer(200, { variables: {} });
      const deployment = /^\/api\/v1\/deployments\/([^/]+)\/(background-workers|fail)$/.exec(url);
      if (req.method === "POST" && deployment?.[2] === "background-workers") {
        requests.backgroundWorker = body as IndexerRequests["backgroundWorker"];
        return answer(200, { id: "worker_deploy_check", version: "deploy-check", contentHash: requests.backgroundWorker?.metadata.contentHash ?? "" });
      }
      if (req.method === "POST" && deployment?.[2] === "fail") {
        requests.failure = body as IndexerRequests["failure"];
        return answer(200, { id: deployment[1] });
      }
      requests.unexpected.push(`${req.method} ${url}`);
      answer(404, { error: "not part of the deploy check's stand-in" });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
