"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { signOut } from "next-auth/react";
import { type ReactNode, useEffect, useState } from "react";
import { useActiveAlarms } from "@/components/queries/use-active-alarms";
import { FloodgateLogo } from "@/components/ui/floodgate-logo";
import { SystemBanner } from "../system/system-banner";
import adminStyles from "./admin.module.css";
import styles from "./console.module.css";
import { timeZoneName } from "./format";
import { can, roleLabels, roleTones } from "./roles";
import { useSessionUser } from "./session-context";
import { ToastProvider } from "./toast";

const links = [
  { href: "/admin", label: "Dashboard", admin: false },
  { href: "/admin/events", label: "Events", admin: false },
  { href: "/admin/alerts", label: "Alerts", admin: false },
  { href: "/admin/tokens", label: "Tokens", admin: false },
  { href: "/admin/audit", label: "Audit", admin: false },
  { href: "/admin/users", label: "Users", admin: true },
  { href: "/admin/api-keys", label: "API keys", admin: true },
] as const;

function isCurrent(pathname: string, href: string): boolean {
  if (href === "/admin") return pathname === "/admin" || pathname.startsWith("/admin/rooms/");
  return pathname === href || pathname.startsWith(`${href}/`);
}

export function ConsoleShell({ children }: { children: ReactNode }) {
  const user = useSessionUser();
  const pathname = usePathname();
  const [signingOut, setSigningOut] = useState(false);
  // Rooms in ALARM, on every page: the badge sits on the Alerts link.
  const alarms = useActiveAlarms().data?.alarms ?? [];
  const roomsInAlarm = [...new Set(alarms.map((alarm) => alarm.roomId))];
  // The browser's zone is only known after hydration; the server would print its own.
  const [zone, setZone] = useState<string | null>(null);
  useEffect(() => setZone(timeZoneName()), []);

  async function handleSignOut() {
    setSigningOut(true);
    await signOut({ redirect: false }).catch(() => undefined);
    // A full load drops every cached query along with the session.
    window.location.assign("/admin/sign-in");
  }

  return (
    <ToastProvider>
      <div className={styles.shell} lang="en">
        <a className={styles.skip} href="#console-main">
          Skip to content
        </a>
        <header className={styles.topbar}>
          <Link href="/admin" className={styles.brandLink} aria-label="Floodgate console, dashboard">
            <FloodgateLogo tagline="Console" />
          </Link>
          <nav className={styles.nav} aria-label="Console">
            {links
              .filter((link) => !link.admin || can(user.role, "admin"))
              .map((link) => (
                <Link
                  key={link.href}
                  href={link.href}
                  className={styles.navLink}
                  aria-current={isCurrent(pathname, link.href) ? "page" : undefined}
                >
                  {link.label}
                  {link.href === "/admin/alerts" && roomsInAlarm.length > 0 ? (
                    <span
                      className={`${adminStyles.badge} ${styles.navAlarm}`}
                      data-tone="danger"
                      data-testid="nav-alarm"
                      title={`In ALARM: ${roomsInAlarm.join(", ")}`}
                    >
                      {roomsInAlarm.length} in ALARM
                      <span className="visually-hidden">
                        {" "}
                        ({roomsInAlarm.length === 1 ? "room" : "rooms"}: {roomsInAlarm.join(", ")})
                      </span>
                    </span>
                  ) : null}
                </Link>
              ))}
          </nav>
          <div className={styles.user}>
            <span className={styles.userText}>
              <Link
                href="/admin/account"
                className={styles.email}
                aria-current={isCurrent(pathname, "/admin/account") ? "page" : undefined}
              >
                <span data-testid="session-email">{user.email}</span>
                <span className="visually-hidden"> (your account)</span>
              </Link>
              <span
                className={`${adminStyles.badge} ${styles.role}`}
                data-tone={roleTones[user.role]}
                data-role={user.role}
                data-testid="session-role"
              >
                {roleLabels[user.role]}
              </span>
            </span>
            <button
              type="button"
              className={`button button-secondary ${adminStyles.compact}`}
              onClick={handleSignOut}
              disabled={signingOut}
            >
              {signingOut ? "Signing out…" : "Sign out"}
            </button>
          </div>
        </header>
        <SystemBanner />
        <main id="console-main" className={styles.main} tabIndex={-1}>
          {children}
        </main>
        <footer className={styles.footer}>{zone ? <>Times shown in your time zone ({zone}).</> : null}</footer>
      </div>
    </ToastProvider>
  );
}
