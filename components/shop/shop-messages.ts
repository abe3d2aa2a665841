// The demo shop's words, English and Korean, chosen by the same fg_lang cookie as the waiting page.
// The shop is a stand-in for the operator's own site, so it keeps to two languages: a visitor
// who chose another one on the waiting page gets their next preferred of these two here.

export const SHOP_LANGS = ["en", "ko"] as const;
export type ShopLang = (typeof SHOP_LANGS)[number];

export type ShopMessages = {
  locale: string;
  storeName: string;
  languageLabel: string;
  title: string;
  intro: string;
  imageAlt: (colorway: string) => string;
  left: (count: number) => string;
  lowStock: (count: number) => string;
  view: string;
  size: string;
  chooseSize: string;
  buy: string;
  confirmedHeading: string;
  confirmedBody: (orderNumber: string, size: number) => string;
  buyAnother: string;
  /** Ending the visit on purpose, so the next person in line gets the spot. */
  finish: string;
  finishing: string;
  finishFailed: string;
  finishedHeading: string;
  finishedBody: string;
  shopAgain: string;
  banner: string;
  bannerEnded: string;
  /** The banner under a session time limit: the time left, as m:ss. */
  bannerTimeLeft: (time: string) => string;
  bannerReconnecting: string;
  back: string;
};

const en: ShopMessages = {
  locale: "en-US",
  storeName: "Demo shop",
  languageLabel: "Language",
  title: "The limited drop",
  intro: "Six pairs, made once. You got in through the waiting room, so take your time.",
  imageAlt: (colorway) => `Sneaker in ${colorway}`,
  left: (count) => `${count} left`,
  lowStock: (count) => (count === 1 ? "Last pair" : `Only ${count} left`),
  view: "View",
  size: "Size (mm)",
  chooseSize: "Choose a size first.",
  buy: "Buy now",
  confirmedHeading: "Order confirmed",
  confirmedBody: (orderNumber, size) =>
    `Order ${orderNumber}, size ${size}. This is a demo: nothing was charged and nothing will ship.`,
  buyAnother: "Back to the drop",
  finish: "I'm done, let the next person in",
  finishing: "Ending your visit…",
  finishFailed: "We couldn't reach the waiting room. Please try again in a moment.",
  finishedHeading: "Thanks, you're all set",
  finishedBody: "Your spot has gone to the next person in line. If you want to shop again, you'll join the line.",
  shopAgain: "Shop again",
  banner: "You're in. Your session stays active while this page is open.",
  bannerEnded: "Your visit has ended.",
  bannerTimeLeft: (time) => `You're in. Time left: ${time}`,
  bannerReconnecting: "Reconnecting… your session is kept for now.",
  back: "← All items",
};

const ko: ShopMessages = {
  locale: "ko-KR",
  storeName: "데모 상점",
  languageLabel: "언어",
  title: "한정 발매",
  intro: "단 한 번 생산하는 여섯 가지 스니커즈. 대기실을 거쳐 입장하셨으니 천천히 둘러보세요.",
  imageAlt: (colorway) => `${colorway} 색상 스니커즈`,
  left: (count) => `${count}켤레 남음`,
  lowStock: (count) => (count === 1 ? "마지막 한 켤레" : `${count}켤레 남음`),
  view: "보기",
  size: "사이즈 (mm)",
  chooseSize: "먼저 사이즈를 선택해 주세요.",
  buy: "바로 구매",
  confirmedHeading: "주문이 완료되었습니다",
  confirmedBody: (orderNumber, size) =>
    `주문 번호 ${orderNumber}, 사이즈 ${size}. 데모 상점이므로 결제되지 않으며 배송되지 않습니다.`,
  buyAnother: "한정 발매 목록으로",
  finish: "쇼핑을 마치고 다음 분께 자리 넘기기",
  finishing: "이용을 마치는 중…",
  finishFailed: "대기실에 연결하지 못했습니다. 잠시 후 다시 시도해 주세요.",
  finishedHeading: "이용해 주셔서 감사합니다",
  finishedBody: "자리는 다음 대기자에게 넘어갔습니다. 다시 쇼핑하시려면 대기열에 다시 서시게 됩니다.",
  shopAgain: "다시 쇼핑하기",
  banner: "입장했습니다. 이 페이지가 열려 있는 동안 세션이 유지됩니다.",
  bannerEnded: "이용이 끝났습니다.",
  bannerTimeLeft: (time) => `입장했습니다. 남은 시간: ${time}`,
  bannerReconnecting: "다시 연결하는 중… 세션은 당분간 유지됩니다.",
  back: "← 전체 상품",
};

export const shopMessages: Record<ShopLang, ShopMessages> = { en, ko };

export function formatPrice(messages: ShopMessages, priceKrw: number): string {
  return new Intl.NumberFormat(messages.locale, { style: "currency", currency: "KRW" }).format(priceKrw);
}
