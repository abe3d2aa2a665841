import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import { AppError } from "@/server/api/errors";
import { sendError } from "@/server/gate/http";

// The first look at every request, before the gate and Next.js: refuses the shapes nothing
// behind it serves, with the 4xx a client can act on. Without it each of these reached Next and
// became a 500 with a stack trace in the log (found by the fuzz test, e2e/request-fuzz.spec.ts):
// - TRACE (and TRACK, CONNECT): Next builds a WHATWG Request for proxy.ts and route handlers,
//   whose constructor throws "TypeError: 'TRACE' HTTP method is unsupported" (forbidden methods).
// - POST/PUT/PATCH/DELETE/OPTIONS on a public file (/floodgate.js, /openapi.yaml): Next's router
//   answers 405 by rendering a /405 page, which an App Router build does not have: 500.
// - a request target that is not a path ("OPTIONS *", "GET http://host/x"): Next parses it with
//   new URL(req.url, base), which throws "TypeError: Invalid URL" for "*".
// - a JSON body to /api/auth/*: next-auth parses JSON bodies without a catch (SyntaxError); its
//   own client only ever posts forms. A GET to /api/auth/callback/credentials: next-auth answers
//   500 "Callback for provider type credentials not supported".
// Cost on the hot path: a handful of string comparisons per request, no allocation.

/** Longer targets are refused (414): no route of ours comes near it; browsers stop near 32k-2M. */
export const maxUrlLength = 8 * 1024;

/** Declared bodies larger than this are refused (413) before any handler buffers them. */
export const maxBodyBytes = 1024 * 1024;

/** What a page, a public file or a Next asset answers to; only the APIs take other methods. */
const readOnlyAllow = "GET, HEAD, OPTIONS";
/** Methods some route of ours serves; anything else is refused before routing. */
const servedMethods = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";

/** Paths whose handlers accept methods other than GET and HEAD and answer 405 themselves. */
const writablePrefixes = ["/api/", "/__floodgate/"];

export type Refusal = {
  status: number;
  error: AppError | null;
  headers: Record<string, string>;
};

/** Null when the request may go on; else the answer to send (use answerRefusal). */
export function checkRequest(req: IncomingMessage): Refusal | null {
  const url = req.url ?? "";
  const method = req.method ?? "";
  if (url.length > maxUrlLength) {
    return refuse(new AppError("uri_too_long", `Request targets are limited to ${maxUrlLength} characters.`));
  }
  if (url.charCodeAt(0) !== 47 /* "/" */) {
    // "OPTIONS *" asks what the server as a whole supports (RFC 9110 9.3.7): a fair question.
    if (url === "*" && method === "OPTIONS") return { status: 204, error: null, headers: { allow: servedMethods } };
    return refuse(new AppError("bad_request", "The request target must be a path starting with /."));
  }
  if (method === "GET" || method === "HEAD") {
    // next-auth answers a GET to a credentials callback with a 500 ("not supported"): only
    // OAuth providers have GET callbacks, and Floodgate has none.
    if (url.startsWith("/api/auth/callback/")) {
      return refuse(new AppError("method_not_allowed", "Sign in with POST."), "POST");
    }
    return null;
  }
  if (method === "POST" || method === "PUT" || method === "PATCH" || method === "DELETE" || method === "OPTIONS") {
    if (!isWritablePath(url)) {
      if (method === "OPTIONS") return { status: 204, error: null, headers: { allow: readOnlyAllow } };
      return refuse(new AppError("method_not_allowed", `Use GET or HEAD for ${pathOf(url)}.`), readOnlyAllow);
    }
    // Every route's own limit is far below (16-64 KiB; node-to-node calls check their own 2 MiB).
    if (Number(req.headers["content-length"]) > maxBodyBytes && !url.startsWith("/__floodgate/")) {
      return refuse(new AppError("payload_too_large", `Request bodies are limited to ${maxBodyBytes} bytes.`));
    }
    if (method === "POST" && url.startsWith("/api/auth/") && !isForm(req.headers["content-type"])) {
      return refuse(
        new AppError("unsupported_media_type", "Sign-in endpoints take a form (application/x-www-form-urlencoded)."),
      );
    }
    return null;
  }
  return refuse(new AppError("method_not_allowed", `${method.slice(0, 16)} is not served here.`), servedMethods);
}

export function answerRefusal(res: ServerResponse, refusal: Refusal): void {
  if (refusal.error) sendError(res, refusal.error, { ...refusal.headers });
  else {
    res.writeHead(refusal.status, { ...refusal.headers, "content-length": "0" });
    res.end();
  }
}

function refuse(error: AppError, allow?: string): Refusal {
  return { status: error.status, error, headers: allow ? { allow } : {} };
}

function isWritablePath(url: string): boolean {
  for (const prefix of writablePrefixes) if (url.startsWith(prefix)) return true;
  return false;
}

function isForm(contentType: string | undefined): boolean {
  return contentType?.split(";")[0]?.trim().toLowerCase() === "application/x-www-form-urlencoded";
}

/** The path alone, bounded: it is echoed in a message. */
function pathOf(url: string): string {
  const end = url.indexOf("?");
  return (end < 0 ? url : url.slice(0, end)).slice(0, 200);
}
