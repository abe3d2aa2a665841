"use client";

import { useEffect, useState } from "react";

/** The time, refreshed every `intervalMs`: for "now" lines and "in 5 min" texts that must move on their own. */
export function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), intervalMs);
    return () => window.clearInterval(timer);
  }, [intervalMs]);
  return now;
}
