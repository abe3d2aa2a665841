import { describe, expect, it } from "vitest";
import { GoneReasons, goneReasonRetentionMs, maxGoneReasons } from "@/server/queue/gone-reasons";

const t0 = 1_800_000_000_000;

describe("GoneReasons", () => {
  it("reads a noted reason until its retention runs out, then silence", () => {
    const reasons = new GoneReasons();
    reasons.note("a", "evicted", t0);
    reasons.note("b", "ended_by_site", t0 + 1);
    expect(reasons.reasonFor("a", t0 - 60_000, t0 + 1_000)).toBe("evicted");
    expect(reasons.reasonFor("b", t0 - 60_000, t0 + 1_000)).toBe("ended_by_site");
    expect(reasons.reasonFor("c", t0 - 60_000, t0 + 1_000)).toBe("timed_out");
    expect(reasons.reasonFor("a", t0 - 60_000, t0 + goneReasonRetentionMs)).toBe("timed_out");
  });

  it("forgets expired reasons as new ones come, oldest first", () => {
    const reasons = new GoneReasons();
    reasons.note("a", "evicted", t0);
    reasons.note("b", "evicted", t0 + 10);
    reasons.note("c", "evicted", t0 + goneReasonRetentionMs + 5);
    expect(reasons.size).toBe(2);
    expect(reasons.reasonFor("b", t0, t0 + goneReasonRetentionMs + 5)).toBe("evicted");
  });

  it("keeps at most maxGoneReasons, dropping the oldest", () => {
    const reasons = new GoneReasons();
    for (let i = 0; i <= maxGoneReasons; i++) reasons.note(`v${i}`, "evicted", t0);
    expect(reasons.size).toBe(maxGoneReasons);
    expect(reasons.reasonFor("v0", t0, t0)).toBe("timed_out");
    expect(reasons.reasonFor(`v${maxGoneReasons}`, t0, t0)).toBe("evicted");
  });

  it("says a place from before a restore was lost on our side, only while restored places wait", () => {
    const reasons = new GoneReasons();
    reasons.noteRestored(t0, 50_000);
    expect(reasons.reasonFor("old", t0 - 30_000, t0 + 10_000)).toBe("lost");
    expect(reasons.reasonFor("old", t0 - 30_000, t0 + 50_000)).toBe("lost");
    // A page that stayed away longer than the grace was silent, whatever happened to us.
    expect(reasons.reasonFor("old", t0 - 30_000, t0 + 50_001)).toBe("timed_out");
    // Issued in the second of loading or after: this process knew it.
    expect(reasons.reasonFor("new", t0, t0 + 10_000)).toBe("timed_out");
    expect(reasons.reasonFor("new", t0 - 999, t0 + 10_000)).toBe("timed_out");
  });

  it("notes silence only during the restore grace, where it must win over 'lost'", () => {
    const reasons = new GoneReasons();
    reasons.noteSilent("x", t0);
    expect(reasons.size).toBe(0);
    reasons.noteRestored(t0, 50_000);
    reasons.noteSilent("y", t0 + 20_000);
    reasons.noteSilent("z", t0 + 60_000);
    expect(reasons.size).toBe(1);
    expect(reasons.reasonFor("y", t0 - 30_000, t0 + 30_000)).toBe("timed_out");
  });
});
