"use client";

import type { CSSProperties } from "react";
import { FloodgateLogo } from "@/components/ui/floodgate-logo";
import { waitingMessages } from "@/components/waiting/messages";
import type { Lang } from "@/components/waiting/negotiate-language";
import type { QueueView } from "@/components/waiting/queue-view";
import { type BrandedRoom, brandCustomProperties, resolveRoomBrand } from "@/components/waiting/room-brand";
import { StatusPanel } from "@/components/waiting/status-panel";
import waitingStyles from "@/components/waiting/waiting.module.css";
import type { AdminRoom } from "@/server/admin/admin-types";
import type { QueueStatus } from "@/server/queue/types";
import styles from "../common/admin.module.css";
import brandingStyles from "./branding.module.css";
import { languageOptions } from "./language-names";

export const previewStates = ["waiting", "next", "paused", "closed", "full", "expired"] as const;
export type PreviewState = (typeof previewStates)[number];

const stateLabels: Record<PreviewState, string> = {
  waiting: "Waiting in line",
  next: "Next in line",
  paused: "Paused",
  closed: "Room closed",
  full: "Room full",
  expired: "Place expired",
};

/** A sample visitor's view in each state, as the waiting page would hold it. */
function sampleView(state: PreviewState, room: AdminRoom): QueueView {
  const status = (overrides: Partial<QueueStatus>): QueueView => ({
    kind: "status",
    status: {
      room: room.id,
      reference: "K7QF-2M",
      state: "waiting",
      position: 42,
      ahead: 41,
      waiting: 180,
      progress: 0.35,
      etaSeconds: 330,
      admissionsPerMinute: 8,
      heartbeatIntervalMs: room.heartbeatIntervalMs,
      heartbeatTimeoutMs: room.heartbeatTimeoutMs,
      admittedAt: null,
      sessionEndsAt: null,
      startsAt: null,
      hold: false,
      ...overrides,
    },
  });
  switch (state) {
    case "waiting":
      return status({});
    case "next":
      return status({ position: 1, ahead: 0, progress: 0.97, etaSeconds: 10 });
    case "paused":
      return status({ state: "paused", etaSeconds: null });
    case "closed":
      return { kind: "refused", code: "room_closed", retryInMs: 60_000 };
    case "full":
      return { kind: "refused", code: "room_full", retryInMs: 30_000 };
    case "expired":
      return { kind: "expired", cause: "silence" };
  }
}

type BrandingPreviewProps = {
  room: AdminRoom;
  branded: BrandedRoom;
  lang: Lang;
  onLang: (lang: Lang) => void;
  state: PreviewState;
  onState: (state: PreviewState) => void;
};

/**
 * The waiting page as a visitor of this room would see it, drawn by the waiting page's own
 * components and styles from what is typed (not yet saved). Inert: nothing in it can be used.
 */
export function BrandingPreview({ room, branded, lang, onLang, state, onState }: BrandingPreviewProps) {
  const brand = resolveRoomBrand(branded, lang);
  const messages = waitingMessages[lang];
  return (
    <div className={brandingStyles.preview}>
      <div className={brandingStyles.previewControls}>
        <label className={styles.small}>
          Preview in{" "}
          <select
            className={`${styles.select} ${styles.inlineSelect}`}
            value={lang}
            data-testid="branding-preview-language"
            onChange={(event) => onLang(event.target.value as Lang)}
          >
            {languageOptions.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </label>
        <label className={styles.small}>
          as{" "}
          <select
            className={`${styles.select} ${styles.inlineSelect}`}
            value={state}
            onChange={(event) => onState(event.target.value as PreviewState)}
          >
            {previewStates.map((option) => (
              <option key={option} value={option}>
                {stateLabels[option]}
              </option>
            ))}
          </select>
        </label>
      </div>
      <section
        className={brandingStyles.previewFrame}
        aria-label={`Preview of the waiting page: ${brand.displayName}`}
        data-testid="branding-preview"
        inert
      >
        <div
          className={`${waitingStyles.page} ${brandingStyles.previewPage}`}
          lang={lang}
          data-accent={brand.palette ? "" : undefined}
          style={brandCustomProperties(brand) as CSSProperties}
        >
          <header className={waitingStyles.topbar}>
            <FloodgateLogo tagline={messages.tagline} />
          </header>
          <main className={waitingStyles.main}>
            <StatusPanel
              view={sampleView(state, room)}
              messages={messages}
              room={room.id}
              brand={brand}
              next="/"
              summary={{
                ...branded,
                room: room.id,
                mode: room.mode,
                waiting: 180,
                full: false,
                etaSeconds: 330,
                heartbeatIntervalMs: room.heartbeatIntervalMs,
                challenge: room.challenge,
              }}
              onNewPlace={() => {}}
            />
          </main>
        </div>
      </section>
    </div>
  );
}
