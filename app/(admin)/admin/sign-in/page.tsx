import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { safeCallbackPath } from "@/components/admin/people/safe-callback";
import { SignInClient } from "@/components/admin/people/sign-in-client";
import { getSessionUser } from "@/server/auth/session";

export const metadata: Metadata = { title: "Sign in" };

type SignInPageProps = { searchParams: Promise<Record<string, string | string[] | undefined>> };

// GET /admin/sign-in: outside the session guard. Someone already signed in goes straight on;
// relative callbacks only here, the client checks absolute ones against its own origin.
export default async function SignInPage({ searchParams }: SignInPageProps) {
  const { callbackUrl } = await searchParams;
  const raw = typeof callbackUrl === "string" ? callbackUrl : null;
  if (await getSessionUser()) redirect(safeCallbackPath(raw, "http://floodgate.invalid"));
  return <SignInClient callbackUrl={raw} />;
}
