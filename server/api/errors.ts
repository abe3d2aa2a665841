// One error class and one map from code to HTTP status for every API (gate and Next routes).
// Plain module (no "server-only"): error codes are also part of the public contract.

export const errorStatus = {
  bad_request: 400,
  invalid_body: 400,
  unauthorized: 401,
  invalid_token: 401,
  forbidden: 403,
  not_found: 404,
  room_not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  room_exists: 409,
  room_not_empty: 409,
  not_waiting: 409,
  user_exists: 409,
  token_not_found: 404,
  user_not_found: 404,
  cross_site: 403,
  challenge_required: 403,
  challenge_failed: 403,
  blocked: 403,
  validation_failed: 422,
  token_expired: 410,
  session_ended: 410,
  payload_too_large: 413,
  uri_too_long: 414,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal_error: 500,
  room_full: 503,
  room_closed: 503,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Seconds a client should wait before trying again (Retry-After). */
    readonly retryAfterSeconds?: number,
    /** More fields for the error object, e.g. the proof-of-work challenge to solve. */
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "AppError";
  }

  get status(): number {
    return errorStatus[this.code];
  }

  toBody() {
    return { error: { ...this.details, code: this.code, message: this.message } };
  }
}

/**
 * True for an AppError from any copy of this module. Next's bundles hold their own copy of every
 * module, so an error the engine (loaded by server/main.ts) throws is not `instanceof` the
 * AppError a route handler imports: recognise it by shape.
 */
export function isAppError(error: unknown): error is AppError {
  if (error instanceof AppError) return true;
  if (!(error instanceof Error) || error.name !== "AppError") return false;
  const code = (error as { code?: unknown }).code;
  return (
    typeof code === "string" && Object.hasOwn(errorStatus, code) && typeof (error as AppError).toBody === "function"
  );
}
