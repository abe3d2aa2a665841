import Link from "next/link";
import { FloodgateLogo } from "@/components/ui/floodgate-logo";
import { LanguageSwitch } from "@/components/ui/language-switch";
import { readRequestLanguageAmong } from "@/components/waiting/request-language";
import styles from "./page.module.css";

// The project's front page speaks English and Korean; the waiting page has more languages.
const HOME_LANGS = ["en", "ko"] as const;

const copy = {
  en: {
    languageLabel: "Language",
    heading: "Keep your site up when everyone shows up at once",
    lead: "Floodgate is an open-source virtual waiting room. When a sale, a ticket drop or a registration opens, visitors beyond what your site can serve wait in a fair, first-come line and are let in as capacity frees up.",
    demo: "Try the demo shop",
    features: [
      ["Fair line", "First come, first served. Everyone sees their place, the people ahead and an honest estimate."],
      [
        "Capacity you set",
        "No more visitors inside than you allow; admission can be paused without anyone losing their place.",
      ],
      [
        "Any origin",
        "Protect Next.js routes directly, or any other site with a one-line script and signed admission tokens.",
      ],
    ],
    devHeading: "For developers",
    api: "Public API (OpenAPI)",
    jwks: "Admission token signing keys (JWKS)",
    embed: "Keep admitted visitors checked in on another site:",
  },
  ko: {
    languageLabel: "언어",
    heading: "방문자가 한꺼번에 몰려도 사이트는 멈추지 않습니다",
    lead: "Floodgate는 오픈 소스 가상 대기실입니다. 한정 판매, 티켓 오픈, 접수 시작처럼 접속이 몰릴 때 사이트가 감당할 수 있는 인원을 넘는 방문자는 공정한 선착순 대기열에서 기다리다가, 자리가 나는 대로 입장합니다.",
    demo: "데모 상점 체험하기",
    features: [
      ["공정한 대기열", "먼저 온 순서대로 입장합니다. 내 순서, 앞 대기 인원, 솔직한 예상 시간을 보여 줍니다."],
      ["정해 둔 수용 인원", "허용한 인원보다 많이 들어오지 않습니다. 입장을 잠시 멈춰도 대기 순서는 유지됩니다."],
      [
        "어떤 사이트든",
        "Next.js 경로를 바로 보호하거나, 다른 사이트는 스크립트 한 줄과 서명된 입장 토큰으로 보호합니다.",
      ],
    ],
    devHeading: "개발자용",
    api: "공개 API (OpenAPI)",
    jwks: "입장 토큰 서명 키 (JWKS)",
    embed: "다른 사이트에서도 입장한 방문자의 세션을 유지하려면:",
  },
} as const;

const EMBED_SNIPPET = `<script src="https://floodgate.example.com/floodgate.js"
        data-room="default" defer></script>`;

export default async function HomePage() {
  const lang = await readRequestLanguageAmong(HOME_LANGS, "en");
  const text = copy[lang];
  return (
    <div className={styles.page} lang={lang}>
      <header className={styles.topbar}>
        <FloodgateLogo />
        <LanguageSwitch lang={lang} langs={HOME_LANGS} label={text.languageLabel} />
      </header>
      <main className={styles.main}>
        <section className={styles.hero} aria-labelledby="home-heading">
          <h1 id="home-heading" className={styles.heading}>
            {text.heading}
          </h1>
          <p className={styles.lead}>{text.lead}</p>
          <p className={styles.cta}>
            <Link className="button" href="/shop" prefetch={false}>
              {text.demo} <span aria-hidden="true">→</span>
            </Link>
          </p>
        </section>

        <ul className={styles.features}>
          {text.features.map(([title, body]) => (
            <li key={title} className={styles.feature}>
              <h2 className={styles.featureTitle}>{title}</h2>
              <p>{body}</p>
            </li>
          ))}
        </ul>

        <section className={styles.dev} aria-labelledby="dev-heading">
          <h2 id="dev-heading" className={styles.devHeading}>
            {text.devHeading}
          </h2>
          <ul className={styles.links}>
            <li>
              <a href="/openapi.yaml">{text.api}</a> <code>/openapi.yaml</code>
            </li>
            <li>
              <a href="/.well-known/jwks.json">{text.jwks}</a> <code>/.well-known/jwks.json</code>
            </li>
          </ul>
          <p>{text.embed}</p>
          <pre className={styles.snippet}>
            <code>{EMBED_SNIPPET}</code>
          </pre>
        </section>
      </main>
    </div>
  );
}
