"use client";

import { useRouter } from "next/navigation";
import { useTransition } from "react";
import type { Lang } from "@/components/waiting/negotiate-language";
import { storeLanguageChoice } from "./language-cookie";
import styles from "./ui.module.css";

const OPTIONS: ReadonlyArray<{ lang: Lang; label: string }> = [
  { lang: "en", label: "English" },
  { lang: "ko", label: "한국어" },
];

type LanguageSwitchProps = {
  lang: Lang;
  /** Accessible name of the group, in the current language. */
  label: string;
  /**
   * Switches a client-rendered page in place. Without it the server render is refreshed,
   * which suits pages whose text comes from the server (the shop). The waiting page must
   * pass it: refreshing /wait would count as a heartbeat and could redirect mid-switch.
   */
  onChange?: (lang: Lang) => void;
};

export function LanguageSwitch({ lang, label, onChange }: LanguageSwitchProps) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();

  function choose(next: Lang) {
    if (next === lang) return;
    storeLanguageChoice(next);
    if (onChange) onChange(next);
    else startTransition(() => router.refresh());
  }

  return (
    <fieldset className={styles.langSwitch} aria-busy={pending || undefined}>
      <legend className="visually-hidden">{label}</legend>
      {OPTIONS.map((option) => (
        <button
          key={option.lang}
          type="button"
          lang={option.lang}
          className={styles.langButton}
          aria-pressed={option.lang === lang}
          data-testid={`lang-switch-${option.lang}`}
          onClick={() => choose(option.lang)}
        >
          {option.label}
        </button>
      ))}
    </fieldset>
  );
}
