// The waiting page's tab title, the same from the server's first HTML and from the live page:
// the place in line first (people wait in another tab and glance at it), then the room.
import { formatCount, type WaitingMessages } from "./messages";

/** Without the trailing " · Floodgate" (the root layout's title template adds it to server titles). */
export function tabTitle(messages: WaitingMessages, displayName: string, position: number | null): string {
  const base = `${messages.documentTitle} · ${displayName}`;
  return position === null ? base : `${messages.tabTitleInLine(formatCount(messages, position))} · ${base}`;
}
