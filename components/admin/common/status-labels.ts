// Words and badge tones (admin.module.css .badge[data-tone]) for the states the console shows.
// Tone backs up the word, never replaces it.
import type {
  AlertEventRecord,
  AlertState,
  DeliveryKind,
  DeliveryStatus,
  ScaleEventStatus,
  SurgeRecord,
} from "@/server/admin/admin-types";

export type Tone = "ok" | "warn" | "danger" | "accent" | undefined;

export const eventStatusLabels: Record<ScaleEventStatus, string> = {
  scheduled: "Upcoming",
  lead: "Lead time",
  running: "Running",
  ended: "Ended",
  cancelled: "Cancelled",
};

export const eventStatusTones: Record<ScaleEventStatus, Tone> = {
  scheduled: "accent",
  lead: "warn",
  running: "ok",
  ended: undefined,
  cancelled: undefined,
};

export const alertStateLabels: Record<AlertState, string> = { ok: "OK", alarm: "ALARM" };
export const alertStateTones: Record<AlertState, Tone> = { ok: "ok", alarm: "danger" };

export const notificationLabels: Record<AlertEventRecord["notification"], string> = {
  sent: "Notified",
  suppressed_cooldown: "Suppressed (cooldown)",
  no_channel: "No channel",
};

export const notificationTones: Record<AlertEventRecord["notification"], Tone> = {
  sent: "ok",
  suppressed_cooldown: undefined,
  no_channel: "warn",
};

export const deliveryStatusLabels: Record<DeliveryStatus, string> = {
  pending: "Pending",
  retrying: "Retrying",
  sent: "Sent",
  failed: "Failed",
  dropped: "Dropped",
};

export const deliveryStatusTones: Record<DeliveryStatus, Tone> = {
  pending: "accent",
  retrying: "warn",
  sent: "ok",
  failed: "danger",
  dropped: "danger",
};

export const deliveryStatusOptions = Object.keys(deliveryStatusLabels) as DeliveryStatus[];

export const deliveryKindLabels: Record<DeliveryKind, string> = {
  alarm: "Alarm",
  recovery: "Recovery",
  scale: "Scale",
  test: "Test",
};

export const surgeEndLabels: Record<NonNullable<SurgeRecord["endReason"]>, string> = {
  hold_expired: "hold ran out",
  low_traffic: "traffic fell off",
  operator: "ended by an operator",
};
