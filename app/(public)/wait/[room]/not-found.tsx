import Link from "next/link";
import { FloodgateLogo } from "@/components/ui/floodgate-logo";
import { readRequestLanguage } from "@/components/waiting/request-language";
import styles from "@/components/waiting/waiting.module.css";

const copy = {
  en: {
    heading: "No such waiting room",
    body: "The link may be mistyped, or the room no longer exists.",
    home: "Go to the home page",
  },
  ko: {
    heading: "대기실을 찾을 수 없습니다",
    body: "주소가 잘못되었거나 더 이상 운영하지 않는 대기실입니다.",
    home: "홈으로 가기",
  },
} as const;

export default async function WaitRoomNotFound() {
  const lang = await readRequestLanguage();
  const text = copy[lang];
  return (
    <div className={styles.page} lang={lang}>
      <header className={styles.topbar}>
        <FloodgateLogo />
      </header>
      <main className={styles.main}>
        <section className={styles.card} data-tone="alert" aria-labelledby="not-found-heading">
          <h1 id="not-found-heading" className={styles.heading}>
            {text.heading}
          </h1>
          <p className={styles.body}>{text.body}</p>
          <p className={styles.actions}>
            <Link className="button button-secondary" href="/">
              {text.home}
            </Link>
          </p>
        </section>
      </main>
    </div>
  );
}
