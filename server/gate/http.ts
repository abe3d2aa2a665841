import "server-only";
import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { AppError } from "@/server/api/errors";

// Small, allocation-light helpers for the plain node:http hot path.

export const maxBodyBytes = 16 * 1024;

// Request ids: a random per-process prefix and a counter, unique without a random draw per request.
const processTag = randomBytes(4).toString("hex");
let requestCount = 0;

export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers["x-request-id"];
  if (typeof given === "string" && /^[\w.-]{1,64}$/.test(given)) return given;
  requestCount++;
  return `${processTag}-${requestCount.toString(36)}`;
}

/** Reads a small body; refuses more than `limitBytes` (16 KiB) with 413 before buffering it. */
export function readBody(req: IncomingMessage, limitBytes = maxBodyBytes): Promise<string> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > limitBytes) {
    req.resume();
    return Promise.reject(new AppError("payload_too_large", `Request bodies are limited to ${limitBytes} bytes.`));
  }
  // No Content-Length (or 0) and no Transfer-Encoding means no body (RFC 9112 6.3): heartbeats
  // answer without waiting for the stream's end event; Node discards the empty stream itself.
  if (declared === 0 && req.headers["transfer-encoding"] === undefined) return Promise.resolve("");
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limitBytes) {
        reject(new AppError("payload_too_large", `Request bodies are limited to ${limitBytes} bytes.`));
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () =>
      resolve(chunks.length === 1 ? (chunks[0] as Buffer).toString("utf8") : Buffer.concat(chunks).toString("utf8")),
    );
    req.on("error", reject);
  });
}

/** The value of one cookie, or undefined. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  const prefix = `${name}=`;
  for (const part of header.split(";")) {
    const trimmed = part.trim();
    if (trimmed.startsWith(prefix)) return trimmed.slice(prefix.length);
  }
  return undefined;
}

export type CookieOptions = { maxAgeS: number; secure: boolean };

export function serializeCookie(name: string, value: string, { maxAgeS, secure }: CookieOptions): string {
  return `${name}=${value}; Path=/; Max-Age=${maxAgeS}; HttpOnly; SameSite=Lax${secure ? "; Secure" : ""}`;
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string | string[]> = {},
): void {
  const payload = body === undefined ? "" : JSON.stringify(body);
  // Assigned into the caller's object rather than spread: this runs for every heartbeat.
  headers["content-type"] = "application/json; charset=utf-8";
  headers["cache-control"] ??= "no-store";
  headers["x-content-type-options"] = "nosniff";
  headers["content-length"] = String(Buffer.byteLength(payload));
  res.writeHead(status, headers);
  res.end(payload);
}

export function sendError(res: ServerResponse, error: AppError, headers: Record<string, string | string[]> = {}): void {
  const extra = error.retryAfterSeconds ? { ...headers, "retry-after": String(error.retryAfterSeconds) } : headers;
  sendJson(res, error.status, error.toBody(), extra);
}
