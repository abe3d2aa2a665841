import type { Metadata } from "next";
import { cookies } from "next/headers";
import { notFound } from "next/navigation";
import { cache } from "react";
import { waitingMessages } from "@/components/waiting/messages";
import { readRequestLanguage } from "@/components/waiting/request-language";
import { readRoomLanguage } from "@/components/waiting/request-room-language";
import { resolveRoomBrand } from "@/components/waiting/room-brand";
import { tabTitle } from "@/components/waiting/tab-title";
import { WaitingClient } from "@/components/waiting/waiting-client";
import { safeNextPath } from "@/server/gate/next-path";
import { queueCookieName } from "@/server/queue/cookie-names";
import { getRuntime } from "@/server/runtime";

type WaitPageProps = {
  params: Promise<{ room: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

/** The visitor's status, asked once per request for both the title and the page. */
const visitorStatus = cache(async (room: string) => {
  const cookieStore = await cookies();
  return getRuntime().visitorStatus(room, cookieStore.get(queueCookieName(room))?.value);
});

export async function generateMetadata({ params }: WaitPageProps): Promise<Metadata> {
  const { room } = await params;
  const summary = getRuntime().roomSummary(room);
  // A missing room has no branding: the not-found page speaks the visitor's language.
  const lang = summary ? await readRoomLanguage(summary.defaultLanguage) : await readRequestLanguage();
  const messages = waitingMessages[lang];
  if (!summary) return { title: messages.documentTitle, robots: { index: false, follow: false } };
  // The place in line from the first paint: the title is in the HTML, not set after hydration.
  const status = await visitorStatus(room);
  const position = status && status.state !== "admitted" && status.state !== "expired" ? status.position : null;
  return {
    title: tabTitle(messages, resolveRoomBrand(summary, lang).displayName, position),
    robots: { index: false, follow: false },
  };
}

// GET /wait/{room}: the gate has already placed the visitor in line (or redirected them in);
// this only renders the current state and hands over to the client for live updates.
export default async function WaitPage({ params, searchParams }: WaitPageProps) {
  const [{ room }, query] = await Promise.all([params, searchParams]);
  const runtime = getRuntime();
  const summary = runtime.roomSummary(room);
  if (!summary) notFound();
  const lang = await readRoomLanguage(summary.defaultLanguage);

  const next = safeNextPath(query.next);
  const status = await visitorStatus(room);
  const messages = waitingMessages[lang];

  // Without JavaScript the page reloads itself at the heartbeat pace: the gate counts each
  // load as a heartbeat and redirects once admitted. An expired place waits for the button.
  const refreshSeconds =
    status?.state === "admitted"
      ? 1
      : Math.max(1, Math.round((status?.heartbeatIntervalMs ?? summary.heartbeatIntervalMs) / 1000));
  // A pow room gives no place without the check, which needs JavaScript: reloading would not
  // help, so the page says what would.
  const noscript =
    status?.state === "expired" ? null : !status && summary.challenge === "pow" ? (
      <noscript>
        <p>{messages.challenge.noscript}</p>
      </noscript>
    ) : (
      <noscript>
        <meta httpEquiv="refresh" content={String(refreshSeconds)} />
        <p>{messages.noscript}</p>
      </noscript>
    );

  return (
    <WaitingClient
      room={room}
      summary={summary}
      next={next}
      initialLang={lang}
      initialStatus={status}
      noscript={noscript}
    />
  );
}
