"use client";

import Link from "next/link";
import { type FormEvent, useState } from "react";
import { errorMessage } from "@/components/queries/api";
import { useChannel } from "@/components/queries/use-channel";
import { useDeliveries } from "@/components/queries/use-deliveries";
import { useSaveChannel } from "@/components/queries/use-save-channel";
import { useSendTestNotification } from "@/components/queries/use-send-test-notification";
import type { NotificationChannelResponse } from "@/server/admin/admin-types";
import styles from "../common/admin.module.css";
import { FormMessages, TextField } from "../common/form-field";
import { QueryState } from "../common/query-state";
import { useCan } from "../common/session-context";
import { deliveryStatusLabels, deliveryStatusTones } from "../common/status-labels";
import { isTopicArn, topicArnHint } from "./threshold-form";

/** The test delivery's fate, read from the delivery log as the worker sends it. */
function TestDeliveryStatus({ room, deliveryId }: { room: string; deliveryId: string }) {
  const deliveries = useDeliveries({ room, page: 1, pageSize: 20 });
  const delivery = deliveries.data?.items.find((item) => item.id === deliveryId);
  const log = <Link href={`/admin/alerts?room=${encodeURIComponent(room)}`}>delivery log</Link>;
  if (!delivery) return <p className={styles.note}>Test notification queued. Its outcome shows in the {log}.</p>;
  return (
    <p className={styles.small} role="status" data-testid="test-delivery">
      Test notification:{" "}
      <span className={styles.badge} data-tone={deliveryStatusTones[delivery.status]}>
        {deliveryStatusLabels[delivery.status]}
      </span>
      {delivery.attempts > 0 ? ` after ${delivery.attempts} ${delivery.attempts === 1 ? "attempt" : "attempts"}` : ""}
      {delivery.lastError ? ` — ${delivery.lastError}` : ""}. See the {log}.
    </p>
  );
}

function ChannelForm({ room, channel }: { room: string; channel: NotificationChannelResponse }) {
  const mayEdit = useCan("operator");
  const save = useSaveChannel(room);
  const [topic, setTopic] = useState(channel.topicArn ?? "");
  const [problem, setProblem] = useState<string | undefined>();
  const [saved, setSaved] = useState<string | null>(null);

  function store(topicArn: string | null) {
    setSaved(null);
    save.mutate(
      { topicArn },
      {
        onSuccess: (data) => {
          setTopic(data.topicArn ?? "");
          setSaved(
            data.topicArn ? "Saved: this room's notifications go to its own topic." : "Saved: the default applies.",
          );
        },
      },
    );
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const trimmed = topic.trim();
    if (trimmed !== "" && !isTopicArn(trimmed)) return setProblem(`Not an SNS topic ARN (${topicArnHint}).`);
    setProblem(undefined);
    store(trimmed === "" ? null : trimmed);
  }

  return (
    <form className={styles.form} onSubmit={submit} noValidate>
      <TextField
        id="channel-topic"
        label="Room topic ARN"
        hint={
          channel.defaultTopicArn
            ? `Empty: the default, ${channel.defaultTopicArn}.`
            : "Empty: the default from FLOODGATE_SNS_TOPIC_ARN, which is not set."
        }
        error={problem}
        className={`${styles.input} ${styles.mono}`}
        value={topic}
        disabled={!mayEdit}
        spellCheck={false}
        autoComplete="off"
        placeholder={channel.defaultTopicArn ?? "arn:aws:sns:…"}
        onValueChange={setTopic}
      />
      <FormMessages error={save.error ? errorMessage(save.error) : null} success={saved} />
      {mayEdit ? (
        <div className={styles.formActions}>
          <button type="submit" className={`button ${styles.compact}`} disabled={save.isPending}>
            Save topic
          </button>
          {channel.topicArn ? (
            <button
              type="button"
              className={`button button-secondary ${styles.compact}`}
              disabled={save.isPending}
              onClick={() => store(null)}
            >
              Use the default
            </button>
          ) : null}
        </div>
      ) : null}
    </form>
  );
}

// Where the room's notifications go (alarms, recoveries, scale announcements), whether any
// SNS topic applies at all, and a test that goes the whole way to SNS.
export function NotificationChannel({ room }: { room: string }) {
  const mayTest = useCan("operator");
  const channel = useChannel(room);
  const test = useSendTestNotification(room);
  const outcome = test.data?.outcome;

  if (!channel.data) {
    return (
      <QueryState
        what="the notification channel"
        isPending={channel.isPending}
        error={channel.error}
        onRetry={channel.refetch}
      />
    );
  }
  const { deliverable } = channel.data;
  return (
    <div className={styles.form} data-testid="notification-channel">
      <p className={styles.small}>
        <span className={styles.badge} data-tone={deliverable ? "ok" : "warn"}>
          {deliverable ? "Deliverable" : "Not deliverable"}
        </span>{" "}
        {deliverable
          ? `Notifications go to ${channel.data.topicArn ? "the room's own topic" : "the default topic"} (thresholds with a topic of their own go there).`
          : "No SNS topic applies: notifications are recorded as “no channel” and not sent. Set a topic here or FLOODGATE_SNS_TOPIC_ARN."}
      </p>
      <ChannelForm room={room} channel={channel.data} />
      {mayTest ? (
        <div className={styles.formActions}>
          <button
            type="button"
            className={`button button-secondary ${styles.compact}`}
            disabled={test.isPending}
            onClick={() => test.mutate()}
          >
            {test.isPending ? "Sending…" : "Send test notification"}
          </button>
        </div>
      ) : null}
      <FormMessages error={test.error ? errorMessage(test.error) : null} />
      {outcome?.status === "queued" ? <TestDeliveryStatus room={room} deliveryId={outcome.deliveryId} /> : null}
      {outcome?.status === "no_channel" ? (
        <p className={styles.alert} role="alert">
          Not sent: no SNS topic applies to this room.
        </p>
      ) : null}
    </div>
  );
}
