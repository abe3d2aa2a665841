// Whether the console can reach its server, as every request finds out: one small store that
// the QueryClient feeds (app/providers.tsx) and the System card and banner read. While the
// server is unreachable, react-query is told the console is offline, so every query waits
// (no requests at all) except the one probe (use-system-status.ts), which keeps asking on a
// growing back-off; the first answer brings everything back at once.
import { onlineManager } from "@tanstack/react-query";
import { useSyncExternalStore } from "react";
import { ApiRequestError } from "./api";

export type Reachability = {
  /** False from the first request that could not reach the server until one that did. */
  reachable: boolean;
  /** When the current outage was first seen (null while reachable). */
  unreachableSinceMs: number | null;
  /** The browser itself says it has no network. */
  browserOffline: boolean;
};

const initial: Reachability = { reachable: true, unreachableSinceMs: null, browserOffline: false };
let state: Reachability = initial;
const listeners = new Set<() => void>();

function update(next: Partial<Reachability>): void {
  const merged = { ...state, ...next };
  if (
    merged.reachable === state.reachable &&
    merged.unreachableSinceMs === state.unreachableSinceMs &&
    merged.browserOffline === state.browserOffline
  ) {
    return;
  }
  state = merged;
  for (const listener of listeners) listener();
}

/**
 * A failure that says nothing came back from Floodgate: no connection (status 0, including the
 * request timeout), or a gateway in front answering for it (502/503/504 without our JSON
 * error body). A 503 with `{ error }` is Floodgate answering (a room or the store is down):
 * the server is reachable.
 */
export function isUnreachableError(error: unknown): boolean {
  if (!(error instanceof ApiRequestError)) return false;
  if (error.status === 0) return true;
  return error.code === "http_error" && (error.status === 502 || error.status === 503 || error.status === 504);
}

/** Any answer from the server, success or refusal. */
export function noteAnswer(): void {
  update({ reachable: true, unreachableSinceMs: null });
}

/** A request's outcome, as the query and mutation caches report it. */
export function noteFailure(error: unknown, nowMs = Date.now()): void {
  if (!isUnreachableError(error)) {
    if (error instanceof ApiRequestError) noteAnswer();
    return;
  }
  update({ reachable: false, unreachableSinceMs: state.unreachableSinceMs ?? nowMs });
}

export function getReachability(): Reachability {
  return state;
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useReachability(): Reachability {
  return useSyncExternalStore(subscribe, getReachability, () => initial);
}

/**
 * React-query's idea of "online" becomes "the browser has a network and the server answers":
 * paused queries make no requests, and they all refetch when it turns true again.
 */
export function bindOnlineManager(): void {
  // The server render of the console has no window and sends no requests.
  if (typeof window === "undefined") return;
  onlineManager.setEventListener((setOnline) => {
    const sync = () => {
      update({ browserOffline: !navigator.onLine });
      setOnline(state.reachable && !state.browserOffline);
    };
    window.addEventListener("online", sync);
    window.addEventListener("offline", sync);
    const unsubscribe = subscribe(() => setOnline(state.reachable && !state.browserOffline));
    sync();
    return () => {
      window.removeEventListener("online", sync);
      window.removeEventListener("offline", sync);
      unsubscribe();
    };
  });
}

/** For tests: back to a fresh tab. */
export function resetReachability(): void {
  state = initial;
  for (const listener of listeners) listener();
}
