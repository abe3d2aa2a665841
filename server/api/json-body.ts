import "server-only";
import type { ZodError } from "zod";
import { AppError, isAppError } from "@/server/api/errors";
import type { Logger } from "@/server/log";

// Request and response bodies for the API wrappers (withAdmin, withApiKey): one reading, one
// error wording, one set of response headers.

/** A request's JSON body: 415 unless sent as JSON, 413 past `maxBytes`, 400 when it does not parse. */
export async function readJsonBody(request: Request, maxBytes: number): Promise<unknown> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/json\b/i.test(type)) {
    throw new AppError("unsupported_media_type", "Send the body as JSON (Content-Type: application/json).");
  }
  const tooLarge = () => new AppError("payload_too_large", `Request bodies are limited to ${maxBytes} bytes.`);
  if (Number(request.headers.get("content-length") ?? 0) > maxBytes) throw tooLarge();
  const text = await readCapped(request, maxBytes, tooLarge);
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("invalid_body", "The body is not valid JSON.");
  }
}

/**
 * The body as text, read chunk by chunk and abandoned as soon as it passes `maxBytes`: a
 * chunked upload (no Content-Length) is never held in memory whole, whatever its size.
 */
async function readCapped(request: Request, maxBytes: number, tooLarge: () => AppError): Promise<string> {
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  // TextDecoder, as request.text() does: UTF-8, a leading byte-order mark dropped.
  return new TextDecoder().decode(Buffer.concat(chunks, size));
}

/** zod's complaints on one line: "capacity: Too small: expected number to be >=1; room: …". */
export function issuesMessage(error: ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length ? `${issue.path.join(".")}: ${issue.message}` : issue.message))
    .join("; ");
}

/** A JSON answer, never cached, carrying the request id (and Retry-After when given). */
export function jsonResponse(body: unknown, status: number, requestId: string, retryAfterSeconds?: number): Response {
  const headers = new Headers({
    "content-type": "application/json",
    "cache-control": "no-store",
    "x-request-id": requestId,
  });
  if (retryAfterSeconds) headers.set("retry-after", String(retryAfterSeconds));
  return new Response(JSON.stringify(body), { status, headers });
}

/** The answer to a failed request: an AppError's own code and status, else a logged 500 that says nothing inside. */
export function errorResponse(
  error: unknown,
  request: Request,
  requestId: string,
  logger: Logger,
  what: string,
): Response {
  if (isAppError(error)) return jsonResponse(error.toBody(), error.status, requestId, error.retryAfterSeconds);
  logger.error(
    { err: error, requestId, method: request.method, path: new URL(request.url).pathname },
    `${what} failed`,
  );
  return jsonResponse(
    { error: { code: "internal_error", message: `Something went wrong (request ${requestId}).` } },
    500,
    requestId,
  );
}
