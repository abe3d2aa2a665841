import type { ReactNode } from "react";
import { Providers } from "@/app/providers";
import { ConsoleShell } from "@/components/admin/common/console-shell";
import { SessionUserProvider } from "@/components/admin/common/session-context";
import { requireSessionUser } from "@/server/auth/session";

// Every console page: signed-out visitors are sent to sign in (requireSessionUser redirects);
// the user read here is the one every client component sees (useSessionUser).
export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const user = await requireSessionUser();
  return (
    <Providers>
      <SessionUserProvider user={user}>
        <ConsoleShell>{children}</ConsoleShell>
      </SessionUserProvider>
    </Providers>
  );
}
