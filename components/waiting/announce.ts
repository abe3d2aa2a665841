// Decides when the screen-reader live region speaks. State changes are always announced;
// a changing place in line is announced at most every POSITION_GAP_MS (a fast line moves at
// every heartbeat, and hearing a number every few seconds is noise), except near the front
// where every step matters.
import type { DisplayState } from "./queue-view";

export type Announced = { state: DisplayState; position: number | null; atMs: number };

export const POSITION_GAP_MS = 30_000;
const ALWAYS_ANNOUNCE_FROM_POSITION = 3;

export type AnnouncementKind = "state" | "position" | null;

export function announcementFor(
  last: Announced | null,
  current: { state: DisplayState; position: number | null },
  nowMs: number,
): AnnouncementKind {
  // The first render is read with the page itself; the live region speaks only about changes.
  if (!last) return null;
  if (current.state !== last.state) return "state";
  if (current.position === null || current.position === last.position) return null;
  if (current.position <= ALWAYS_ANNOUNCE_FROM_POSITION) return "position";
  return nowMs - last.atMs >= POSITION_GAP_MS ? "position" : null;
}
