"use client";

import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { type FormEvent, useState } from "react";
import { FloodgateLogo } from "@/components/ui/floodgate-logo";
import styles from "./admin.module.css";
import { safeCallbackPath } from "./safe-callback";
import signInStyles from "./sign-in.module.css";

function messageFor(error: string): string {
  if (error === "throttled") return "Too many attempts. Try again in a few minutes.";
  if (error === "CredentialsSignin") return "Email or password is wrong.";
  return "Signing in failed. Try again.";
}

export function SignInClient({ callbackUrl }: { callbackUrl: string | null }) {
  const router = useRouter();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  // Keys the alert, so a second identical failure is inserted (and announced) again.
  const [attempt, setAttempt] = useState(0);
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setPending(true);
    setError(null);
    setAttempt((count) => count + 1);
    try {
      const result = await signIn("credentials", { email: email.trim(), password, redirect: false });
      if (!result || result.error || !result.ok) {
        setError(messageFor(result?.error ?? ""));
        setPending(false);
        return;
      }
      // Stays "pending" through navigation so the button cannot be pressed twice.
      router.replace(safeCallbackPath(callbackUrl, window.location.origin));
      router.refresh();
    } catch {
      setError("Cannot reach the server. Check your connection and try again.");
      setPending(false);
    }
  }

  return (
    <div className={signInStyles.page} lang="en">
      <main className={signInStyles.card}>
        <FloodgateLogo tagline="Console" />
        <h1 className={signInStyles.title}>Sign in</h1>
        <form className={styles.form} onSubmit={submit}>
          <div className={styles.field}>
            <label className={styles.label} htmlFor="sign-in-email">
              Email
            </label>
            <input
              id="sign-in-email"
              className={styles.input}
              type="email"
              name="email"
              autoComplete="username"
              required
              value={email}
              onChange={(event) => setEmail(event.target.value)}
            />
          </div>
          <div className={styles.field}>
            <label className={styles.label} htmlFor="sign-in-password">
              Password
            </label>
            <input
              id="sign-in-password"
              className={styles.input}
              type="password"
              name="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(event) => setPassword(event.target.value)}
            />
          </div>
          {error ? (
            <p key={attempt} className={styles.alert} role="alert" data-testid="sign-in-error">
              {error}
            </p>
          ) : null}
          <button type="submit" className="button" disabled={pending}>
            {pending ? "Signing in…" : "Sign in"}
          </button>
        </form>
      </main>
    </div>
  );
}
