// What an operator's action on one visitor did, said once in a toast and shown on the row for
// a few seconds: an evicted visitor's row stays in place, struck through, instead of vanishing
// at the next poll; an admitted or moved one is highlighted with its new state.
import type { AdminToken } from "@/server/admin/admin-types";

export type TokenOutcomeKind = "evicted" | "admitted" | "moved-to-front";

export type TokenOutcome = {
  kind: TokenOutcomeKind;
  /** The visitor as the server answered the action. */
  token: AdminToken;
  /** Where the row was in the table, so an evicted one stays put. */
  index: number;
  atMs: number;
};

/** How long a row stays marked after the action. */
export const outcomeShownMs = 10_000;

/** The kind of an admission: admitted at once, or (no free slot) moved to the front of the line. */
export function admitOutcome(token: AdminToken): TokenOutcomeKind {
  return token.state === "waiting" ? "moved-to-front" : "admitted";
}

/** The toast: what happened, and what the visitor sees now. */
export function outcomeMessage(kind: TokenOutcomeKind, before: AdminToken): string {
  const ref = before.reference;
  switch (kind) {
    case "evicted":
      return before.state === "waiting"
        ? `Evicted ${ref} — their page now says the site removed them from the line.`
        : `Evicted ${ref} — their visit has ended; their next page view says the site removed them.`;
    case "admitted":
      return `Admitted ${ref} — they are let in now.`;
    case "moved-to-front":
      return `${ref} moved to the front of the line — the next free slot is theirs.`;
  }
}

export type TokenRow = { token: AdminToken; outcome: TokenOutcome | null; gone: boolean };

/**
 * The table's rows: the listed visitors (marked when an action on them is recent), with each
 * recently evicted visitor put back where their row was, marked gone.
 */
export function rowsWithOutcomes(
  tokens: readonly AdminToken[],
  outcomes: ReadonlyMap<string, TokenOutcome>,
  nowMs: number,
): TokenRow[] {
  const recent = [...outcomes.values()].filter((o) => nowMs - o.atMs < outcomeShownMs);
  const byId = new Map(recent.map((o) => [o.token.id, o]));
  const rows: TokenRow[] = tokens.map((token) => {
    const outcome = byId.get(token.id) ?? null;
    return { token, outcome: outcome?.kind === "evicted" ? null : outcome, gone: false };
  });
  const listed = new Set(tokens.map((token) => token.id));
  const gone = recent.filter((o) => o.kind === "evicted" && !listed.has(o.token.id)).sort((a, b) => a.index - b.index);
  for (const outcome of gone) {
    rows.splice(Math.min(outcome.index, rows.length), 0, { token: outcome.token, outcome, gone: true });
  }
  return rows;
}
