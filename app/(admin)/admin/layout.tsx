import type { Metadata } from "next";
import type { ReactNode } from "react";

export const metadata: Metadata = {
  title: { default: "Console", template: "%s · Floodgate console" },
  robots: { index: false, follow: false },
};

// Everything under /admin, signed in or not. The session check lives one level down, in
// (console)/layout.tsx, so the sign-in page stays reachable.
export default function AdminLayout({ children }: { children: ReactNode }) {
  return children;
}
