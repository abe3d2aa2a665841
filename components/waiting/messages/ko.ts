// The waiting page in Korean: 합니다체 throughout, written as a Korean ticketing site's
// waiting page would say it rather than word for word from the English.
import type { WaitingMessages } from "./types";

export const ko: WaitingMessages = {
  locale: "ko-KR",
  documentTitle: "대기실",
  tabTitleInLine: (position) => `${position}번째 대기 중`,
  tagline: "가상 대기실",
  states: {
    joining: { heading: "대기 순서를 받고 있습니다…", body: "잠시만 기다려 주세요." },
    full: {
      heading: "대기실이 가득 찼습니다",
      body: "지금은 대기 인원이 너무 많아 더 이상 줄을 설 수 없습니다. 잠시 후 자동으로 다시 시도합니다.",
    },
    waiting: {
      heading: "대기 중입니다",
      body: "이 페이지를 닫지 말고 기다려 주세요. 차례가 되면 자동으로 입장합니다.",
    },
    next: {
      heading: "다음 차례입니다",
      body: "다음 빈자리가 생기면 바로 입장합니다. 페이지를 닫지 말고 기다려 주세요.",
    },
    paused: {
      heading: "입장이 일시 중지되었습니다",
      body: "사이트에서 잠시 입장을 멈췄습니다. 대기 순서는 그대로 유지되며, 입장이 다시 시작되면 순서대로 진행됩니다.",
    },
    closed: {
      heading: "대기실이 닫혀 있습니다",
      body: "지금은 입장을 받지 않습니다. 대기 순서는 그대로 유지되며, 대기실이 다시 열리면 이 페이지에 자동으로 반영됩니다.",
    },
    prequeue: {
      heading: "시작 전에 도착하셨습니다",
      body: "시작 전에 도착한 분들의 대기 순서는 시작 시각에 무작위 추첨으로 정해집니다. 일찍 오거나 새로고침해도 순서에는 영향이 없으니 이 페이지를 열어 두세요.",
    },
    admitted: { heading: "입장할 차례입니다", body: "입장 중입니다…" },
    expired: {
      heading: "대기 순서가 만료되었습니다",
      body: "페이지가 닫혀 있었거나 연결이 너무 오래 끊겨 대기 순서가 취소되었습니다. 다시 줄을 서실 수 있습니다.",
    },
    ended: {
      heading: "이용 시간이 끝났습니다",
      body: "기다리는 모든 분이 차례대로 이용하실 수 있도록 이용 시간이 정해져 있습니다. 다시 줄을 서실 수 있습니다.",
    },
    lost: {
      heading: "죄송합니다. 대기 순서를 유지하지 못했습니다",
      body: "저희 쪽에 문제가 생겨 대기 순서를 유지하지 못했습니다. 고객님 쪽의 문제가 아닙니다. 다시 줄을 서시면 새 순서를 받으실 수 있습니다.",
    },
    removed: {
      heading: "사이트에서 대기 순서를 취소했습니다",
      body: "이 사이트의 운영자가 고객님의 대기 순서를 취소했거나 이용을 종료했습니다. 페이지나 연결 문제 때문이 아닙니다. 다시 줄을 서실 수 있습니다.",
    },
    siteEnded: {
      heading: "사이트에서 이용을 종료했습니다",
      body: "사이트에서 이용이 끝났다고 알려 왔습니다(예: 결제를 마치신 경우). 고객님의 차례는 다음 분께 넘어갔습니다. 필요하시면 다시 줄을 서실 수 있습니다.",
    },
  },
  closedWithoutPlaceBody: "지금은 새로 줄을 설 수 없습니다. 잠시 후 자동으로 다시 시도합니다.",
  labels: {
    position: "내 순서",
    ahead: "내 앞 대기 인원",
    eta: "예상 대기 시간",
    progress: "진행률",
    waitingNow: "현재 대기 인원",
    startsAt: "순서 추첨 시각",
  },
  startsAt: (time, inMinutes) => (inMinutes <= 0 ? `${time} (곧 시작)` : `${time} (${inMinutes}분 후)`),
  positionPrefix: "",
  positionSuffix: "번째",
  aheadUnit: () => "명",
  unitGap: "",
  eta: (eta) => {
    switch (eta.kind) {
      case "unknown":
        return "계산 중…";
      case "under-minute":
        return "1분 이내";
      case "minutes":
        return `약 ${eta.minutes}분`;
      case "hours":
        return eta.minutes > 0 ? `약 ${eta.hours}시간 ${eta.minutes}분` : `약 ${eta.hours}시간`;
    }
  },
  etaNotEnoughData: "아직 계산할 데이터가 부족합니다",
  etaOnHold: "일시 중지",
  admissionsPerMinute: (count) => `분당 입장 인원: ${count}명`,
  progressText: (percent) => `내 앞에 있던 대기자의 ${percent}가 입장했습니다`,
  retryIn: (seconds) => `${seconds}초 후 다시 시도합니다.`,
  retrying: "다시 시도하는 중…",
  tryNow: "지금 다시 시도",
  reconnecting: "연결이 끊겨 다시 연결하는 중입니다… 그동안 대기 순서는 유지됩니다.",
  live: "실시간 업데이트 중",
  noRefreshNeeded: "새로고침하지 않아도 자동으로 업데이트됩니다.",
  newPlace: "다시 줄 서기",
  continueLink: "자동으로 이동하지 않으면 여기를 눌러 주세요",
  reference: {
    label: "접수 번호",
    hint: "문의하실 때 이 번호를 알려 주세요.",
    copy: "복사",
    copied: "복사 완료",
  },
  challenge: {
    heading: "브라우저를 확인하고 있습니다…",
    body: "자동 프로그램이 줄을 서지 못하도록 잠깐 확인합니다. 1~2초면 끝나며, 따로 하실 일은 없습니다.",
    failed: "확인을 마치지 못했습니다. 브라우저가 확인을 막았거나 연결이 끊겼을 수 있습니다.",
    retry: "다시 시도",
    noscript:
      "이 대기실은 대기 순서를 드리기 전에 브라우저를 확인하며, 여기에는 자바스크립트가 필요합니다. 자바스크립트를 켠 뒤 이 페이지를 새로고침해 주세요.",
  },
  announcePosition: (position) => `현재 대기 순서는 ${position}번째입니다.`,
  fullStop: ".",
  noscript: "자바스크립트가 꺼져 있어, 대기 순서를 유지하려고 몇 초마다 페이지를 새로고침합니다.",
  footer: "이 페이지가 열려 있는 동안 대기 순서가 유지됩니다.",
  languageLabel: "언어",
};
