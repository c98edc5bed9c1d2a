import { createHmac, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Clock } from "@paycron/core";

export interface StandInObject {
  bytes: Buffer;
  contentType: string;
  id: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface RecordedStorageRequest {
  method: string;
  /** Without the query: signed URLs' tokens stay out of test output. */
  path: string;
  upsert: string | undefined;
}

export interface SupabaseStorageStandIn {
  /** What SUPABASE_URL would be: supabase-js appends /storage/v1. */
  url: string;
  serviceRoleKey: string;
  requests: RecordedStorageRequest[];
  keys(bucket: string): string[];
  object(bucket: string, key: string): StandInObject | undefined;
  bucket(id: string): { public: boolean } | undefined;
  close(): Promise<void>;
}

export interface StandInOptions {
  /** Signed-URL tokens' iat and exp come from it, so a test expires a URL by advancing it. */
  clock: Clock;
  buckets?: Array<{ id: string; public?: boolean }>;
  serviceRoleKey?: string;
}

/**
 * A loopback stand-in for the Supabase Storage HTTP API (`/storage/v1`), answering what the real
 * supabase-js storage client sends (routes read from @supabase/storage-js 2.119.1):
 *
 * - `GET /bucket/:id`, `POST /bucket`
 * - `POST|PUT /object/:bucket/:path` upload (`x-upsert`), `GET|HEAD /object[/authenticated]/:bucket/:path`
 * - `GET /object/info/:bucket/:path` (storage-js `exists`)
 * - `POST /object/sign/:bucket/:path` `{expiresIn}` → `{signedURL: "/object/sign/…?token=<jwt>"}`, and
 *   `GET /object/sign/:bucket/:path?token=` serving it while the HS256 token (`{url, iat, exp}`, as
 *   Supabase signs it) matches the path and has not expired by the injected clock
 * - `GET /object/public/:bucket/:path`: served only for a public bucket, else "Bucket not found"
 *
 * Everything but the signed and public routes needs `Authorization: Bearer <service-role key>`.
 * Refusals look like Supabase's: HTTP 400 (500 for faults) with the real status in the body,
 * `{statusCode:"409", code:"ResourceAlreadyExists", error, message}`.
 */
export async function startSupabaseStorageStandIn(options: StandInOptions): Promise<SupabaseStorageStandIn> {
  const serviceRoleKey = options.serviceRoleKey ?? `service-role-standin-${randomBytes(12).toString("hex")}`;
  const jwtSecret = randomBytes(32);
  const buckets = new Map<string, { public: boolean; createdAt: Date }>();
  for (const b of options.buckets ?? []) buckets.set(b.id, { public: b.public ?? false, createdAt: options.clock.now() });
  const objects = new Map<string, Map<string, StandInObject>>();
  const requests: RecordedStorageRequest[] = [];
  const now = () => options.clock.now();
  const objectsOf = (bucket: string) => objects.get(bucket) ?? objects.set(bucket, new Map()).get(bucket)!;

  const handle = async (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
    const url = new URL(req.url ?? "/", "http://stand-in");
    const method = req.method ?? "GET";
    requests.push({ method, path: url.pathname, upsert: header(req, "x-upsert") });
    const path = url.pathname.replace(/^\/storage\/v1/, "");
    if (path === url.pathname) return fail(res, 404, "InvalidRequest", "not a storage route");

    // Unauthenticated routes first: they carry their own proof (a token) or none.
    const signed = /^\/object\/sign\/([^/]+)\/(.+)$/.exec(path);
    if (signed && method === "GET") return serveSigned(res, signed[1]!, decodePath(signed[2]!), url.searchParams.get("token"));
    const publicUrl = /^\/object\/public\/([^/]+)\/(.+)$/.exec(path);
    if (publicUrl && method === "GET") {
      const bucket = buckets.get(publicUrl[1]!);
      // A private bucket has no public URLs at all: Supabase answers as if it did not exist.
      if (!bucket?.public) return fail(res, 404, "NoSuchBucket", "Bucket not found");
      return sendObject(res, objectsOf(publicUrl[1]!).get(decodePath(publicUrl[2]!)), method);
    }

    if (header(req, "authorization") !== `Bearer ${serviceRoleKey}`) return fail(res, 400, "InvalidJWT", "Invalid JWT: the service-role key is required");

    const bucketId = /^\/bucket\/([^/]+)$/.exec(path);
    if (bucketId && method === "GET") {
      const bucket = buckets.get(bucketId[1]!);
      if (!bucket) return fail(res, 404, "NoSuchBucket", "Bucket not found");
      return json(res, 200, bucketJson(bucketId[1]!, bucket));
    }
    if (path === "/bucket" && method === "POST") {
      const input = JSON.parse(body.toString("utf8")) as { id: string; public?: boolean };
      if (buckets.has(input.id)) return fail(res, 409, "BucketAlreadyExists", "The resource already exists");
      buckets.set(input.id, { public: input.public ?? false, createdAt: now() });
      return json(res, 200, { name: input.id });
    }
    if (signed && method === "POST") {
      const [bucket, key] = [signed[1]!, decodePath(signed[2]!)];
      if (!buckets.has(bucket)) return fail(res, 404, "NoSuchBucket", "Bucket not found");
      if (!objectsOf(bucket).has(key)) return fail(res, 404, "NoSuchKey", "Object not found");
      const { expiresIn } = JSON.parse(body.toString("utf8")) as { expiresIn: number };
      const iat = Math.floor(now().getTime() / 1000);
      const token = signJwt(jwtSecret, { url: `${bucket}/${key}`, iat, exp: iat + expiresIn });
      return json(res, 200, { signedURL: `/object/sign/${bucket}/${key}?token=${token}` });
    }
    const info = /^\/object\/info\/(?:authenticated\/)?([^/]+)\/(.+)$/.exec(path);
    if (info && method === "GET") {
      const object = objectsOf(info[1]!).get(decodePath(info[2]!));
      if (!object) return fail(res, 404, "NoSuchKey", "Object not found");
      return json(res, 200, {
        id: object.id,
        name: decodePath(info[2]!),
        bucket_id: info[1],
        size: object.bytes.length,
        content_type: object.contentType,
        last_modified: object.updatedAt.toISOString(),
        created_at: object.createdAt.toISOString(),
      });
    }
    const obj = /^\/object\/(?:authenticated\/)?([^/]+)\/(.+)$/.exec(path);
    if (obj) {
      const [bucket, key] = [obj[1]!, decodePath(obj[2]!)];
      if (!buckets.has(bucket)) return fail(res, 404, "NoSuchBucket", "Bucket not found");
      const existing = objectsOf(bucket).get(key);
      if (method === "GET" || method === "HEAD") return sendObject(res, existing, method);
      if (method === "POST" || method === "PUT") {
        // POST creates (or replaces with x-upsert: true); PUT is storage-js `update`, which needs an existing object.
        const upsert = method === "PUT" || header(req, "x-upsert") === "true";
        if (existing && !upsert) return fail(res, 409, "ResourceAlreadyExists", "The resource already exists");
        if (!existing && method === "PUT") return fail(res, 404, "NoSuchKey", "Object not found");
        const at = now();
        const stored: StandInObject = {
          bytes: body,
          contentType: header(req, "content-type") ?? "application/octet-stream",
          id: existing?.id ?? randomUUID(),
          createdAt: existing?.createdAt ?? at,
          updatedAt: at,
        };
        objectsOf(bucket).set(key, stored);
        return json(res, 200, { Id: stored.id, Key: `${bucket}/${key}` });
      }
    }
    return fail(res, 404, "InvalidRequest", `no route ${method} ${url.pathname}`);
  };

  const serveSigned = (res: ServerResponse, bucket: string, key: string, token: string | null) => {
    const claims = token ? verifyJwt(jwtSecret, token) : null;
    if (!claims || claims.url !== `${bucket}/${key}`) return fail(res, 400, "InvalidSignature", "Invalid signature");
    if (Math.floor(now().getTime() / 1000) >= claims.exp) return fail(res, 400, "ExpiredToken", "The provided token has expired.");
    return sendObject(res, objectsOf(bucket).get(key), "GET");
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      handle(req, res, Buffer.concat(chunks)).catch((error: unknown) => fail(res, 500, "InternalError", (error as Error).message));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));

  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    serviceRoleKey,
    requests,
    keys: (bucket) => [...objectsOf(bucket).keys()].sort(),
    object: (bucket, key) => objectsOf(bucket).get(key),
    bucket: (id) => (buckets.has(id) ? { public: buckets.get(id)!.public } : undefined),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}

function sendObject(res: ServerResponse, object: StandInObject | undefined, method: string) {
  if (!object) return fail(res, 404, "NoSuchKey", "Object not found");
  res.writeHead(200, { "content-type": object.contentType, "content-length": object.bytes.length, "cache-control": "max-age=3600" });
  res.end(method === "HEAD" ? undefined : object.bytes);
}

function bucketJson(id: string, bucket: { public: boolean; createdAt: Date }) {
  const at = bucket.createdAt.toISOString();
  return { id, name: id, owner: "", public: bucket.public, file_size_limit: null, allowed_mime_types: null, created_at: at, updated_at: at };
}

/** Supabase's error shape: the HTTP status is 400 (500 for a fault); the real one is in the body. */
function fail(res: ServerResponse, status: number, code: string, message: string) {
  json(res, status >= 500 ? 500 : 400, { statusCode: String(status), code, error: code, message });
}

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

const header = (req: IncomingMessage, name: string) => {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

const decodePath = (path: string) => path.split("/").map(decodeURIComponent).join("/");

interface Claims {
  url: string;
  iat: number;
  exp: number;
}

function signJwt(secret: Buffer, claims: Claims): string {
  const head = Buffer.from(JSON.stringify({ alg: "HS256", typ: "JWT" })).toString("base64url");
  const payload = Buffer.from(JSON.stringify(claims)).toString("base64url");
  return `${head}.${payload}.${createHmac("sha256", secret).update(`${head}.${payload}`).digest("base64url")}`;
}

function verifyJwt(secret: Buffer, token: string): Claims | null {
  const [head, payload, signature] = token.split(".");
  if (!head || !payload || !signature) return null;
  const expected = Buffer.from(createHmac("sha256", secret).update(`${head}.${payload}`).digest("base64url"));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  try {
    return JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Claims;
  } catch {
    return null;
  }
}
