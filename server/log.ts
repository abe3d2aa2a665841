import "server-only";
import pino from "pino";

// One logger for the process. Secrets never reach it: tokens and keys are redacted by path.
export function createLogger(level: string) {
  return pino({
    level,
    base: { app: "floodgate" },
    redact: {
      paths: ["token", "*.token", "secret", "*.secret", "key", "*.key", "cookie", "*.cookie"],
      censor: "[redacted]",
    },
  });
}

export type Logger = pino.Logger;
