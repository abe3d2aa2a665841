"use client";

import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { isLang, LANG_NAMES, LANGS, type Lang } from "@/components/waiting/negotiate-language";
import { storeLanguageChoice } from "./language-cookie";
import styles from "./ui.module.css";

type LanguageSwitchProps<L extends Lang> = {
  lang: L;
  /** The languages this page is written in; every one by default. */
  langs?: readonly L[];
  /** Accessible name of the control, in the current language. */
  label: string;
  /**
   * Switches a client-rendered page in place. Without it the server render is refreshed,
   * which suits pages whose text comes from the server (the shop). The waiting page must
   * pass it: refreshing /wait would count as a heartbeat and could redirect mid-switch.
   */
  onChange?: (lang: L) => void;
};

/**
 * A native <select>: with eight languages a row of buttons no longer fits a phone's top bar,
 * and a select is compact, keyboard- and screen-reader-friendly everywhere. Each name is
 * written in its own language (and marked so), so a visitor finds theirs whatever the page shows.
 */
export function LanguageSwitch<L extends Lang>({ lang, langs, label, onChange }: LanguageSwitchProps<L>) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const options = langs ?? (LANGS as readonly Lang[] as readonly L[]);

  function choose(value: string) {
    const next = options.find((option) => option === value);
    if (!isLang(next) || next === lang) return;
    storeLanguageChoice(next);
    if (onChange) onChange(next);
    else startTransition(() => router.refresh());
  }

  return (
    <label className={styles.langSwitch} aria-busy={pending || undefined}>
      <svg className={styles.langIcon} viewBox="0 0 20 20" aria-hidden="true" focusable="false">
        <circle cx="10" cy="10" r="7.5" fill="none" stroke="currentColor" strokeWidth="1.5" />
        <path
          d="M2.5 10h15M10 2.5c2 2.2 3 4.7 3 7.5s-1 5.3-3 7.5M10 2.5c-2 2.2-3 4.7-3 7.5s1 5.3 3 7.5"
          fill="none"
          stroke="currentColor"
          strokeWidth="1.5"
        />
      </svg>
      <span className="visually-hidden">{label}</span>
      <select
        className={styles.langSelect}
        value={lang}
        onChange={(event) => choose(event.target.value)}
        data-testid="lang-switch"
      >
        {options.map((option) => (
          <option key={option} value={option} lang={option}>
            {LANG_NAMES[option]}
          </option>
        ))}
      </select>
      <svg className={styles.langChevron} viewBox="0 0 12 12" aria-hidden="true" focusable="false">
        <path d="M3 4.5l3 3 3-3" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" />
      </svg>
    </label>
  );
}
