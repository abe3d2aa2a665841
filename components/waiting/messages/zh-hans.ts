// The waiting page in Simplified Chinese (mainland usage: 排队, 刷新, 网站), addressing the
// visitor as 您; numbers sit against the characters with no space ("12人", "第3位").
import type { WaitingMessages } from "./types";

export const zhHans: WaitingMessages = {
  locale: "zh-CN",
  documentTitle: "排队等候",
  tabTitleInLine: (position) => `排队中：第${position}位`,
  tagline: "虚拟等候室",
  states: {
    joining: { heading: "正在为您排队…", body: "请稍候。" },
    full: {
      heading: "排队人数已满",
      body: "当前排队的人太多，暂时无法加入。本页面稍后会自动重试。",
    },
    waiting: {
      heading: "您正在排队",
      body: "请不要关闭此页面。轮到您时，会自动为您跳转。",
    },
    next: { heading: "下一位就是您", body: "下一个空位就是您的。请不要关闭此页面，我们会自动带您进入。" },
    paused: {
      heading: "入场已暂停",
      body: "网站暂时停止放行。您的排队位置会保留，恢复入场后队伍会继续前进。",
    },
    closed: {
      heading: "等候室已关闭",
      body: "目前暂停入场。您的排队位置会保留，等候室重新开放时，本页面会自动更新。",
    },
    prequeue: {
      heading: "您已提前到场",
      body: "在开始前到场的所有人，将在开始时通过随机抽签决定排队顺序，所以早到或刷新页面都不会影响您的机会。请不要关闭此页面。",
    },
    admitted: { heading: "轮到您了", body: "正在为您跳转…" },
    expired: {
      heading: "您的排队位置已失效",
      body: "由于此页面已关闭或断开连接太久，您的排队位置已被释放。您可以重新排队。",
    },
    ended: {
      heading: "您的访问时间已到",
      body: "为了让排队的每个人都能轮到，本网站限制了每次访问的时长。您可以重新排队。",
    },
    lost: {
      heading: "抱歉，您的排队位置未能保留",
      body: "我们这边出现了故障，未能保留您的排队位置。这并非您的操作所致。重新排队即可获得新的位置。",
    },
    removed: {
      heading: "网站已移除您的排队位置",
      body: "本网站的管理人员移除了您的排队位置或结束了您的访问。这并非因为您的页面或网络连接。您可以重新排队。",
    },
    siteEnded: {
      heading: "网站已结束您的访问",
      body: "网站通知我们您的访问已结束（例如已完成购买），您的名额已让给下一位。如有需要，您可以重新排队。",
    },
  },
  closedWithoutPlaceBody: "等候室目前不接受新的排队。本页面稍后会自动重试。",
  labels: {
    position: "您的排队位置",
    ahead: "您前面还有",
    eta: "预计等待时间",
    progress: "进度",
    waitingNow: "当前排队人数",
    startsAt: "抽签排序时间",
  },
  startsAt: (time, inMinutes) => (inMinutes <= 0 ? `${time}（即将开始）` : `${time}（${inMinutes}分钟后）`),
  positionPrefix: "第",
  positionSuffix: "位",
  aheadUnit: () => "人",
  unitGap: "",
  eta: (eta) => {
    switch (eta.kind) {
      case "unknown":
        return "正在估算…";
      case "under-minute":
        return "不到1分钟";
      case "minutes":
        return `约${eta.minutes}分钟`;
      case "hours":
        return eta.minutes > 0 ? `约${eta.hours}小时${eta.minutes}分钟` : `约${eta.hours}小时`;
    }
  },
  etaNotEnoughData: "数据不足，暂时无法估算",
  etaOnHold: "已暂停",
  admissionsPerMinute: (count) => `每分钟入场人数：${count}`,
  progressText: (percent) => `排在您前面的人已有${percent}入场`,
  retryIn: (seconds) => `${seconds}秒后重试。`,
  retrying: "正在重试…",
  tryNow: "立即重试",
  reconnecting: "连接已断开，正在重新连接… 您的排队位置暂时保留。",
  live: "实时更新中",
  noRefreshNeeded: "无需刷新，本页面会自动更新。",
  newPlace: "重新排队",
  continueLink: "没有自动跳转？点此进入网站",
  reference: {
    label: "查询编号",
    hint: "联系客服时，请提供此编号。",
    copy: "复制",
    copied: "已复制",
  },
  challenge: {
    heading: "正在检查您的浏览器…",
    body: "这是防止机器人排队的自动检查，只需一两秒，您无需进行任何操作。",
    failed: "检查未能完成。可能是浏览器拦截了检查，或网络连接已中断。",
    retry: "重试",
    noscript: "此等候室在为您排队前会先检查浏览器，这需要 JavaScript。请启用 JavaScript 后重新加载此页面。",
  },
  announcePosition: (position) => `您现在排在第${position}位。`,
  fullStop: "。",
  noscript: "JavaScript 已关闭，为保留您的排队位置，本页面每隔几秒会自动刷新。",
  footer: "只要此页面保持打开，您的排队位置就会一直保留。",
  languageLabel: "语言",
};
