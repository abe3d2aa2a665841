// The demo shop's catalogue: a limited sneaker drop, the kind of sale a waiting room is for.
import type { ShopLang } from "./shop-messages";

export type Product = {
  id: string;
  name: Record<ShopLang, string>;
  colorway: Record<ShopLang, string>;
  description: Record<ShopLang, string>;
  priceKrw: number;
  /** Pairs left; low numbers get a badge. */
  stock: number;
};

export const SIZES_MM = [230, 240, 250, 260, 270, 280, 290] as const;

export const products: readonly Product[] = [
  {
    id: "tidewater-runner",
    name: { en: "Tidewater Runner", ko: "타이드워터 러너" },
    colorway: { en: "Harbor blue / sail", ko: "하버 블루 / 세일" },
    description: {
      en: "A light everyday runner with a knit upper and a soft foam sole.",
      ko: "니트 갑피와 푹신한 폼 밑창을 갖춘 가벼운 데일리 러닝화입니다.",
    },
    priceKrw: 189_000,
    stock: 12,
  },
  {
    id: "spillway-high",
    name: { en: "Spillway High", ko: "스필웨이 하이" },
    colorway: { en: "Coral / cream", ko: "코랄 / 크림" },
    description: {
      en: "A padded high-top in coral leather, numbered and made once.",
      ko: "코랄 가죽으로 만든 쿠션감 있는 하이탑. 한 번만 생산하는 넘버링 에디션입니다.",
    },
    priceKrw: 219_000,
    stock: 3,
  },
  {
    id: "floodlight-low",
    name: { en: "Floodlight Low", ko: "플러드라이트 로우" },
    colorway: { en: "Signal yellow / black", ko: "시그널 옐로 / 블랙" },
    description: {
      en: "A low court shoe with reflective panels that light up at night.",
      ko: "밤에 빛나는 반사 패널을 더한 로우탑 코트화입니다.",
    },
    priceKrw: 159_000,
    stock: 25,
  },
  {
    id: "sluice-90",
    name: { en: "Sluice 90", ko: "슬루스 90" },
    colorway: { en: "Forest / gum", ko: "포레스트 / 검솔" },
    description: {
      en: "The 1990 trail silhouette, back with a gum sole. The last pair.",
      ko: "1990년 트레일 실루엣이 검솔과 함께 돌아왔습니다. 마지막 한 켤레입니다.",
    },
    priceKrw: 239_000,
    stock: 1,
  },
  {
    id: "harbor-court",
    name: { en: "Harbor Court", ko: "하버 코트" },
    colorway: { en: "Chalk / navy", ko: "초크 / 네이비" },
    description: {
      en: "A clean leather court classic with a navy heel tab.",
      ko: "네이비 힐 탭을 단 깔끔한 가죽 코트 클래식입니다.",
    },
    priceKrw: 179_000,
    stock: 8,
  },
  {
    id: "monsoon-trail",
    name: { en: "Monsoon Trail", ko: "몬순 트레일" },
    colorway: { en: "Storm grey / violet", ko: "스톰 그레이 / 바이올렛" },
    description: {
      en: "A waterproof trail shoe with a grippy lug sole for rainy days.",
      ko: "비 오는 날에도 미끄럽지 않은 러그 밑창의 방수 트레일화입니다.",
    },
    priceKrw: 209_000,
    stock: 5,
  },
];

export function findProduct(id: string): Product | undefined {
  return products.find((product) => product.id === id);
}

// Outside /shop on purpose: everything under /shop passes the admission check in proxy.ts.
export function productImagePath(product: Product): string {
  return `/products/${product.id}.svg`;
}
