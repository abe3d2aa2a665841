// The console's one way to talk to /api/admin: JSON in, JSON out, and every failure turned
// into an ApiRequestError carrying the server's `{ error: { code, message } }`.
import type { ApiError } from "@/server/queue/types";

export class ApiRequestError extends Error {
  constructor(
    /** HTTP status; 0 when the server could not be reached at all. */
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "ApiRequestError";
  }
}

function isApiError(body: unknown): body is ApiError {
  if (typeof body !== "object" || body === null || !("error" in body)) return false;
  const error = (body as { error: unknown }).error;
  return typeof error === "object" && error !== null && typeof (error as { message?: unknown }).message === "string";
}

/** A read that hangs this long counts as "cannot reach the server" (the console backs off). */
const readTimeoutMs = 15_000;

async function request<T>(path: string, init: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, { ...init, cache: "no-store", credentials: "same-origin" });
  } catch (error) {
    // Called off by its caller (react-query cancelling a query): not a failure of the server.
    if (
      init.signal?.aborted &&
      !(init.signal.reason instanceof DOMException && init.signal.reason.name === "TimeoutError")
    ) {
      throw error;
    }
    throw new ApiRequestError(0, "network_error", "Cannot reach the server.");
  }
  const body: unknown = await response.json().catch(() => null);
  if (response.ok) return body as T;
  if (isApiError(body)) throw new ApiRequestError(response.status, body.error.code, body.error.message);
  throw new ApiRequestError(response.status, "http_error", `The server answered ${response.status}.`);
}

export function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const timeout = AbortSignal.timeout(readTimeoutMs);
  return request<T>(path, {
    method: "GET",
    signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    headers: { accept: "application/json" },
  });
}

/** Mutations always send JSON: the server refuses other content types (and cross-site requests). */
export function sendJson<T>(method: "POST" | "PUT" | "PATCH" | "DELETE", path: string, body?: unknown): Promise<T> {
  return request<T>(path, {
    method,
    headers: { accept: "application/json", "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** A query string from the defined, non-empty values only. */
export function queryString(params: Record<string, string | number | boolean | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === "") continue;
    search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}

export const roomPath = (room: string) => `/api/admin/rooms/${encodeURIComponent(room)}`;

/** Readable text for any error a hook may hold. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiRequestError) return error.message;
  if (error instanceof Error) return error.message;
  return "Something went wrong.";
}
