import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { BuyPanel } from "@/components/shop/buy-panel";
import { findProduct, productImagePath } from "@/components/shop/products";
import styles from "@/components/shop/shop.module.css";
import { formatPrice, SHOP_LANGS, shopMessages } from "@/components/shop/shop-messages";
import { readRequestLanguageAmong } from "@/components/waiting/request-language";

type ItemPageProps = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: ItemPageProps): Promise<Metadata> {
  const [{ id }, lang] = await Promise.all([params, readRequestLanguageAmong(SHOP_LANGS, "en")]);
  const product = findProduct(id);
  return { title: product ? product.name[lang] : shopMessages[lang].title };
}

export default async function ItemPage({ params }: ItemPageProps) {
  const [{ id }, lang] = await Promise.all([params, readRequestLanguageAmong(SHOP_LANGS, "en")]);
  const product = findProduct(id);
  if (!product) notFound();
  const messages = shopMessages[lang];

  return (
    <>
      <p className={styles.back}>
        <Link href="/shop">{messages.back}</Link>
      </p>
      <article className={styles.item} aria-labelledby="item-name">
        <div className={styles.itemImage}>
          {/* biome-ignore lint/performance/noImgElement: static SVG from public/, nothing to optimise */}
          <img
            src={productImagePath(product)}
            alt={`${product.name[lang]}, ${product.colorway[lang]}`}
            width={400}
            height={300}
          />
        </div>
        <div className={styles.itemInfo}>
          <h1 id="item-name" className={styles.title} data-testid="shop-title">
            {product.name[lang]}
          </h1>
          <p className={styles.cardColorway}>{product.colorway[lang]}</p>
          <p className={styles.itemPrice}>{formatPrice(messages, product.priceKrw)}</p>
          <p className={styles.lead}>{product.description[lang]}</p>
          <p className={styles.stock}>{messages.left(product.stock)}</p>
          <BuyPanel lang={lang} room="default" />
        </div>
      </article>
    </>
  );
}
