import type { Metadata } from "next";
import { DashboardClient } from "@/components/admin/rooms/dashboard-client";

export const metadata: Metadata = { title: "Dashboard" };

// GET /admin: every room at a glance, with live charts.
export default function DashboardPage() {
  return <DashboardClient />;
}
