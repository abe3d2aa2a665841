// A room's accent colour, made safe to use: the page uses the accent both as a fill (buttons,
// progress bar) with text on it, and as text itself (links, the place number) on the page's
// light or dark surfaces. From one "#rrggbb" this derives, per colour scheme, an accent that
// reads as text on that scheme's surfaces (WCAG AA, 4.5:1), the black or white that reads on
// it, and its hover and soft tints. Pure: the waiting page, the gate's own pages and the
// console's preview all call it.

type Rgb = readonly [number, number, number];

/** WCAG AA for body text. */
export const minTextContrast = 4.5;

// The palettes' surfaces the accent must read on (app/globals.css): for each scheme, the one
// closest to the accent's side (light: --surface-2, the darkest light surface; dark: --surface-2,
// the lightest dark one). Reading there, it reads on the others too.
const lightSurface = "#eef2f8";
const darkSurface = "#1c2635";
const lightCard = "#ffffff";
const darkCard = "#151d29";

export function parseHex(hex: string): Rgb {
  if (!/^#[0-9a-f]{6}$/i.test(hex)) throw new Error(`not a #rrggbb colour: ${hex}`);
  const channel = (at: number) => Number.parseInt(hex.slice(at, at + 2), 16);
  return [channel(1), channel(3), channel(5)];
}

function toHex([r, g, b]: Rgb): string {
  return `#${[r, g, b].map((c) => Math.round(c).toString(16).padStart(2, "0")).join("")}`;
}

/** WCAG 2 relative luminance, 0 (black) to 1 (white). */
export function relativeLuminance(hex: string): number {
  const linear = (c: number) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  const [r, g, b] = parseHex(hex);
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

/** WCAG 2 contrast ratio, 1 to 21. */
export function contrastRatio(a: string, b: string): number {
  const la = relativeLuminance(a);
  const lb = relativeLuminance(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/** Black or white, whichever reads better on the colour (text on a button of that colour). */
export function readableForeground(background: string): "#000000" | "#ffffff" {
  return contrastRatio(background, "#000000") >= contrastRatio(background, "#ffffff") ? "#000000" : "#ffffff";
}

/** `amount` (0..1) of the way from `from` to `to`, in sRGB as CSS color-mix does. */
export function mix(from: string, to: string, amount: number): string {
  const a = parseHex(from);
  const b = parseHex(to);
  return toHex([a[0] + (b[0] - a[0]) * amount, a[1] + (b[1] - a[1]) * amount, a[2] + (b[2] - a[2]) * amount]);
}

export type AccentScheme = {
  /** The accent as fill and as text; the room's colour itself whenever it already reads. */
  accent: string;
  /** Text on the accent fill. */
  onAccent: string;
  /** A hover fill, further from onAccent than the accent is (never less contrast). */
  hover: string;
  /** A faint tint of the accent for backgrounds behind accent text. */
  soft: string;
};

export type AccentPalette = { light: AccentScheme; dark: AccentScheme };

/** A faint tint of the accent on the card, behind accent text (the place number). */
const softOf = (accent: string, card: string) => mix(card, accent, 0.12);

function schemeFor(color: string, surface: string, card: string, toward: string): AccentScheme {
  // The room's colour moved toward black (light scheme) or white (dark) in 5% steps, until it
  // reads on the scheme's surfaces and on its own soft tint.
  let accent = toward;
  for (let step = 0; step <= 20; step += 1) {
    const candidate = mix(color, toward, step / 20);
    const reads =
      contrastRatio(candidate, surface) >= minTextContrast &&
      contrastRatio(candidate, softOf(candidate, card)) >= minTextContrast;
    if (reads) {
      accent = candidate;
      break;
    }
  }
  const onAccent = readableForeground(accent);
  return {
    accent,
    onAccent,
    hover: mix(accent, onAccent === "#ffffff" ? "#000000" : "#ffffff", 0.15),
    soft: softOf(accent, card),
  };
}

/** The page's accent colours for a room's "#rrggbb", in the light and the dark scheme. */
export function accentPalette(color: string): AccentPalette {
  return {
    light: schemeFor(color, lightSurface, lightCard, "#000000"),
    dark: schemeFor(color, darkSurface, darkCard, "#ffffff"),
  };
}

/**
 * The palette as CSS custom properties for the page's root; waiting.module.css maps them onto
 * --accent, --on-accent, --accent-hover and --accent-soft per colour scheme.
 */
export function accentCustomProperties(palette: AccentPalette): Record<string, string> {
  return {
    "--brand-accent-light": palette.light.accent,
    "--brand-on-accent-light": palette.light.onAccent,
    "--brand-accent-hover-light": palette.light.hover,
    "--brand-accent-soft-light": palette.light.soft,
    "--brand-accent-dark": palette.dark.accent,
    "--brand-on-accent-dark": palette.dark.onAccent,
    "--brand-accent-hover-dark": palette.dark.hover,
    "--brand-accent-soft-dark": palette.dark.soft,
  };
}
