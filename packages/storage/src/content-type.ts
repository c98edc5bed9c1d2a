/** Used only when an object has no stored content type (a file put there by hand, or metadata lost). */
const BY_EXTENSION: Record<string, string> = {
  pdf: "application/pdf",
  html: "text/html; charset=utf-8",
  txt: "text/plain; charset=utf-8",
  eml: "message/rfc822",
  json: "application/json",
  png: "image/png",
  csv: "text/csv; charset=utf-8",
};

export function contentTypeFromKey(key: string): string {
  const ext = /\.([A-Za-z0-9]+)$/.exec(key)?.[1]?.toLowerCase();
  return (ext && BY_EXTENSION[ext]) || "application/octet-stream";
}
