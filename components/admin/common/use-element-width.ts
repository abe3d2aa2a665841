"use client";

import { type RefObject, useEffect, useRef, useState } from "react";

/** An element's width in px, kept current as it resizes; `initialPx` until first measured. */
export function useElementWidth<E extends HTMLElement>(initialPx: number): [RefObject<E | null>, number] {
  const ref = useRef<E>(null);
  const [width, setWidth] = useState(initialPx);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    setWidth(element.getBoundingClientRect().width);
    const observer = new ResizeObserver((entries) => {
      const entry = entries[0];
      if (entry) setWidth(entry.contentRect.width);
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}
