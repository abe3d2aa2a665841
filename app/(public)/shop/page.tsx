import type { Metadata } from "next";
import { ProductCard } from "@/components/shop/product-card";
import { products } from "@/components/shop/products";
import styles from "@/components/shop/shop.module.css";
import { SHOP_LANGS, shopMessages } from "@/components/shop/shop-messages";
import { readRequestLanguageAmong } from "@/components/waiting/request-language";

export async function generateMetadata(): Promise<Metadata> {
  return { title: shopMessages[await readRequestLanguageAmong(SHOP_LANGS, "en")].title };
}

export default async function ShopPage() {
  const lang = await readRequestLanguageAmong(SHOP_LANGS, "en");
  const messages = shopMessages[lang];
  return (
    <>
      <section className={styles.intro} aria-labelledby="shop-title">
        <h1 id="shop-title" className={styles.title} data-testid="shop-title">
          {messages.title}
        </h1>
        <p className={styles.lead}>{messages.intro}</p>
      </section>
      <ul className={styles.grid}>
        {products.map((product) => (
          <ProductCard key={product.id} product={product} lang={lang} messages={messages} />
        ))}
      </ul>
    </>
  );
}
