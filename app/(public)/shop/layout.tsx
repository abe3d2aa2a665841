import Link from "next/link";
import type { ReactNode } from "react";
import { AdmissionKeeper } from "@/components/shop/admission-keeper";
import styles from "@/components/shop/shop.module.css";
import { shopMessages } from "@/components/shop/shop-messages";
import { FloodgateLogo } from "@/components/ui/floodgate-logo";
import { LanguageSwitch } from "@/components/ui/language-switch";
import { readRequestLanguage } from "@/components/waiting/request-language";

// The demo protected origin: proxy.ts only lets admitted visitors reach it, and the
// AdmissionKeeper keeps their admission alive while any shop page is open.
export default async function ShopLayout({ children }: { children: ReactNode }) {
  const lang = await readRequestLanguage();
  const messages = shopMessages[lang];
  return (
    <div className={styles.page}>
      <AdmissionKeeper room="default" lang={lang} />
      <header className={styles.header}>
        <Link href="/shop" className={styles.storeLink}>
          <FloodgateLogo tagline={messages.storeName} />
        </Link>
        <LanguageSwitch lang={lang} label={messages.languageLabel} />
      </header>
      <main className={styles.main}>{children}</main>
    </div>
  );
}
