/**
 * An email as a MIME message (RFC 5322 + 2045), text and HTML as alternatives, so the local
 * outbox's files open in any mail client. Bodies are base64, so no line-length or charset rule can
 * bite; the subject is an RFC 2047 encoded word for the same reason.
 */
export function toEml(email: { from: string; to: string; subject: string; html: string; text: string; date: Date; messageId: string; headers: Record<string, string> }): string {
  const boundary = `paycron-${email.messageId.replace(/[^A-Za-z0-9]/g, "")}`;
  const lines = [
    `From: ${email.from}`,
    `To: ${email.to}`,
    `Subject: =?UTF-8?B?${Buffer.from(email.subject, "utf8").toString("base64")}?=`,
    `Date: ${email.date.toUTCString()}`,
    `Message-ID: <${email.messageId}@paycron.local>`,
    ...Object.entries(email.headers).map(([name, value]) => `${name}: ${value}`),
    "MIME-Version: 1.0",
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
    "",
    part(boundary, "text/plain", email.text),
    part(boundary, "text/html", email.html),
    `--${boundary}--`,
    "",
  ];
  return lines.join("\r\n");
}

function part(boundary: string, type: string, body: string): string {
  const base64 = Buffer.from(body, "utf8").toString("base64").replace(/.{76}/g, "$&\r\n");
  return [`--${boundary}`, `Content-Type: ${type}; charset=utf-8`, "Content-Transfer-Encoding: base64", "", base64, ""].join("\r\n");
}
