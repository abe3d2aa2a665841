// The waiting page in Japanese: です・ます throughout, the wording of a Japanese ticketing
// site's "順番待ち" page; counts take 人 with no space ("12人").
import type { WaitingMessages } from "./types";

export const ja: WaitingMessages = {
  locale: "ja-JP",
  documentTitle: "順番待ち",
  tabTitleInLine: (position) => `${position}番目で待機中`,
  tagline: "オンライン待合室",
  states: {
    joining: { heading: "順番を確保しています…", body: "少々お待ちください。" },
    full: {
      heading: "待合室が満員です",
      body: "ただいま大変混み合っており、これ以上列に並ぶことができません。しばらくすると自動で再試行します。",
    },
    waiting: {
      heading: "順番待ちの列に並んでいます",
      body: "このページを開いたままお待ちください。順番が来たら自動でご案内します。",
    },
    next: {
      heading: "次はあなたの番です",
      body: "次に空きが出たら、すぐにご案内します。このページを開いたままお待ちください。",
    },
    paused: {
      heading: "ご案内を一時停止しています",
      body: "サイト側で一時的にご案内を止めています。あなたの順番はそのまま保たれ、再開すると列がまた進み始めます。",
    },
    closed: {
      heading: "ただいま受付を停止しています",
      body: "現在はご案内していません。あなたの順番はそのまま保たれ、受付が再開されるとこのページも自動で切り替わります。",
    },
    prequeue: {
      heading: "開始前の受付が完了しました",
      body: "開始前にお越しの方の順番は、開始時刻に抽選で決まります。早く来ても、ページを再読み込みしても順番が有利になることはありませんので、このページを開いたままお待ちください。",
    },
    admitted: { heading: "あなたの番です", body: "ご案内しています…" },
    expired: {
      heading: "順番の有効期限が切れました",
      body: "ページが閉じられていたか、接続が長く途切れていたため、順番が解除されました。もう一度並び直すことができます。",
    },
    ended: {
      heading: "ご利用時間が終了しました",
      body: "並んでいる皆さまに順番が回るよう、このサイトのご利用時間には制限があります。もう一度並び直すことができます。",
    },
    lost: {
      heading: "申し訳ありません。順番を保持できませんでした",
      body: "こちら側で問題が発生し、あなたの順番を保持できませんでした。お客様の操作が原因ではありません。もう一度並ぶと、新しい順番が割り当てられます。",
    },
    removed: {
      heading: "サイトにより順番が取り消されました",
      body: "このサイトの運営者が、あなたの順番を取り消したか、ご利用を終了しました。ページや接続の問題によるものではありません。もう一度並び直すことができます。",
    },
    siteEnded: {
      heading: "サイトによりご利用が終了しました",
      body: "サイトからご利用終了の連絡がありました（例：購入手続きが完了した場合）。あなたの枠は次の方に回りました。必要であれば、もう一度並び直すことができます。",
    },
  },
  closedWithoutPlaceBody: "現在、新しく列に並ぶことはできません。しばらくすると自動で再試行します。",
  labels: {
    position: "あなたの順番",
    ahead: "前に並んでいる人数",
    eta: "予想待ち時間",
    progress: "進み具合",
    waitingNow: "現在の待ち人数",
    startsAt: "順番の抽選時刻",
  },
  startsAt: (time, inMinutes) => (inMinutes <= 0 ? `${time}（まもなく）` : `${time}（あと${inMinutes}分）`),
  positionPrefix: "",
  positionSuffix: "番目",
  aheadUnit: () => "人",
  unitGap: "",
  eta: (eta) => {
    switch (eta.kind) {
      case "unknown":
        return "計算中…";
      case "under-minute":
        return "1分未満";
      case "minutes":
        return `約${eta.minutes}分`;
      case "hours":
        return eta.minutes > 0 ? `約${eta.hours}時間${eta.minutes}分` : `約${eta.hours}時間`;
    }
  },
  etaNotEnoughData: "まだ算出に必要なデータがありません",
  etaOnHold: "一時停止中",
  admissionsPerMinute: (count) => `1分あたりの入場者数：${count}人`,
  progressText: (percent) => `あなたより前に並んでいた人の${percent}が入場しました`,
  retryIn: (seconds) => `${seconds}秒後に再試行します。`,
  retrying: "再試行しています…",
  tryNow: "今すぐ再試行",
  reconnecting: "接続が切れたため、再接続しています… その間も順番は保たれています。",
  live: "リアルタイムで更新中",
  noRefreshNeeded: "再読み込みは不要です。このページは自動で更新されます。",
  newPlace: "もう一度並ぶ",
  continueLink: "自動で移動しない場合はこちら",
  reference: {
    label: "受付番号",
    hint: "お問い合わせの際は、この番号をお伝えください。",
    copy: "コピー",
    copied: "コピーしました",
  },
  challenge: {
    heading: "ブラウザを確認しています…",
    body: "ボットが列に並ぶのを防ぐための自動チェックです。1〜2秒で終わり、操作は必要ありません。",
    failed: "確認を完了できませんでした。ブラウザがブロックしているか、接続が切れた可能性があります。",
    retry: "再試行",
    noscript:
      "この待合室では、順番をお渡しする前にブラウザを確認します。そのためにJavaScriptが必要です。JavaScriptを有効にしてから、このページを再読み込みしてください。",
  },
  announcePosition: (position) => `現在の順番は${position}番目です。`,
  fullStop: "。",
  noscript: "JavaScriptがオフになっているため、順番を保てるよう、このページは数秒ごとに自動で再読み込みされます。",
  footer: "このページを開いている間、順番は保たれます。",
  languageLabel: "言語",
};
