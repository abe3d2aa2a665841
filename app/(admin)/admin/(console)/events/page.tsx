import type { Metadata } from "next";
import { EventsClient } from "@/components/admin/events/events-client";

export const metadata: Metadata = { title: "Scale events" };

type EventsPageProps = { searchParams: Promise<Record<string, string | string[] | undefined>> };

// GET /admin/events?room=: every room's scale events on one timeline, and in a list.
export default async function EventsPage({ searchParams }: EventsPageProps) {
  const { room } = await searchParams;
  return <EventsClient initialRoom={(Array.isArray(room) ? room[0] : room)?.slice(0, 40) ?? ""} />;
}
