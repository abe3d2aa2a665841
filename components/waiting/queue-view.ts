// What the waiting page is showing, and the one state name the UI, the tests
// (data-state) and the screen-reader announcements all key on.
import type { GoneReason, QueueStatus } from "@/server/queue/types";
import type { RefusalCode } from "./queue-api";

/**
 * `session_limit`: the room's time limit ended the session (the visitor was inside).
 * `evicted`: an operator removed the place. `ended_by_site`: the protected site ended the visit.
 */
export type GoneCause = "outage" | "silence" | "session_limit" | "evicted" | "ended_by_site";

/**
 * What the page tells the visitor. The site's own decisions and the time limit are said as
 * such whatever the connection did; the server's "lost" (not restored after a restart) is our
 * outage; plain silence right after calls failed is put down to us too (the page could not
 * reach us), otherwise to the page.
 */
export function goneCauseOf(reason: GoneReason | undefined, hadFailures: boolean): GoneCause {
  switch (reason) {
    case "evicted":
    case "ended_by_site":
    case "session_limit":
      return reason;
    case "lost":
      return "outage";
    default:
      return hadFailures ? "outage" : "silence";
  }
}

export type QueueView =
  /** No place yet: the enter call is on its way. */
  | { kind: "joining" }
  /**
   * No place yet: the room asks for its proof-of-work challenge, being solved in the background
   * ("Checking your browser"); `failed`: the solver gave up, tried again shortly or by the button.
   */
  | { kind: "checking"; failed: boolean }
  /**
   * The gate turned the visitor away for now (room full or closed); retried automatically at
   * `retryAtMs` (epoch ms; absent: `retryInMs` from when it is shown), or at once by "Try now".
   */
  | { kind: "refused"; code: RefusalCode; retryInMs: number; retryAtMs?: number }
  /**
   * The place is gone; only "get a new place" brings the visitor back in line. `outage`: it
   * lapsed while the page could not reach us, and the page says it was our side.
   */
  | { kind: "expired"; cause: GoneCause }
  /** In line or admitted; `status.state` is never "expired" here. */
  | { kind: "status"; status: QueueStatus };

export type DisplayState =
  | "joining"
  | "full"
  | "waiting"
  | "next"
  | "paused"
  | "closed"
  | "prequeue"
  | "admitted"
  | "expired"
  /** Expired while we were unreachable: our side, said without blaming the visitor. */
  | "lost"
  /** The room's time limit ended the visit. */
  | "ended"
  /** An operator removed the place (console or admin API). */
  | "removed"
  /** The protected site ended the visit (its session API). */
  | "siteEnded";

const displayOfCause: Record<GoneCause, DisplayState> = {
  outage: "lost",
  silence: "expired",
  session_limit: "ended",
  evicted: "removed",
  ended_by_site: "siteEnded",
};

export function viewFromStatus(status: QueueStatus | null): QueueView {
  if (!status) return { kind: "joining" };
  if (status.state !== "expired") return { kind: "status", status };
  return { kind: "expired", cause: goneCauseOf(goneReasonOfStatus(status), false) };
}

/** An expired status's reason: its goneReason, or (from a server that does not say) the time limit's mark. */
export function goneReasonOfStatus(status: QueueStatus): GoneReason | undefined {
  return status.goneReason ?? (status.sessionEndsAt !== null ? "session_limit" : undefined);
}

export function displayStateOf(view: QueueView): DisplayState {
  switch (view.kind) {
    case "joining":
    case "checking":
      return "joining";
    case "refused":
      return view.code === "room_full" ? "full" : "closed";
    case "expired":
      return displayOfCause[view.cause];
    case "status": {
      const { state, position } = view.status;
      if (state === "waiting" && position === 1) return "next";
      return state;
    }
  }
}

/** Position in line when the view has one (in line, paused or closed with a place). */
export function positionOf(view: QueueView): number | null {
  return view.kind === "status" && view.status.state !== "admitted" ? view.status.position : null;
}
