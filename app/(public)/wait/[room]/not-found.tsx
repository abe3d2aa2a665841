import Link from "next/link";
import { FloodgateLogo } from "@/components/ui/floodgate-logo";
import type { Lang } from "@/components/waiting/negotiate-language";
import { readRequestLanguage } from "@/components/waiting/request-language";
import styles from "@/components/waiting/waiting.module.css";

type NotFoundCopy = { heading: string; body: string; home: string };

// Every waiting-page language: someone who follows a stale or mistyped room link reads this.
const copy: Record<Lang, NotFoundCopy> = {
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
  ja: {
    heading: "この待合室は見つかりません",
    body: "URLが間違っているか、この待合室はすでに終了しています。",
    home: "トップページへ",
  },
  "zh-Hans": {
    heading: "找不到这个等候室",
    body: "链接可能有误，或者这个等候室已不存在。",
    home: "返回首页",
  },
  "zh-Hant": {
    heading: "找不到這個等候室",
    body: "連結可能有誤，或是這個等候室已不存在。",
    home: "回到首頁",
  },
  es: {
    heading: "Esta sala de espera no existe",
    body: "Puede que el enlace esté mal escrito o que la sala ya no exista.",
    home: "Ir a la página de inicio",
  },
  fr: {
    heading: "Salle d’attente introuvable",
    body: "Le lien est peut-être mal saisi, ou la salle n’existe plus.",
    home: "Aller à la page d’accueil",
  },
  de: {
    heading: "Diesen Warteraum gibt es nicht",
    body: "Der Link ist vielleicht falsch geschrieben, oder den Warteraum gibt es nicht mehr.",
    home: "Zur Startseite",
  },
};

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
