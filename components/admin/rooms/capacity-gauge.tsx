import type { RoomMode } from "@/server/queue/types";
import styles from "./room-card.module.css";

export type CapacityLevel = "open" | "busy" | "full" | "over" | "paused" | "unlimited";

/** How full a room is, in words as well as colour. */
export function capacityLevel(active: number, capacity: number, mode: RoomMode): CapacityLevel {
  if (mode === "passthrough") return "unlimited";
  if (capacity === 0) return "paused";
  if (active > capacity) return "over";
  if (active === capacity) return "full";
  return active / capacity >= 0.85 ? "busy" : "open";
}

/**
 * The card's one status line, short enough for a phone's card (about 30 characters): the
 * figures beside it already say "12 of 10 active", so the line says what follows from them.
 */
export function capacityLevelText(level: CapacityLevel, percent: number | null): string {
  switch (level) {
    case "open":
      return percent === null ? "Room to admit" : `Room to admit · ${percent}% in use`;
    case "busy":
      return percent === null ? "Nearly full" : `Nearly full · ${percent}% in use`;
    case "full":
      return "Full · admits as slots free";
    case "over":
      return "Over capacity · admits none";
    case "paused":
      return "Paused · capacity 0";
    case "unlimited":
      return "Not enforced (pass-through)";
  }
}

// A half-ring gauge in plain SVG: the arc is the share of capacity in use. pathLength=100
// lets the dash length be the percentage directly.
export function CapacityGauge({ active, capacity, level }: { active: number; capacity: number; level: CapacityLevel }) {
  const fraction = capacity > 0 ? Math.min(1, active / capacity) : level === "paused" ? 0 : 1;
  const percent = Math.round(fraction * 100);
  const arc = "M 6 50 A 44 44 0 0 1 94 50";
  return (
    <svg className={styles.gauge} data-level={level} viewBox="0 0 100 56" aria-hidden="true" focusable="false">
      <path d={arc} className={styles.gaugeTrack} pathLength={100} />
      {level !== "unlimited" && percent > 0 ? (
        <path d={arc} className={styles.gaugeFill} pathLength={100} strokeDasharray={`${percent} 100`} />
      ) : null}
    </svg>
  );
}
