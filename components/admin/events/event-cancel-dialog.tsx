"use client";

import { errorMessage } from "@/components/queries/api";
import { useCancelEvent } from "@/components/queries/use-cancel-event";
import type { ScaleEventRecord } from "@/server/admin/admin-types";
import { ConfirmDialog } from "../common/confirm-dialog";
import { formatCount, formatTimeRange } from "../common/format";
import { eventPhase, isLive } from "./event-phase";

type EventCancelDialogProps = {
  /** The event to cancel; null keeps the dialog closed. */
  event: ScaleEventRecord | null;
  /** The instant the list judged the event's phase by, so the dialog says the same. */
  nowMs: number;
  onClose: () => void;
  onCancelled: (event: ScaleEventRecord) => void;
};

// DELETE /api/admin/rooms/:room/events/:event. Cancelling a running event lowers capacity at
// once, so the dialog says which way things go.
export function EventCancelDialog({ event, nowMs, onClose, onCancelled }: EventCancelDialogProps) {
  // The hook is per room; with no event the room does not matter (nothing is sent).
  const cancel = useCancelEvent(event?.roomId ?? "");
  const phase = event ? eventPhase(event, nowMs) : null;
  const live = phase !== null && isLive(phase);

  function close() {
    cancel.reset();
    onClose();
  }

  return (
    <ConfirmDialog
      open={event !== null}
      title={event ? `Cancel “${event.name}”?` : ""}
      confirmLabel="Cancel event"
      tone={live ? "danger" : "default"}
      reason="optional"
      pending={cancel.isPending}
      error={cancel.error ? errorMessage(cancel.error) : null}
      onConfirm={(reason) =>
        event &&
        cancel.mutate(
          { id: event.id, reason: reason || undefined },
          {
            onSuccess: (data) => {
              cancel.reset();
              onCancelled(data.event);
            },
          },
        )
      }
      onCancel={close}
    >
      {event ? (
        <p>
          {live
            ? `It is ${phase === "lead" ? "in its lead time" : "running"}: the room's capacity drops back now from ${formatCount(event.capacity)} to what other events, a surge or the base call for.${event.preQueue && phase === "lead" ? " Those in its pre-queue join the line in the order they came." : ""}`
            : `Planned for ${formatTimeRange(event.startsAt, event.endsAt)}; nothing changes now, and it will not apply.`}
        </p>
      ) : null}
    </ConfirmDialog>
  );
}
