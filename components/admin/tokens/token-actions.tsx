"use client";

import { errorMessage } from "@/components/queries/api";
import { useAdmitToken } from "@/components/queries/use-admit-token";
import { useEvictToken } from "@/components/queries/use-evict-token";
import type { AdminRoom, AdminToken } from "@/server/admin/admin-types";
import { ConfirmDialog } from "../common/confirm-dialog";
import { formatCount, plural } from "../common/format";
import { useToast } from "../common/toast";
import { admitOutcome, outcomeMessage, type TokenOutcomeKind } from "./token-outcomes";

export type TokenAction = { kind: "evict" | "admit"; token: AdminToken };

// The confirmations for acting on one visitor; each names who, where, and what follows.
export function TokenActionDialogs({
  room,
  action,
  onDone,
  onOutcome,
}: {
  room: AdminRoom;
  action: TokenAction | null;
  onDone: () => void;
  /** What the action did to whom (`after`: the server's answer), for the row to show it. */
  onOutcome: (kind: TokenOutcomeKind, before: AdminToken, after: AdminToken) => void;
}) {
  const evict = useEvictToken(room.id);
  const admit = useAdmitToken(room.id);
  const toast = useToast();
  const token = action?.token;
  const who = token ? `visitor ${token.reference}` : "";
  // No slot for them now: they go to the front of the line and the next free slot is theirs.
  const noSlot = room.mode === "closed" || (room.stats.active >= room.capacity && room.mode !== "passthrough");
  const ahead = token?.position ? token.position - 1 : 0;

  function close() {
    evict.reset();
    admit.reset();
    onDone();
  }

  function done(kind: TokenOutcomeKind, before: AdminToken, after: AdminToken) {
    toast(outcomeMessage(kind, before));
    onOutcome(kind, before, after);
    close();
  }

  return (
    <>
      <ConfirmDialog
        open={action?.kind === "evict"}
        title={`Evict ${who} from ${room.name}?`}
        confirmLabel="Evict"
        tone="danger"
        reason="optional"
        pending={evict.isPending}
        error={evict.error ? errorMessage(evict.error) : null}
        onConfirm={(reason) =>
          token &&
          evict.mutate(
            { id: token.id, reason: reason || undefined },
            { onSuccess: (data) => done("evicted", token, data.token) },
          )
        }
        onCancel={close}
      >
        <p>
          {token?.state === "waiting"
            ? `They lose place ${formatCount(token.position ?? 0)} in line; to come back they join again at the end.`
            : "Their admission ends now; their next page view says the site removed them."}
        </p>
      </ConfirmDialog>
      <ConfirmDialog
        open={action?.kind === "admit"}
        title={`Admit ${who} to ${room.name} now?`}
        confirmLabel="Admit"
        reason="required"
        pending={admit.isPending}
        error={admit.error ? errorMessage(admit.error) : null}
        onConfirm={(reason) =>
          token &&
          admit.mutate(
            { id: token.id, reason },
            { onSuccess: (data) => done(admitOutcome(data.token), token, data.token) },
          )
        }
        onCancel={close}
      >
        {noSlot ? (
          <p>
            <strong>
              {room.mode === "closed"
                ? `${room.name} is closed, so nobody is admitted now.`
                : `${room.name} is at capacity (${formatCount(room.stats.active)} of ${formatCount(room.capacity)}).`}
            </strong>{" "}
            {ahead > 0
              ? `They move ahead of ${plural(ahead, "person", "people")} to the front of the line`
              : "They stay at the front of the line"}{" "}
            and get the next free slot.
          </p>
        ) : (
          <p>
            {ahead > 0
              ? `They skip ahead of ${plural(ahead, "person", "people")} in line and take`
              : "They are next in line; admitting them now takes"}{" "}
            one of the room's {formatCount(room.capacity)} slots.
          </p>
        )}
      </ConfirmDialog>
    </>
  );
}
