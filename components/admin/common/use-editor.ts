"use client";

import { useState } from "react";

/**
 * A list with one editor panel open at a time (new or existing item), and the line saying what
 * the last save did. Opening an editor clears that line; saving closes the editor and sets it.
 */
export function useEditor<T>() {
  const [editing, setEditing] = useState<T | null>(null);
  const [done, setDone] = useState<string | null>(null);
  return {
    editing,
    done,
    open: (item: T) => {
      setDone(null);
      setEditing(item);
    },
    close: () => setEditing(null),
    saved: (message: string) => {
      setEditing(null);
      setDone(message);
    },
    /** An outcome not from the editor (a deletion, a cancellation). */
    report: setDone,
  };
}
