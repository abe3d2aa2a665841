import type { Metadata } from "next";
import { parseTokenSearch } from "@/components/admin/tokens/token-search";
import { TokensClient } from "@/components/admin/tokens/tokens-client";

export const metadata: Metadata = { title: "Tokens" };

type TokensPageProps = { searchParams: Promise<Record<string, string | string[] | undefined>> };

// GET /admin/tokens?room=&state=&search=&page=: places in line and admissions, filterable.
export default async function TokensPage({ searchParams }: TokensPageProps) {
  return <TokensClient initial={parseTokenSearch(await searchParams)} />;
}
