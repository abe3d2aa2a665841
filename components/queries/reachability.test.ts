import { afterEach, describe, expect, it } from "vitest";
import { ApiRequestError } from "./api";
import { getReachability, isUnreachableError, noteAnswer, noteFailure, resetReachability } from "./reachability";

afterEach(resetReachability);

describe("isUnreachableError", () => {
  it.each([
    [new ApiRequestError(0, "network_error", "Cannot reach the server."), true],
    [new ApiRequestError(502, "http_error", "The server answered 502."), true],
    [new ApiRequestError(504, "http_error", "The server answered 504."), true],
    // Floodgate itself answering 503 with its JSON error (a store or a room is down): reachable.
    [new ApiRequestError(503, "unavailable", "The queue store is unavailable."), false],
    [new ApiRequestError(500, "internal_error", "Something went wrong."), false],
    [new ApiRequestError(404, "not_found", "No such room."), false],
    [new Error("boom"), false],
  ])("%s → %s", (error, unreachable) => {
    expect(isUnreachableError(error)).toBe(unreachable);
  });
});

describe("the console's reachability", () => {
  it("turns unreachable at the first failure, keeps the outage's start, and clears at any answer", () => {
    const down = new ApiRequestError(0, "network_error", "Cannot reach the server.");
    noteFailure(down, 1_000);
    noteFailure(down, 5_000);
    expect(getReachability()).toMatchObject({ reachable: false, unreachableSinceMs: 1_000 });
    // A refusal is still an answer: the server is there.
    noteFailure(new ApiRequestError(500, "internal_error", "Something went wrong."), 6_000);
    expect(getReachability()).toMatchObject({ reachable: true, unreachableSinceMs: null });
    noteFailure(down, 7_000);
    noteAnswer();
    expect(getReachability()).toMatchObject({ reachable: true, unreachableSinceMs: null });
  });

  it("is not changed by errors that are not the server's (a bug in the page)", () => {
    noteFailure(new TypeError("x is undefined"), 1_000);
    expect(getReachability().reachable).toBe(true);
  });
});
