import type { Metadata } from "next";
import { RoomClient } from "@/components/admin/rooms/room-client";

type RoomPageProps = { params: Promise<{ room: string }> };

export async function generateMetadata({ params }: RoomPageProps): Promise<Metadata> {
  const { room } = await params;
  return { title: `Room ${room}` };
}

// GET /admin/rooms/{room}: one room's capacity, charts, settings and visitors.
export default async function RoomPage({ params }: RoomPageProps) {
  const { room } = await params;
  return <RoomClient room={room} />;
}
