"use client";

import Link from "next/link";
import { useState } from "react";
import { useCreateRoom } from "@/components/queries/use-create-room";
import { ConfirmDialog } from "../common/confirm-dialog";
import { CreatePanel } from "../common/create-panel";
import { useCreateForm } from "../common/use-create-form";
import { RoomFields } from "./room-fields";
import { emptyRoomForm, type RoomFormRoom, type RoomFormValues, validateRoomForm } from "./room-form";

function checkRoom(values: RoomFormValues) {
  const { errors, room } = validateRoomForm(values);
  return { errors, input: room };
}

// POST /api/admin/rooms, from the dashboard (operators and admins).
export function CreateRoomForm({ onClose }: { onClose: () => void }) {
  const createRoom = useCreateRoom();
  const form = useCreateForm({
    empty: emptyRoomForm,
    validate: checkRoom,
    mutation: createRoom,
    conflict: { code: "room_exists", field: "id" },
  });
  const [pendingRoom, setPendingRoom] = useState<RoomFormRoom | null>(null);
  const create = (room: RoomFormRoom) => form.create(room, () => setPendingRoom(null));
  const created = form.created;

  return (
    <CreatePanel
      noun="room"
      form={form}
      success={
        created ? (
          <>
            Room {created.name} created. <Link href={`/admin/rooms/${created.id}`}>Open {created.name}</Link>
          </>
        ) : null
      }
      // A room that guards paths changes live traffic at once: say which, and ask first.
      onSubmit={form.submitWith((room) => (room.protectedPaths.length > 0 ? setPendingRoom(room) : create(room)))}
      onClose={onClose}
      after={
        <ConfirmDialog
          open={pendingRoom !== null}
          title={`Create room ${pendingRoom?.name ?? ""}?`}
          confirmLabel="Create room"
          pending={createRoom.isPending}
          onConfirm={() => pendingRoom && create(pendingRoom)}
          onCancel={() => setPendingRoom(null)}
        >
          <p>
            From now on, requests to <strong>{pendingRoom?.protectedPaths.join(", ")}</strong> go through this room's
            line, with up to {pendingRoom?.capacity.toLocaleString()} visitors inside at once.
          </p>
        </ConfirmDialog>
      }
    >
      <RoomFields idPrefix="new-room" values={form.values} errors={form.errors} onChange={form.setValues} isNew />
    </CreatePanel>
  );
}
