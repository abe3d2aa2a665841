// How each room mode is explained to operators. Kept beside the UI (not imported from the
// server's runtime list) because client components import only types from server/.
import type { RoomMode } from "@/server/queue/types";

export const roomModeOptions: ReadonlyArray<{ value: RoomMode; label: string; description: string }> = [
  {
    value: "fifo",
    label: "First come, first served",
    description: "Waiting visitors are admitted in arrival order as slots free up.",
  },
  {
    value: "random",
    label: "Lottery",
    description: "Each free slot goes to a random waiting visitor; when they joined does not matter.",
  },
  {
    value: "passthrough",
    label: "Pass-through",
    description: "No queue: everyone is admitted at once and capacity is not enforced.",
  },
  {
    value: "closed",
    label: "Closed",
    description: "Nobody new may join and nobody is admitted; people in line keep their place.",
  },
];

export const roomModeLabels = Object.fromEntries(
  roomModeOptions.map((option) => [option.value, option.label]),
) as Record<RoomMode, string>;

export const roomModeTone: Record<RoomMode, "accent" | "ok" | "warn" | "danger"> = {
  fifo: "accent",
  random: "accent",
  passthrough: "warn",
  closed: "danger",
};
