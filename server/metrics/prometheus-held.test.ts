import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { registerHeldHeartbeats } from "@/server/metrics/prometheus";

describe("floodgate_held_heartbeats", () => {
  it("reports the held heartbeats per room at scrape time, and only those rooms holding now", async () => {
    const registry = new Registry();
    let counts = new Map([
      ["default", 3],
      ["tickets", 1],
    ]);
    registerHeldHeartbeats(registry, () => counts);
    registerHeldHeartbeats(registry, () => counts); // a second call registers nothing twice
    const first = await registry.metrics();
    expect(first).toContain('floodgate_held_heartbeats{room="default"} 3');
    expect(first).toContain('floodgate_held_heartbeats{room="tickets"} 1');
    counts = new Map([["tickets", 2]]);
    const second = await registry.metrics();
    expect(second).not.toContain('room="default"');
    expect(second).toContain('floodgate_held_heartbeats{room="tickets"} 2');
  });
});
