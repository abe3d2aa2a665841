import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import { readRequestLanguage } from "@/components/waiting/request-language";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Floodgate", template: "%s · Floodgate" },
  description: "Floodgate is an open-source virtual waiting room that keeps a site up through traffic peaks.",
  icons: { icon: "/favicon.svg" },
};

export const viewport: Viewport = {
  width: "device-width",
  initialScale: 1,
  colorScheme: "light dark",
  themeColor: [
    { media: "(prefers-color-scheme: light)", color: "#f3f6fa" },
    { media: "(prefers-color-scheme: dark)", color: "#0d131c" },
  ],
};

// Reading the language makes every page dynamic; they all read cookies anyway (the
// waiting page and the shop), and a correct `lang` matters for Korean screen readers.
export default async function RootLayout({ children }: { children: ReactNode }) {
  const lang = await readRequestLanguage();
  return (
    <html lang={lang}>
      <body>{children}</body>
    </html>
  );
}
