import { createRequire } from "node:module";
import { Font } from "@react-pdf/renderer";
import { cacheShaping } from "./shaping-cache.ts";

/*
 * The documents' fonts: Noto Sans for Latin, Greek and Cyrillic (Zoë, Łukasz, Ødegård, and the
 * narrow no-break space fr-FR puts in "1 234,56 €"), then Noto Sans JP for what Noto Sans lacks
 * (山田 太郎, the full-width ￥ ja-JP uses). react-pdf picks, per character, the first family of
 * the list that has a glyph for it; each embedded font is subset to the glyphs used, so a PDF
 * carries tens of kilobytes of font, not the 5 MB of the JP file.
 *
 * The files are TTFs from npm packages (Google Fonts' static builds), read from the local disk:
 * never a URL, nothing is downloaded at run time. TrueType rather than the CFF-flavoured OTF of
 * Noto Sans CJK, because fontkit's subsetter is at its most proven on `glyf` outlines.
 *
 * The paths are resolved with createRequire at run time, not imported: a bundler (esbuild in a
 * Trigger.dev deploy) leaves `require.resolve` of a created require alone, so the bundle finds the
 * files in node_modules next to it. A deployment must therefore install these two packages
 * (for Trigger.dev: the `additionalPackages` build extension with the versions of package.json).
 */
const require = createRequire(import.meta.url);

export const FONT_FAMILY = ["NotoSans", "NotoSansJP"];

const FILES = {
  NotoSans: {
    400: "@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf",
    700: "@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf",
  },
  NotoSansJP: {
    400: "@expo-google-fonts/noto-sans-jp/400Regular/NotoSansJP_400Regular.ttf",
    700: "@expo-google-fonts/noto-sans-jp/700Bold/NotoSansJP_700Bold.ttf",
  },
} as const;

/** Every font file, resolved to its path on disk (the Chromium baseline serves the same files). */
export function fontFiles(): Array<{ family: string; weight: number; path: string }> {
  return Object.entries(FILES).flatMap(([family, weights]) =>
    Object.entries(weights).map(([weight, file]) => ({ family, weight: Number(weight), path: require.resolve(file) })),
  );
}

let registered = false;

/**
 * Registers the fonts with react-pdf's global store, once per process: registering again would
 * add duplicate sources, and each source parses its file once and keeps it.
 */
export function registerFonts(): void {
  if (registered) return;
  for (const family of Object.keys(FILES)) {
    const fonts = fontFiles().filter((font) => font.family === family);
    Font.register({ family, fonts: fonts.map((font) => ({ src: font.path, fontWeight: font.weight })) });
  }
  // Words are never split: an invoice line breaks between words, with no hyphen invented.
  Font.registerHyphenationCallback((word) => [word]);
  registered = true;
}

let loaded: Promise<void> | undefined;

/**
 * Registers the fonts and parses them now rather than at react-pdf's first layout, so that each
 * parsed font can keep the glyph runs it shaped (shaping-cache.ts). Once per process.
 */
export function loadFonts(): Promise<void> {
  registerFonts();
  loaded ??= Promise.all(
    fontFiles().map(async ({ family, weight }) => {
      const descriptor = { fontFamily: family, fontWeight: weight };
      await Font.load(descriptor);
      const { data } = Font.getFont(descriptor) as { data: Parameters<typeof cacheShaping>[0] | null };
      if (data && typeof data.layout === "function") cacheShaping(data);
    }),
  ).then(() => undefined);
  return loaded;
}
