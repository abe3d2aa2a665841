import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AdminFixture, createAdminFixture } from "@/server/testing/admin-fixture";
import { describeRoleMatrix } from "@/server/testing/role-matrix";
import * as system from "./route";

let fx: AdminFixture;
beforeAll(async () => {
  fx = await createAdminFixture({ FLOODGATE_STORE_FAILURE_MODE: "open" });
});
afterAll(() => fx.close());

describeRoleMatrix("GET /api/admin/system: roles", () => fx, [
  { name: "GET /system", module: system, method: "GET", role: "viewer" },
]);

describe("GET /api/admin/system", () => {
  it("answers the store's breaker, the cluster role and the failure mode", async () => {
    const { status, json } = await fx.call(system, "GET", { role: "viewer" });
    expect(status).toBe(200);
    expect(json).toMatchObject({
      status: "ok",
      store: { kind: "sqlite", state: "ok", breaker: "closed", consecutiveFailures: 0, lastError: null },
      cluster: { role: "single", nodeId: null, leaderUrl: null },
      failureMode: "open",
      failOpenAdmissions: 0,
    });
  });
});
