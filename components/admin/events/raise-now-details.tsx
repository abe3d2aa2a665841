"use client";

import type { ScaleEventInput, ScaleEventRecord } from "@/server/admin/admin-types";
import { formatCount, formatWhen } from "../common/format";
import { formatRelative } from "../common/relative-time";

/**
 * A save that changes live traffic at once waits for a confirmation (with a reason for the
 * audit log): "Start now", a lead time that has already begun (leadBegunMs: when capacity was
 * due to rise), or an edit of an event that has begun.
 */
export type Pending =
  | { kind: "create"; input: ScaleEventInput; leadBegunMs: number | null }
  | { kind: "update"; patch: Partial<ScaleEventInput>; leadBegunMs: number | null };

/** "15:00 (in 12 min)": a time with how far it is, so a passed one reads as passed. */
function when(iso: string | number, nowMs: number): string {
  const epochMs = typeof iso === "number" ? iso : Date.parse(iso);
  return `${formatWhen(epochMs)} (${formatRelative(epochMs, nowMs)})`;
}

// What the confirmation says will happen, in plain words and with the times that matter.
export function RaiseNowDetails({
  pending,
  event,
  nowMs,
}: {
  pending: Pending;
  event: ScaleEventRecord | null;
  nowMs: number;
}) {
  const capacity =
    pending.kind === "create" ? pending.input.capacity : (pending.patch.capacity ?? event?.capacity ?? 0);
  if (pending.kind === "create" && pending.input.startsAt === "now") {
    return (
      <p>
        The room's capacity goes to at least {formatCount(capacity)} at once, until {formatWhen(pending.input.endsAt)}.
        Waiting visitors may be admitted right away.
      </p>
    );
  }
  if (pending.leadBegunMs !== null) {
    const startsAt = pending.kind === "create" ? pending.input.startsAt : (pending.patch.startsAt ?? event?.startsAt);
    const endsAt = pending.kind === "create" ? pending.input.endsAt : (pending.patch.endsAt ?? event?.endsAt);
    return (
      <>
        <p data-testid="raise-now-warning">
          Its lead time has already begun: capacity was due to rise at {formatWhen(pending.leadBegunMs)},{" "}
          {formatRelative(pending.leadBegunMs, nowMs)}. So the room's capacity rises to at least {formatCount(capacity)}{" "}
          as soon as you confirm, and waiting visitors may be admitted right away.
        </p>
        {startsAt && endsAt ? (
          <p>
            The event starts {when(startsAt, nowMs)} and ends {formatWhen(endsAt)}. To keep capacity where it is for
            now, go back and pick a later start or a shorter lead time.
          </p>
        ) : null}
      </>
    );
  }
  const patch = pending.kind === "update" ? pending.patch : {};
  return (
    <p>
      The change applies to live traffic at once
      {patch.capacity !== undefined
        ? `: capacity ${formatCount(event?.capacity ?? 0)} → ${formatCount(patch.capacity)}`
        : ""}
      {patch.endsAt !== undefined ? `; it now ends at ${formatWhen(patch.endsAt)}` : ""}.
    </p>
  );
}
