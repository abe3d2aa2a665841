"use client";

import { type CSSProperties, type ReactNode, useEffect, useMemo, useState } from "react";
import { FloodgateLogo } from "@/components/ui/floodgate-logo";
import { LanguageSwitch } from "@/components/ui/language-switch";
import { safeNextPath } from "@/server/gate/next-path";
import type { QueueStatus, RoomSummary } from "@/server/queue/types";
import { waitingMessages } from "./messages";
import type { Lang } from "./negotiate-language";
import { positionOf } from "./queue-view";
import { brandCustomProperties, resolveRoomBrand } from "./room-brand";
import { StatusPanel } from "./status-panel";
import { tabTitle } from "./tab-title";
import { useAnnouncement } from "./use-announcement";
import { useQueueHeartbeat } from "./use-queue-heartbeat";
import styles from "./waiting.module.css";

export type WaitingClientProps = {
  room: string;
  summary: RoomSummary;
  /** Already checked to be a same-site path (server/gate/next-path.ts). */
  next: string;
  initialLang: Lang;
  /** null when the visitor has no (valid) queue token yet: the page enters on mount. */
  initialStatus: QueueStatus | null;
  /** Server-rendered <noscript> block (self-reload and a note); only browsers without JavaScript use it. */
  noscript?: ReactNode;
};

export function WaitingClient({
  room,
  summary,
  next: nextProp,
  initialLang,
  initialStatus,
  noscript,
}: WaitingClientProps) {
  // Checked again where it is used (navigation, link, form): the same rule, and a fixed point
  // of it, so a value the server passed comes through unchanged.
  const next = safeNextPath(nextProp);
  const [lang, setLang] = useState<Lang>(initialLang);
  const messages = waitingMessages[lang];
  const brand = useMemo(() => resolveRoomBrand(summary, lang), [summary, lang]);
  const { view, reconnecting, requestNewPlace } = useQueueHeartbeat(room, initialStatus, next);
  const announcement = useAnnouncement(view, messages);
  const position = positionOf(view);
  // "Updating live" is only true once this script runs; without JavaScript the no-JS note speaks instead.
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);

  // The root layout names the language before it knows the room (its default language may be
  // the one chosen here), and the visitor may switch: the document follows the page.
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);

  // The tab title carries the place in line, for people who wait in another tab.
  // The server's first HTML already carries it (generateMetadata); this keeps it current.
  useEffect(() => {
    document.title = `${tabTitle(messages, brand.displayName, position)} · Floodgate`;
  }, [messages, position, brand.displayName]);

  return (
    <div
      className={styles.page}
      lang={lang}
      data-accent={brand.palette ? "" : undefined}
      style={brandCustomProperties(brand) as CSSProperties}
    >
      <header className={styles.topbar}>
        <FloodgateLogo tagline={messages.tagline} />
        <LanguageSwitch lang={lang} label={messages.languageLabel} onChange={setLang} />
      </header>

      <main className={styles.main}>
        <StatusPanel
          view={view}
          messages={messages}
          room={room}
          brand={brand}
          next={next}
          summary={summary}
          onNewPlace={requestNewPlace}
        />

        <div className={styles.meta}>
          {reconnecting ? (
            <p className={styles.reconnecting} role="status">
              <span className={styles.dotWarn} aria-hidden="true" />
              {messages.reconnecting}
            </p>
          ) : hydrated && view.kind === "status" && view.status.state !== "admitted" ? (
            <p className={styles.live}>
              <span className={styles.dotLive} aria-hidden="true" />
              {messages.live}
            </p>
          ) : null}
          {hydrated && ((view.kind === "status" && view.status.state !== "admitted") || view.kind === "joining") ? (
            <p className={styles.hint}>{messages.noRefreshNeeded}</p>
          ) : null}
          {noscript}
        </div>
      </main>

      {/* "Keeps your place": not once it is gone, nor for a newcomer the room could not take. */}
      {view.kind === "refused" || view.kind === "expired" ? null : (
        <footer className={styles.footer}>
          <p>{messages.footer}</p>
        </footer>
      )}

      <div className="visually-hidden" aria-live="polite" aria-atomic="true">
        {announcement}
      </div>
    </div>
  );
}
