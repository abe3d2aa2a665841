import { describe, expect, it } from "vitest";
import { ConsoleQueryClient, pollDelayMs } from "./console-query-client";

type State = { status: "pending" | "success" | "error"; errorUpdateCount: number };

function fakeQuery(state: State): { state: State } {
  return { state };
}

const half = () => 0.5;

describe("pollDelayMs", () => {
  it("keeps the healthy pace while fetches succeed", () => {
    const query = fakeQuery({ status: "success", errorUpdateCount: 0 });
    expect(pollDelayMs(query, 2_000, half)).toBe(2_000);
  });

  it("backs off further with each failure in a row, and resets on success", () => {
    const query = fakeQuery({ status: "success", errorUpdateCount: 3 });
    expect(pollDelayMs(query, 2_000, half)).toBe(2_000);
    query.state = { status: "error", errorUpdateCount: 4 };
    expect(pollDelayMs(query, 2_000, half)).toBe(3_000);
    query.state = { status: "error", errorUpdateCount: 5 };
    expect(pollDelayMs(query, 2_000, half)).toBe(6_000);
    query.state = { status: "error", errorUpdateCount: 6 };
    expect(pollDelayMs(query, 2_000, half)).toBe(12_000);
    query.state = { status: "success", errorUpdateCount: 6 };
    expect(pollDelayMs(query, 2_000, half)).toBe(2_000);
    query.state = { status: "error", errorUpdateCount: 7 };
    expect(pollDelayMs(query, 2_000, half)).toBe(3_000);
  });

  it("counts failures of a query that never loaded (pending between attempts)", () => {
    const query = fakeQuery({ status: "error", errorUpdateCount: 1 });
    expect(pollDelayMs(query, 2_000, half)).toBe(3_000);
    query.state = { status: "pending", errorUpdateCount: 1 };
    expect(pollDelayMs(query, 2_000, half)).toBe(3_000);
    query.state = { status: "error", errorUpdateCount: 2 };
    expect(pollDelayMs(query, 2_000, half)).toBe(6_000);
  });

  it("draws the jittered wait once per failure, so asking again does not move the next poll", () => {
    const query = fakeQuery({ status: "error", errorUpdateCount: 2 });
    let draws = 0;
    const random = () => {
      draws += 1;
      return Math.random();
    };
    const first = pollDelayMs(query, 2_000, random);
    for (let i = 0; i < 10; i++) expect(pollDelayMs(query, 2_000, random)).toBe(first);
    expect(draws).toBe(1);
  });

  it("never polls a failing query faster than a healthy one", () => {
    const query = fakeQuery({ status: "error", errorUpdateCount: 1 });
    expect(pollDelayMs(query, 30_000, half)).toBe(30_000);
  });
});

describe("ConsoleQueryClient", () => {
  it("paces every polling query, whatever hook declared it", () => {
    const client = new ConsoleQueryClient();
    const options = client.defaultQueryOptions({ queryKey: ["a"], refetchInterval: 5_000 });
    expect(typeof options.refetchInterval).toBe("function");
    const again = client.defaultQueryOptions({ queryKey: ["b"], refetchInterval: 5_000 });
    // The same function for the same pace: options compare equal between renders.
    expect(again.refetchInterval).toBe(options.refetchInterval);
  });

  it("leaves queries that do not poll alone, and defaults options once", () => {
    const client = new ConsoleQueryClient();
    expect(client.defaultQueryOptions({ queryKey: ["c"] }).refetchInterval).toBeUndefined();
    const defaulted = client.defaultQueryOptions({ queryKey: ["d"], refetchInterval: 1_000 });
    expect(client.defaultQueryOptions(defaulted)).toBe(defaulted);
  });
});
