import type { Lang } from "@/components/waiting/negotiate-language";

// What the gate's own pages say (full-page.ts renders them), in every language the waiting
// page speaks.

/** `switching_servers`: a cluster follower while no node leads (server/cluster/cluster-router.ts). */
export type UnavailableReason = "room_full" | "room_closed" | "rate_limited" | "switching_servers";

export type PageCopy = {
  pages: Record<UnavailableReason, { title: string; body: string }>;
  /** The sentence that says when the page reloads itself (its meta refresh). */
  retry: (wait: Wait) => string;
};

/** The reload delay in the unit a person would say it in: whole minutes, otherwise seconds. */
type Wait = { unit: "seconds" | "minutes"; count: number };

export function waitOf(seconds: number): Wait {
  return seconds >= 60 && seconds % 60 === 0
    ? { unit: "minutes", count: seconds / 60 }
    : { unit: "seconds", count: seconds };
}

const NBSP = "\u00a0";

export const pageCopy: Record<Lang, PageCopy> = {
  en: {
    pages: {
      room_full: {
        title: "The waiting room is full",
        body: "So many people are waiting right now that we can't hold another place in line.",
      },
      room_closed: { title: "This waiting room is closed", body: "It is not letting anyone in line at the moment." },
      rate_limited: { title: "Too many new places from your network", body: "Please wait a moment." },
      switching_servers: { title: "One moment", body: "The waiting room is switching servers. Your place is kept." },
    },
    retry: ({ unit, count }) => {
      const span =
        unit === "minutes"
          ? count === 1
            ? "a minute"
            : `${count} minutes`
          : count === 1
            ? "a second"
            : `${count} seconds`;
      return `This page will try again in ${span}.`;
    },
  },
  ko: {
    pages: {
      room_full: {
        title: "대기실이 가득 찼습니다",
        body: "지금 기다리는 분이 너무 많아 더 이상 대기열에 자리를 드릴 수 없습니다.",
      },
      room_closed: { title: "대기실이 닫혀 있습니다", body: "지금은 대기열에 들어갈 수 없습니다." },
      rate_limited: { title: "같은 네트워크에서 대기 요청이 너무 많습니다", body: "잠시만 기다려 주세요." },
      switching_servers: {
        title: "잠시만 기다려 주세요",
        body: "대기실 서버를 전환하고 있습니다. 대기 순서는 그대로 유지됩니다.",
      },
    },
    retry: ({ unit, count }) => `이 페이지는 ${count}${unit === "minutes" ? "분" : "초"} 후 자동으로 다시 시도합니다.`,
  },
  ja: {
    pages: {
      room_full: {
        title: "待合室が満員です",
        body: "ただいま大変混み合っており、これ以上列に並ぶことができません。",
      },
      room_closed: { title: "この待合室は受付を停止しています", body: "現在、列に並ぶことはできません。" },
      rate_limited: {
        title: "お使いのネットワークからのアクセスが集中しています",
        body: "しばらくお待ちください。",
      },
      switching_servers: {
        title: "少々お待ちください",
        body: "待合室のサーバーを切り替えています。順番はそのまま保たれます。",
      },
    },
    retry: ({ unit, count }) => `${count}${unit === "minutes" ? "分" : "秒"}後に、このページが自動で再試行します。`,
  },
  "zh-Hans": {
    pages: {
      room_full: { title: "排队人数已满", body: "当前排队的人太多，暂时无法为您保留位置。" },
      room_closed: { title: "此等候室已关闭", body: "目前暂不接受排队。" },
      rate_limited: { title: "您所在网络的排队请求过多", body: "请稍候片刻。" },
      switching_servers: { title: "请稍候", body: "等候室正在切换服务器，您的排队位置会保留。" },
    },
    retry: ({ unit, count }) => `本页面将在${count}${unit === "minutes" ? "分钟" : "秒"}后自动重试。`,
  },
  "zh-Hant": {
    pages: {
      room_full: { title: "排隊人數已滿", body: "目前排隊的人太多，暫時無法為您保留順位。" },
      room_closed: { title: "此等候室已關閉", body: "目前暫不開放排隊。" },
      rate_limited: { title: "您所在網路的排隊請求過多", body: "請稍候片刻。" },
      switching_servers: { title: "請稍候", body: "等候室正在切換伺服器，您的排隊順位會保留。" },
    },
    retry: ({ unit, count }) => `本頁面將在${count}${unit === "minutes" ? "分鐘" : "秒"}後自動重試。`,
  },
  es: {
    pages: {
      room_full: {
        title: "La sala de espera está llena",
        body: "Ahora mismo hay tanta gente esperando que no podemos darte un puesto en la cola.",
      },
      room_closed: { title: "Esta sala de espera está cerrada", body: "Ahora mismo no admite a nadie en la cola." },
      rate_limited: { title: "Demasiadas solicitudes desde tu red", body: "Espera un momento, por favor." },
      switching_servers: {
        title: "Un momento",
        body: "La sala de espera está cambiando de servidor. Conservas tu puesto.",
      },
    },
    retry: ({ unit, count }) => {
      const span =
        unit === "minutes"
          ? count === 1
            ? "un minuto"
            : `${count} minutos`
          : count === 1
            ? "un segundo"
            : `${count} segundos`;
      return `Esta página volverá a intentarlo sola dentro de ${span}.`;
    },
  },
  fr: {
    pages: {
      room_full: {
        title: "La salle d’attente est complète",
        body: "Il y a tant de monde en attente que nous ne pouvons pas vous réserver de place pour le moment.",
      },
      room_closed: {
        title: "Cette salle d’attente est fermée",
        body: "Elle n’accepte personne dans la file pour le moment.",
      },
      rate_limited: { title: "Trop de demandes depuis votre réseau", body: "Merci de patienter un instant." },
      switching_servers: {
        title: "Un instant",
        body: "La salle d’attente change de serveur. Votre place est conservée.",
      },
    },
    retry: ({ unit, count }) => {
      const span =
        unit === "minutes"
          ? count === 1
            ? "une minute"
            : `${count}${NBSP}minutes`
          : count === 1
            ? "une seconde"
            : `${count}${NBSP}secondes`;
      return `Cette page réessaiera d’elle-même dans ${span}.`;
    },
  },
  de: {
    pages: {
      room_full: {
        title: "Der Warteraum ist voll",
        body: "Gerade warten so viele Menschen, dass wir keinen weiteren Platz in der Warteschlange vergeben können.",
      },
      room_closed: { title: "Dieser Warteraum ist geschlossen", body: "Zurzeit kann sich niemand anstellen." },
      rate_limited: { title: "Zu viele Anfragen aus Ihrem Netzwerk", body: "Bitte warten Sie einen Moment." },
      switching_servers: {
        title: "Einen Moment bitte",
        body: "Der Warteraum wechselt gerade den Server. Ihr Platz bleibt erhalten.",
      },
    },
    retry: ({ unit, count }) => {
      // "in" takes the dative: "in einer Minute", "in 30 Sekunden".
      const span =
        unit === "minutes"
          ? count === 1
            ? "einer Minute"
            : `${count} Minuten`
          : count === 1
            ? "einer Sekunde"
            : `${count} Sekunden`;
      return `Diese Seite versucht es in ${span} von selbst erneut.`;
    },
  },
};
