import Link from "next/link";
import { type Product, productImagePath } from "./products";
import styles from "./shop.module.css";
import { formatPrice, type ShopLang, type ShopMessages } from "./shop-messages";

const LOW_STOCK = 5;

/**
 * A product tile. Only the name is the link (its ::after stretches over the tile), so a
 * screen reader hears a short link name, and the picture keeps its own description.
 */
export function ProductCard({ product, lang, messages }: { product: Product; lang: ShopLang; messages: ShopMessages }) {
  return (
    <li className={styles.card}>
      <div className={styles.cardImage}>
        {/* biome-ignore lint/performance/noImgElement: static SVG from public/, nothing for next/image to optimise */}
        <img src={productImagePath(product)} alt={messages.imageAlt(product.colorway[lang])} width={400} height={300} />
        {product.stock <= LOW_STOCK ? <span className={styles.badge}>{messages.lowStock(product.stock)}</span> : null}
      </div>
      <div className={styles.cardBody}>
        <h2 className={styles.cardName}>
          <Link href={`/shop/item/${product.id}`} className={styles.cardLink}>
            {product.name[lang]}
          </Link>
        </h2>
        <p className={styles.cardColorway}>{product.colorway[lang]}</p>
        <p className={styles.cardPrice}>{formatPrice(messages, product.priceKrw)}</p>
      </div>
    </li>
  );
}
