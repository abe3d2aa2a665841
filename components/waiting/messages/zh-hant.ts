// The waiting page in Traditional Chinese, in Taiwan's usage (排隊, 重新整理, 網站, 連線),
// addressing the visitor as 您; numbers sit against the characters with no space.
import type { WaitingMessages } from "./types";

export const zhHant: WaitingMessages = {
  locale: "zh-TW",
  documentTitle: "排隊等候",
  tabTitleInLine: (position) => `排隊中：第${position}位`,
  tagline: "虛擬等候室",
  states: {
    joining: { heading: "正在為您排隊…", body: "請稍候。" },
    full: {
      heading: "排隊人數已滿",
      body: "目前排隊的人太多，暫時無法加入。本頁面稍後會自動重試。",
    },
    waiting: {
      heading: "您正在排隊",
      body: "請不要關閉此頁面。輪到您時，會自動為您導向網站。",
    },
    next: { heading: "下一位就是您", body: "下一個空位就是您的。請不要關閉此頁面，我們會自動帶您進入。" },
    paused: {
      heading: "入場已暫停",
      body: "網站暫時停止放行。您的排隊順位會保留，恢復入場後隊伍會繼續前進。",
    },
    closed: {
      heading: "等候室已關閉",
      body: "目前暫停入場。您的排隊順位會保留，等候室重新開放時，本頁面會自動更新。",
    },
    prequeue: {
      heading: "您已提前到場",
      body: "在開始前到場的所有人，會在開始時以隨機抽籤決定排隊順序，所以提早到或重新整理頁面都不會影響您的機會。請不要關閉此頁面。",
    },
    admitted: { heading: "輪到您了", body: "正在為您導向網站…" },
    expired: {
      heading: "您的排隊順位已失效",
      body: "由於此頁面已關閉或連線中斷太久，您的排隊順位已被釋出。您可以重新排隊。",
    },
    ended: {
      heading: "您的使用時間已到",
      body: "為了讓每位排隊的人都能輪到，本網站限制了每次使用的時間。您可以重新排隊。",
    },
    lost: {
      heading: "很抱歉，未能保留您的排隊順位",
      body: "我們這端發生問題，未能保留您的排隊順位。這並非您的操作所造成。重新排隊即可取得新的順位。",
    },
    removed: {
      heading: "網站已移除您的排隊順位",
      body: "本網站的管理人員移除了您的排隊順位或結束了您的造訪。這並非因為您的頁面或網路連線。您可以重新排隊。",
    },
    siteEnded: {
      heading: "網站已結束您的造訪",
      body: "網站通知我們您的造訪已結束（例如已完成購買），您的名額已讓給下一位。如有需要，您可以重新排隊。",
    },
  },
  closedWithoutPlaceBody: "等候室目前不開放新的排隊。本頁面稍後會自動重試。",
  labels: {
    position: "您的排隊順位",
    ahead: "您前面還有",
    eta: "預估等候時間",
    progress: "進度",
    waitingNow: "目前排隊人數",
    startsAt: "抽籤排序時間",
  },
  startsAt: (time, inMinutes) => (inMinutes <= 0 ? `${time}（即將開始）` : `${time}（${inMinutes}分鐘後）`),
  positionPrefix: "第",
  positionSuffix: "位",
  aheadUnit: () => "人",
  unitGap: "",
  eta: (eta) => {
    switch (eta.kind) {
      case "unknown":
        return "估算中…";
      case "under-minute":
        return "不到1分鐘";
      case "minutes":
        return `約${eta.minutes}分鐘`;
      case "hours":
        return eta.minutes > 0 ? `約${eta.hours}小時${eta.minutes}分鐘` : `約${eta.hours}小時`;
    }
  },
  etaNotEnoughData: "資料不足，暫時無法估算",
  etaOnHold: "已暫停",
  admissionsPerMinute: (count) => `每分鐘入場人數：${count}`,
  progressText: (percent) => `排在您前面的人已有${percent}入場`,
  retryIn: (seconds) => `${seconds}秒後重試。`,
  retrying: "正在重試…",
  tryNow: "立即重試",
  reconnecting: "連線中斷，正在重新連線… 您的排隊順位暫時保留。",
  live: "即時更新中",
  noRefreshNeeded: "不需要重新整理，本頁面會自動更新。",
  newPlace: "重新排隊",
  continueLink: "沒有自動跳轉？點此進入網站",
  reference: {
    label: "查詢編號",
    hint: "聯絡客服時，請提供此編號。",
    copy: "複製",
    copied: "已複製",
  },
  challenge: {
    heading: "正在檢查您的瀏覽器…",
    body: "這是防止機器人排隊的自動檢查，只需一兩秒，您不需要進行任何操作。",
    failed: "檢查未能完成。可能是瀏覽器封鎖了檢查，或網路連線已中斷。",
    retry: "重試",
    noscript: "此等候室在為您排隊前會先檢查瀏覽器，這需要 JavaScript。請啟用 JavaScript 後重新載入此頁面。",
  },
  announcePosition: (position) => `您目前排在第${position}位。`,
  fullStop: "。",
  noscript: "JavaScript 已關閉，為保留您的排隊順位，本頁面每隔幾秒會自動重新整理。",
  footer: "只要此頁面保持開啟，您的排隊順位就會一直保留。",
  languageLabel: "語言",
};
