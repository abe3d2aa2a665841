import "server-only";
import type { Logger } from "@/server/log";

// When Next's handler rejects because of what the client sent (a target it cannot parse, a
// method the WHATWG Request refuses, a malformed escape), the answer is a 400 and the log gets
// one warning line without a stack: a stack per hostile request would let anyone flood the log.
// The request guard (request-guard.ts) refuses the known shapes first; this is the net behind it.

const clientFaultCodes = new Set(["ERR_INVALID_URL", "ERR_INVALID_HTTP_TOKEN", "ERR_INVALID_CHAR", "ERR_INVALID_URI"]);

export function isClientFault(error: unknown): boolean {
  if (error instanceof URIError) return true;
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && clientFaultCodes.has(code)) return true;
  if (error.name === "DecodeError") return true;
  return error instanceof TypeError && /HTTP method is unsupported|Invalid URL/.test(error.message);
}

/** A warning at most once per interval; the lines in between are counted into the next. */
export function createThrottledWarn(logger: Logger, intervalMs = 10_000) {
  let lastAt = Number.NEGATIVE_INFINITY;
  let suppressed = 0;
  return (fields: Record<string, unknown>, message: string) => {
    const now = Date.now();
    if (now - lastAt < intervalMs) {
      suppressed++;
      return;
    }
    lastAt = now;
    logger.warn({ ...fields, suppressedSinceLast: suppressed }, message);
    suppressed = 0;
  };
}

/** next-auth error codes caused by what a client sent (a forged or stale session cookie). */
const clientCausedAuthCodes = new Set(["JWT_SESSION_ERROR"]);
let warnAuthFault: ReturnType<typeof createThrottledWarn> | undefined;

/**
 * next-auth's error logger: a client's bad session cookie is a throttled warning with the
 * message only; anything else is logged as an error with its stack, as before.
 */
export function logNextAuthError(logger: Logger, code: string, metadata: unknown): void {
  if (!clientCausedAuthCodes.has(code)) {
    logger.error({ code, err: metadata }, "next-auth error");
    return;
  }
  warnAuthFault ??= createThrottledWarn(logger);
  const message = metadata instanceof Error ? metadata.message : (metadata as { message?: unknown })?.message;
  warnAuthFault({ code, reason: String(message ?? "").slice(0, 200) }, "next-auth refused a session cookie");
}

/** A request body cut short by the client (it hung up): Node's IncomingMessage "aborted". */
export function isClientHangUp(error: unknown): boolean {
  return error instanceof Error && error.message === "aborted" && (error as { code?: unknown }).code === "ECONNRESET";
}

function errorIn(args: unknown[]): Error | undefined {
  for (const arg of args) if (arg instanceof Error) return arg;
  return undefined;
}

/**
 * Next.js logs the errors of its request handling with console.error, stack and all, and offers
 * no hook: a client that hangs up mid-body ("Error: aborted") or sends what Next cannot parse
 * would put a stack in the log per request. Those become one throttled warning line; every other
 * console.error passes through unchanged.
 */
export function quietClientFaultsInConsole(logger: Logger): void {
  const original = console.error.bind(console);
  const warn = createThrottledWarn(logger);
  console.error = (...args: unknown[]) => {
    const error = errorIn(args);
    if (error && (isClientHangUp(error) || isClientFault(error))) {
      warn({ reason: error.message.slice(0, 200) }, "request abandoned by the client or unreadable");
      return;
    }
    original(...args);
  };
}
