import type { Metadata } from "next";
import { AlertsClient } from "@/components/admin/alerts/alerts-client";
import { parseAlertsSearch } from "@/components/admin/alerts/alerts-search";

export const metadata: Metadata = { title: "Alerts" };

type AlertsPageProps = { searchParams: Promise<Record<string, string | string[] | undefined>> };

// GET /admin/alerts?room=&status=&history=&page=: alert history and the delivery log.
export default async function AlertsPage({ searchParams }: AlertsPageProps) {
  return <AlertsClient initial={parseAlertsSearch(await searchParams)} />;
}
