import type { Metadata } from "next";
import { AuditClient } from "@/components/admin/audit/audit-client";
import { parseAuditSearch } from "@/components/admin/audit/audit-search";

export const metadata: Metadata = { title: "Audit log" };

type AuditPageProps = { searchParams: Promise<Record<string, string | string[] | undefined>> };

// GET /admin/audit?room=&action=&page=: every change made in the console, newest first.
export default async function AuditPage({ searchParams }: AuditPageProps) {
  return <AuditClient initial={parseAuditSearch(await searchParams)} />;
}
