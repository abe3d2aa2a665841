import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { retryScript, retryScriptHash } from "@/server/gate/retry-script";

describe("the gate pages' retry script", () => {
  it("is allowed by the hash the pages' policy names (change one, change both)", () => {
    const hash = createHash("sha256").update(retryScript).digest("base64");
    expect(retryScriptHash).toBe(`'sha256-${hash}'`);
  });

  it("is valid JavaScript", () => {
    expect(() => new Function(retryScript)).not.toThrow();
  });
});
