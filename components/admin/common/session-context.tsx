"use client";

import { createContext, type ReactNode, useContext } from "react";
import type { Role, SessionUser } from "@/server/admin/admin-types";
import { can } from "./roles";

// The signed-in person, read once by the console layout on the server and handed down here;
// the client never asks who it is (no extra request, no flash of the wrong controls).
const SessionUserContext = createContext<SessionUser | null>(null);

export function SessionUserProvider({ user, children }: { user: SessionUser; children: ReactNode }) {
  return <SessionUserContext.Provider value={user}>{children}</SessionUserContext.Provider>;
}

export function useSessionUser(): SessionUser {
  const user = useContext(SessionUserContext);
  if (!user) throw new Error("useSessionUser() outside the admin console layout");
  return user;
}

/** Whether the signed-in person may do what `needed` may; the server checks again. */
export function useCan(needed: Role): boolean {
  return can(useSessionUser().role, needed);
}
