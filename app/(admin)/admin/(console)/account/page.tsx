import type { Metadata } from "next";
import { AccountClient } from "@/components/admin/people/account-client";

export const metadata: Metadata = { title: "Account" };

// GET /admin/account: every signed-in role; the layout has already checked the session.
export default function AccountPage() {
  return <AccountClient />;
}
