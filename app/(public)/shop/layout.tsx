import Link from "next/link";
import type { ReactNode } from "react";
import { AdmissionKeeper } from "@/components/shop/admission-keeper";
import styles from "@/components/shop/shop.module.css";
import { SHOP_LANGS, shopMessages } from "@/components/shop/shop-messages";
import { FloodgateLogo } from "@/components/ui/floodgate-logo";
import { LanguageSwitch } from "@/components/ui/language-switch";
import { readRequestLanguageAmong } from "@/components/waiting/request-language";

// The demo protected origin: proxy.ts only lets admitted visitors reach it, and the
// AdmissionKeeper keeps their admission alive while any shop page is open.
export default async function ShopLayout({ children }: { children: ReactNode }) {
  const lang = await readRequestLanguageAmong(SHOP_LANGS, "en");
  const messages = shopMessages[lang];
  return (
    // lang here: <html lang> follows the waiting page's wider choice, which may not be one of the shop's.
    <div className={styles.page} lang={lang}>
      <AdmissionKeeper room="default" lang={lang} />
      <header className={styles.header}>
        <Link href="/shop" className={styles.storeLink}>
          <FloodgateLogo tagline={messages.storeName} />
        </Link>
        <LanguageSwitch lang={lang} langs={SHOP_LANGS} label={messages.languageLabel} />
      </header>
      <main className={styles.main}>{children}</main>
    </div>
  );
}
