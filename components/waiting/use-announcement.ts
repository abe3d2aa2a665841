// Text for the polite live region: what changed, worded for a listener, at a pace set by
// announce.ts. Returns "" until something worth saying happens.
import { useEffect, useRef, useState } from "react";
import { type Announced, announcementFor } from "./announce";
import { formatCount, type WaitingMessages } from "./messages";
import { displayStateOf, positionOf, type QueueView } from "./queue-view";

export function useAnnouncement(view: QueueView, messages: WaitingMessages): string {
  const [text, setText] = useState("");
  const lastRef = useRef<Announced | null>(null);
  const state = displayStateOf(view);
  const position = positionOf(view);

  useEffect(() => {
    const nowMs = Date.now();
    const kind = announcementFor(lastRef.current, { state, position }, nowMs);
    if (lastRef.current === null || kind !== null) lastRef.current = { state, position, atMs: nowMs };
    if (kind === null) return;
    const positionSentence = position === null ? "" : messages.announcePosition(formatCount(messages, position));
    setText(
      kind === "state"
        ? `${messages.states[state].heading}${messages.fullStop} ${positionSentence}`.trim()
        : positionSentence,
    );
  }, [state, position, messages]);

  return text;
}
