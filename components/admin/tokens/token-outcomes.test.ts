import { describe, expect, it } from "vitest";
import type { AdminToken } from "@/server/admin/admin-types";
import { admitOutcome, outcomeMessage, outcomeShownMs, rowsWithOutcomes, type TokenOutcome } from "./token-outcomes";

function token(id: string, state: AdminToken["state"] = "waiting", position: number | null = 1): AdminToken {
  return {
    id,
    room: "tickets",
    seq: 1,
    reference: `REF-${id}`,
    bypassed: false,
    state,
    position,
    enteredAt: "2026-12-02T10:00:00.000Z",
    admittedAt: null,
    admissionNo: null,
    expiresAt: "2026-12-02T10:10:00.000Z",
    leaving: false,
    waitedSeconds: 5,
  };
}

const at = 1_000_000;
const outcome = (kind: TokenOutcome["kind"], t: AdminToken, index: number, atMs = at): TokenOutcome => ({
  kind,
  token: t,
  index,
  atMs,
});

describe("rowsWithOutcomes", () => {
  it("puts an evicted visitor back where their row was, marked gone, until the mark expires", () => {
    const [a, b, c] = [token("a"), token("b"), token("c")];
    const outcomes = new Map([["b", outcome("evicted", b, 1)]]);
    const rows = rowsWithOutcomes([a, c], outcomes, at + 1_000);
    expect(rows.map((row) => [row.token.id, row.gone])).toEqual([
      ["a", false],
      ["b", true],
      ["c", false],
    ]);
    expect(rowsWithOutcomes([a, c], outcomes, at + outcomeShownMs).map((row) => row.token.id)).toEqual(["a", "c"]);
  });

  it("keeps a gone row at the end when the list got shorter than its place", () => {
    const rows = rowsWithOutcomes([token("a")], new Map([["z", outcome("evicted", token("z"), 7)]]), at);
    expect(rows.map((row) => row.token.id)).toEqual(["a", "z"]);
  });

  it("marks a listed visitor who was just admitted, with the server's new state", () => {
    const moved = token("b", "waiting", 1);
    const rows = rowsWithOutcomes(
      [moved, token("a", "waiting", 2)],
      new Map([["b", outcome("moved-to-front", moved, 1)]]),
      at,
    );
    expect(rows[0]).toMatchObject({ gone: false, outcome: { kind: "moved-to-front" } });
    expect(rows[1]?.outcome).toBeNull();
  });
});

describe("what the toast says", () => {
  it("tells an admission at once from a move to the front", () => {
    expect(admitOutcome(token("a", "admitted", null))).toBe("admitted");
    expect(admitOutcome(token("a", "waiting", 1))).toBe("moved-to-front");
  });

  it("names the reference and what the visitor sees now", () => {
    expect(outcomeMessage("evicted", token("a"))).toBe(
      "Evicted REF-a — their page now says the site removed them from the line.",
    );
    expect(outcomeMessage("evicted", token("a", "admitted", null))).toMatch(/^Evicted REF-a — their visit has ended/);
    expect(outcomeMessage("admitted", token("a"))).toBe("Admitted REF-a — they are let in now.");
    expect(outcomeMessage("moved-to-front", token("a"))).toMatch(/^REF-a moved to the front of the line/);
  });
});
