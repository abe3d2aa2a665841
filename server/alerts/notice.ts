import type { DeliveryKind } from "@/server/admin/admin-types";

// What other capabilities (alerts, the scheduler, surges, the admin service) hand to the
// notifier. Notifying never waits on SNS and never throws: it records a delivery and returns;
// a background worker sends it with timeouts, retries and a time-to-live.

export type Notice = {
  /** null: not about one room (e.g. a test of the default channel). */
  roomId: string | null;
  kind: DeliveryKind;
  /** Short, for SNS's Subject (email subscriptions): at most 100 characters, one line. */
  subject: string;
  /** The full text; scale announcements read like a chat post ("capacity 100 → 500 for …"). */
  message: string;
  /** A topic of its own (a threshold's); else the room's channel, else the default. */
  topicArn?: string | null;
};

/**
 * queued: a delivery was recorded (see its status in the delivery log); no_channel: no topic
 * applies; not_recorded: the delivery log could not be written (logged), so nothing will be sent.
 */
export type NotifyOutcome =
  | { status: "queued"; deliveryId: string }
  | { status: "no_channel" }
  | { status: "not_recorded"; reason: string };

export interface Notifier {
  notify(notice: Notice): Promise<NotifyOutcome>;
}
