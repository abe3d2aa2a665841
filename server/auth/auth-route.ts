import "server-only";
import { randomUUID } from "node:crypto";
import type { NextApiRequest, NextApiResponse } from "next";
import NextAuth from "next-auth";
import { AppError } from "@/server/api/errors";
import { errorResponse, readJsonBody } from "@/server/api/json-body";
import { authOptions } from "@/server/auth/auth-options";
import { untrustedHostProblem } from "@/server/auth/trusted-hosts";
import { getRuntime } from "@/server/runtime";

// next-auth's endpoints (/api/auth/*) behind Floodgate's own checks: the host the request names
// must be one this server answers as (server/auth/trusted-hosts.ts). next-auth v4 is driven
// through its plain request/response interface rather than its App Router adapter: that adapter
// reads next/headers, which only exist inside Next, while this one takes the Request as it came,
// so the same code runs under Next and in a unit test, and the body is read here, once, with a
// size limit and a clear 400 for one that does not parse.

const maxBodyBytes = 16 * 1024;

/** Answers one request to /api/auth/<segments>. */
export async function handleAuthRequest(request: Request, segments: string[]): Promise<Response> {
  const requestId = randomUUID();
  const runtime = getRuntime();
  try {
    // Before next-auth sees it: it would build its redirects from whatever host the request names.
    const trusted = runtime.auth.trustedHosts;
    const hostProblem = trusted ? untrustedHostProblem(request.headers, trusted) : null;
    if (hostProblem) {
      runtime.logger.info(
        { requestId, host: request.headers.get("host") },
        "auth request for an untrusted host refused",
      );
      throw new AppError("bad_request", hostProblem);
    }
    const body = request.method === "POST" ? await readAuthBody(request) : undefined;
    let signOutFailed = false;
    const options = authOptions({
      onSignOutFailed: () => {
        signOutFailed = true;
      },
    });
    const response = await runNextAuth(request, segments, body, options);
    // next-auth clears the cookie whatever happened; the copy would still work, so say so.
    if (signOutFailed) throw new AppError("unavailable", "Signing out could not be recorded; try again.", 2);
    return response;
  } catch (error) {
    return errorResponse(error, request, requestId, runtime.logger, "auth route");
  }
}

/** What next-auth reads from a body: a form (its client and plain HTML forms post one) or JSON. */
async function readAuthBody(request: Request): Promise<Record<string, string> | undefined> {
  const type = request.headers.get("content-type") ?? "";
  if (/^application\/json\b/i.test(type)) {
    const parsed = await readJsonBody(request, maxBodyBytes);
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      throw new AppError("invalid_body", "The body must be a JSON object.");
    }
    return Object.fromEntries(Object.entries(parsed).map(([key, value]) => [key, String(value)]));
  }
  if (/^application\/x-www-form-urlencoded\b/i.test(type)) {
    const text = await request.text();
    if (Buffer.byteLength(text) > maxBodyBytes) {
      throw new AppError("payload_too_large", `Request bodies are limited to ${maxBodyBytes} bytes.`);
    }
    return Object.fromEntries(new URLSearchParams(text));
  }
  // Anything else carries nothing next-auth reads (it then refuses for want of a CSRF token).
  return undefined;
}

async function runNextAuth(
  request: Request,
  segments: string[],
  body: Record<string, string> | undefined,
  options: ReturnType<typeof authOptions>,
): Promise<Response> {
  const url = new URL(request.url);
  const headers = Object.fromEntries(request.headers);
  const req = {
    method: request.method,
    headers,
    body,
    cookies: parseCookies(request.headers.get("cookie")),
    query: { ...Object.fromEntries(url.searchParams), nextauth: segments },
  };
  const res = new CollectedResponse();
  await NextAuth(req as unknown as NextApiRequest, res as unknown as NextApiResponse, options);
  return res.toResponse();
}

function parseCookies(header: string | null): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const part of (header ?? "").split(";")) {
    const at = part.indexOf("=");
    if (at <= 0) continue;
    const name = part.slice(0, at).trim();
    if (!name || name in cookies) continue;
    const raw = part.slice(at + 1).trim();
    try {
      cookies[name] = decodeURIComponent(raw);
    } catch {
      cookies[name] = raw;
    }
  }
  return cookies;
}

/** The part of a Node response next-auth's handler writes to, collected into a web Response. */
class CollectedResponse {
  private statusCode = 200;
  private readonly headers = new Map<string, string | string[]>();
  private body: string | null = null;

  status(code: number) {
    this.statusCode = code;
    return this;
  }
  getHeader(name: string) {
    return this.headers.get(name.toLowerCase());
  }
  setHeader(name: string, value: string | string[]) {
    this.headers.set(name.toLowerCase(), value);
    return this;
  }
  end() {
    return this;
  }
  json(value: unknown) {
    this.headers.set("content-type", "application/json");
    this.body = JSON.stringify(value);
    return this;
  }
  send(value: unknown) {
    if (typeof value === "string") this.body = value;
    else if (value !== undefined && value !== null) this.json(value);
    return this;
  }

  toResponse(): Response {
    const headers = new Headers();
    for (const [name, value] of this.headers) {
      for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
    }
    return new Response(this.statusCode === 204 || this.statusCode === 304 ? null : this.body, {
      status: this.statusCode,
      headers,
    });
  }
}
