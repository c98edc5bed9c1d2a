/*
 * Shaping a run of text (fontkit's OpenType GSUB and GPOS: ligatures, kerning, marks) costs about
 * 6 µs a character in JavaScript, a fifth of an invoice's render, and most of an invoice's text
 * is shaped again on the next one: the labels, the organization's name and address, the footer,
 * the dates of a billing run, the product names. Like a browser's word cache (Blink's
 * ShapeCache), each font remembers the glyph run it produced for a string, and hands out a copy.
 *
 * The run is a pure function of the font, the string and the shaping options; the glyph objects
 * are the font's own (fontkit keeps one per glyph id), and the positions are copied, since
 * textkit adjusts positions of the runs it lays out. Bounded per font, oldest forgotten first.
 */

interface GlyphRun {
  glyphs: unknown[];
  positions: object[];
}
type Layout = (this: unknown, text: unknown, features?: unknown, ...rest: unknown[]) => GlyphRun;
interface ShapingFont {
  layout: Layout & { paycronCached?: true };
}

/** Runs remembered per font: an invoice has about sixty; this holds a good many invoices' worth. */
const PER_FONT = 2000;

export function cacheShaping(font: ShapingFont): void {
  if (font.layout.paycronCached) return;
  const layout = font.layout;
  const runs = new Map<string, GlyphRun>();
  const cached: Layout & { paycronCached?: true } = function (this: unknown, text, features, ...rest) {
    if (typeof text !== "string") return layout.call(this, text, features, ...rest);
    const key = JSON.stringify([features ?? null, ...rest, text]);
    let run = runs.get(key);
    if (run) {
      runs.delete(key);
      runs.set(key, run); // most recently used last, so the oldest goes first
    } else {
      run = layout.call(this, text, features, ...rest);
      runs.set(key, run);
      if (runs.size > PER_FONT) runs.delete(runs.keys().next().value!);
    }
    return copyRun(run);
  };
  cached.paycronCached = true;
  font.layout = cached;
}

/** A fresh run object of the same class, sharing the (immutable) glyphs, with its own positions. */
function copyRun(run: GlyphRun): GlyphRun {
  const copy = Object.assign(Object.create(Object.getPrototypeOf(run) as object) as GlyphRun, run);
  copy.glyphs = [...run.glyphs];
  copy.positions = run.positions.map((position) => Object.assign(Object.create(Object.getPrototypeOf(position) as object) as object, position));
  return copy;
}
