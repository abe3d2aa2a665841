// The look of the gate's own pages (full-page.ts): the waiting page's, written out as one
// stylesheet, since these pages are plain strings answered before Next.js. The colours,
// radii and type are app/globals.css's tokens, light and dark; the layout is
// components/waiting/waiting.module.css's top bar, card, state head, numbers and buttons.
// Change those and this together (full-page.test.ts checks the tokens match).

export const lightTokens = {
  "--bg": "#f3f6fa",
  "--surface": "#ffffff",
  "--surface-2": "#eef2f8",
  "--text": "#142033",
  "--muted": "#4f5d73",
  "--border": "#d8e0ea",
  "--accent": "#1f57c9",
  "--accent-hover": "#1848ab",
  "--accent-soft": "#e4ecfc",
  "--on-accent": "#ffffff",
  "--warn": "#8a5000",
  "--warn-soft": "#fff3dc",
  "--shadow": "0 1px 2px rgb(16 24 40 / 5%), 0 10px 30px -8px rgb(16 24 40 / 12%)",
};

export const darkTokens = {
  "--bg": "#0d131c",
  "--surface": "#151d29",
  "--surface-2": "#1c2635",
  "--text": "#e7ecf4",
  "--muted": "#a2aec0",
  "--border": "#2a3648",
  "--accent": "#7fa8ff",
  "--accent-hover": "#a3c0ff",
  "--accent-soft": "#1b2a47",
  "--on-accent": "#0b1322",
  "--warn": "#f0b45a",
  "--warn-soft": "#33260f",
  "--shadow": "0 1px 2px rgb(0 0 0 / 30%), 0 10px 30px -8px rgb(0 0 0 / 45%)",
};

const declarations = (tokens: Record<string, string>) =>
  Object.entries(tokens)
    .map(([name, value]) => `${name}:${value}`)
    .join(";");

const built = new Map<string, string>();

/**
 * `fonts`: the font-family list for the page's language (CJK pages name their own first). Built
 * once per list: a flood of "room full" answers reuses it.
 */
export function gatePageStyle(fonts: string): string {
  let style = built.get(fonts);
  if (style === undefined) {
    style = buildStyle(fonts);
    built.set(fonts, style);
  }
  return style;
}

function buildStyle(fonts: string): string {
  return [
    `:root{color-scheme:light dark;${declarations(lightTokens)}}`,
    `@media (prefers-color-scheme:dark){:root{${declarations(darkTokens)}}}`,
    "*,*::before,*::after{box-sizing:border-box}",
    `body{margin:0;min-height:100dvh;background:radial-gradient(60rem 30rem at 50% -10rem,color-mix(in srgb,var(--accent) 10%,transparent),transparent 70%),var(--bg);color:var(--text);font-family:${fonts};font-size:1rem;line-height:1.55;-webkit-font-smoothing:antialiased;display:flex;flex-direction:column}`,
    "h1,p,dl,dd{margin:0}",
    ":lang(ko){word-break:keep-all;overflow-wrap:anywhere}:lang(ja){word-break:auto-phrase}",
    ".topbar{display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;gap:.75rem;width:min(100%,38rem);margin:0 auto;padding:1rem}",
    ".fg{display:inline-flex;align-items:center;gap:.6rem;color:var(--accent)}.fg svg{width:2rem;height:2rem;flex:none}",
    ".fg-text{display:flex;flex-direction:column;line-height:1.15}.fg-name{color:var(--text);font-weight:700;letter-spacing:-.01em}.fg-tagline{color:var(--muted);font-size:.8rem}",
    ".lang{position:relative;display:inline-flex;align-items:center;gap:.25rem;border:1px solid var(--border);border-radius:999px;background:var(--surface);color:var(--muted)}",
    ".lang:focus-within{outline:2px solid var(--accent);outline-offset:2px}",
    ".lang .globe{position:absolute;left:.7rem;width:1rem;height:1rem;pointer-events:none}",
    ".lang select{min-height:2.25rem;padding:.3rem 2rem .3rem 2.1rem;border:0;border-radius:999px;background:transparent;color:var(--text);font:inherit;font-size:.875rem;cursor:pointer;appearance:none;-webkit-appearance:none}",
    ".lang .chevron{position:absolute;right:.75rem;width:.75rem;height:.75rem;pointer-events:none}",
    ".pick{position:relative;display:inline-flex;align-items:center}",
    ".lang select:focus-visible{outline:none}.lang option{background:var(--surface);color:var(--text)}",
    ".lang button{margin-right:.25rem;padding:.2rem .6rem;border:1px solid var(--border);border-radius:999px;background:var(--surface-2);color:var(--text);font:inherit;font-size:.8125rem}",
    ".main{flex:1;width:min(100%,38rem);margin:0 auto;padding:.5rem 1rem 1.5rem}",
    ".card{position:relative;overflow:hidden;padding:clamp(1.25rem,5vw,2rem);border:1px solid var(--border);border-radius:22px;background:var(--surface);box-shadow:var(--shadow)}",
    ".card::before{content:'';position:absolute;inset:0 0 auto;height:4px;background:var(--warn)}",
    ".brand{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem .75rem;margin-bottom:1rem}",
    ".logo{width:auto;max-width:min(10rem,100%);height:auto;max-height:2.5rem;object-fit:contain}",
    ".room{color:var(--muted);font-size:.8125rem;font-weight:600;letter-spacing:.02em}",
    ".state{display:grid;grid-template-columns:auto 1fr;gap:.9rem;align-items:start}",
    ".icon{display:grid;place-items:center;width:2.75rem;height:2.75rem;border-radius:50%;background:var(--warn-soft);color:var(--warn)}.icon svg{width:1.4rem;height:1.4rem}",
    "h1{font-size:clamp(1.35rem,5.2vw,1.75rem);font-weight:700;line-height:1.3}",
    ".body{margin-top:.35rem;color:var(--muted)}",
    ".notice{margin-top:1.25rem;padding:.75rem 1rem;border-left:4px solid var(--accent);border-radius:10px;background:var(--accent-soft);white-space:pre-line;overflow-wrap:anywhere}",
    ".stats{display:grid;grid-template-columns:1fr 1fr;gap:.75rem;margin-top:1.5rem}",
    ".stat{min-width:0;padding:.85rem 1rem;border-radius:16px;background:var(--surface-2)}.stat dt{color:var(--muted);font-size:.8125rem}.stat dd{margin-top:.15rem}",
    ".value{font-size:1.15rem;font-weight:650;font-variant-numeric:tabular-nums}.unit{color:var(--muted);font-size:.9rem}",
    ".retry{display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;gap:.75rem 1rem;margin-top:1.5rem;padding-top:1.25rem;border-top:1px solid var(--border)}",
    ".countdown{color:var(--muted);font-variant-numeric:tabular-nums}",
    ".button{display:inline-flex;align-items:center;justify-content:center;min-height:2.75rem;padding:.65rem 1.25rem;border-radius:999px;background:var(--accent);color:var(--on-accent);font-weight:600;text-decoration:none}",
    ".button:hover{background:var(--accent-hover)}.button:focus-visible{outline:2px solid var(--accent);outline-offset:2px}",
    ".footer{padding:1.25rem 1rem 1.75rem;color:var(--muted);font-size:.8125rem;text-align:center}",
    ".visually-hidden{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap;border:0}",
    "@media (max-width:22rem){.stats{grid-template-columns:1fr}}",
  ].join("");
}
