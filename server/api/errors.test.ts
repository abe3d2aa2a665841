import { describe, expect, it, vi } from "vitest";
import { AppError, isAppError } from "@/server/api/errors";

describe("isAppError", () => {
  it("recognises an AppError from another copy of the module (Next bundles its own)", async () => {
    // A second, separate evaluation of the module: what a Next route bundle holds.
    vi.resetModules();
    const otherCopy = await import("@/server/api/errors");
    const foreign = new otherCopy.AppError("room_not_found", "No waiting room named x.");
    expect(foreign instanceof AppError).toBe(false);
    expect(isAppError(foreign)).toBe(true);
  });

  it("does not take other errors for one", () => {
    expect(isAppError(new Error("boom"))).toBe(false);
    const named = Object.assign(new Error("x"), { name: "AppError", code: "not_a_code" });
    expect(isAppError(named)).toBe(false);
    expect(isAppError({ name: "AppError", code: "forbidden" })).toBe(false);
  });
});
