import pino from "pino";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createThrottledWarn, isClientFault, quietClientFaultsInConsole } from "@/server/http/client-fault";

function capture() {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: "warn" }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { logger, lines };
}

const originalError = console.error;
afterEach(() => {
  console.error = originalError;
  vi.useRealTimers();
});

describe("isClientFault", () => {
  it.each([
    [Object.assign(new TypeError("Invalid URL"), { code: "ERR_INVALID_URL" }), true],
    [new TypeError("'TRACE' HTTP method is unsupported."), true],
    [new URIError("URI malformed"), true],
    [Object.assign(new Error("bad"), { name: "DecodeError" }), true],
    [new Error("database is locked"), false],
    [new TypeError("Cannot read properties of undefined"), false],
    ["a string", false],
  ])("%s -> %s", (error, expected) => {
    expect(isClientFault(error)).toBe(expected);
  });
});

describe("createThrottledWarn", () => {
  it("logs at most once per interval and counts the rest into the next line", () => {
    vi.useFakeTimers();
    const { logger, lines } = capture();
    const warn = createThrottledWarn(logger, 1_000);
    for (let i = 0; i < 50; i++) warn({ i }, "refused");
    expect(lines).toHaveLength(1);
    vi.advanceTimersByTime(1_001);
    warn({ i: 50 }, "refused");
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatchObject({ suppressedSinceLast: 49, level: 40 });
  });
});

describe("quietClientFaultsInConsole", () => {
  it("turns a client's hang-up into one warning without a stack, and passes everything else on", () => {
    const passed: unknown[][] = [];
    console.error = (...args: unknown[]) => passed.push(args);
    const { logger, lines } = capture();
    quietClientFaultsInConsole(logger);
    const hangUp = Object.assign(new Error("aborted"), { code: "ECONNRESET" });
    for (let i = 0; i < 20; i++) console.error(hangUp);
    console.error(" ⨯", new TypeError("'TRACE' HTTP method is unsupported."));
    const real = new Error("the database is gone");
    console.error(real);
    expect(passed).toEqual([[real]]);
    expect(lines).toHaveLength(1);
    expect(JSON.stringify(lines)).not.toContain("at ");
  });
});
