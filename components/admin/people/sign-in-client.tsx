"use client";

import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { type FormEvent, useState } from "react";
import { FloodgateLogo } from "@/components/ui/floodgate-logo";
import styles from "../common/admin.module.css";
import { TextField } from "../common/form-field";
import { safeCallbackPath } from "./safe-callback";
import signInStyles from "./sign-in.module.css";

function messageFor(error: string): string {
  if (error === "throttled") return "Too many attempts. Try again in a few minutes.";
  if (error === "CredentialsSignin") return "Email or password is wrong.";
  return "Signing in failed. Try again.";
}

// "username" and "current-password" let password managers fill the pair.
const credentialFields = [
  { name: "email", type: "email", label: "Email", autoComplete: "username" },
  { name: "password", type: "password", label: "Password", autoComplete: "current-password" },
] as const;

export function SignInClient({ callbackUrl }: { callbackUrl: string | null }) {
  const router = useRouter();
  const [credentials, setCredentials] = useState({ email: "", password: "" });
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
      const { email, password } = credentials;
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
          {credentialFields.map((field) => (
            <TextField
              key={field.name}
              id={`sign-in-${field.name}`}
              label={field.label}
              type={field.type}
              name={field.name}
              autoComplete={field.autoComplete}
              required
              value={credentials[field.name]}
              onValueChange={(value) => setCredentials((current) => ({ ...current, [field.name]: value }))}
            />
          ))}
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
