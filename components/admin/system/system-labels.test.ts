import { describe, expect, it } from "vitest";
import type { SystemStatus } from "@/server/store/system-status";
import { outageSentence } from "./system-labels";

const healthy: SystemStatus = {
  status: "ok",
  store: {
    kind: "dynamodb",
    state: "ok",
    breaker: "closed",
    sinceMs: 0,
    consecutiveFailures: 0,
    lastError: null,
    lastErrorAtMs: null,
    failureMode: "closed",
  },
  cluster: {
    role: "leader",
    nodeId: "http://10.0.0.1:3000#ab",
    leaderUrl: "http://10.0.0.1:3000",
    fencingToken: 3,
    sinceMs: 0,
  },
  failureMode: "closed",
  failOpenAdmissions: 0,
};
const down = { ...healthy.store, state: "degraded" as const, breaker: "open" as const, consecutiveFailures: 5 };

describe("the console banner's sentence", () => {
  it("is silent while the store answers and a node leads", () => {
    expect(outageSentence(healthy)).toBeNull();
    expect(outageSentence({ ...healthy, cluster: { ...healthy.cluster, role: "follower" } })).toBeNull();
  });

  it("says what visitors get while the store is down, by failure mode", () => {
    expect(outageSentence({ ...healthy, status: "degraded", store: down })).toMatch(
      /Queue store unreachable since .* failing closed: nobody new is admitted/,
    );
    expect(
      outageSentence({ ...healthy, status: "degraded", store: down, failureMode: "open", failOpenAdmissions: 1234 }),
    ).toMatch(/failing open: .*1,234 let through/);
  });

  it("says so while no node leads the cluster", () => {
    const electing = {
      ...healthy,
      status: "degraded" as const,
      cluster: { ...healthy.cluster, role: "electing" as const },
    };
    expect(outageSentence(electing)).toMatch(/No node leads the cluster right now.*keeps their place/);
  });
});
