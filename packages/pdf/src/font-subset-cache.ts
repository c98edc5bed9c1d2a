/*
 * Every PDF embeds a subset of each font it uses, and fontkit builds that subset's TrueType file
 * (glyf, loca, hmtx…) from scratch each time: about a twentieth of an invoice's render. Invoices
 * draw mostly the same glyphs (the labels, digits, the organization's name), so the file built for
 * a given list of glyphs is kept and reused. The file is a pure function of the font and of that
 * list, so the bytes are the same as a fresh build (the golden test checks).
 */

interface Subset {
  font: object;
  glyphs: number[];
  mapping: Record<number, number>;
  encode(): Uint8Array;
  paycronCached?: true;
}

interface Built {
  file: Uint8Array;
  /** Encoding adds the components of compound glyphs to the list: replayed on a hit. */
  glyphs: number[];
  mapping: Record<number, number>;
}

/** Subsets kept per font: enough for the documents of a run, bounded for a long-lived worker. */
const PER_FONT = 32;
const built = new WeakMap<object, Map<string, Built>>();

/** Makes `subset.encode()` reuse a file built before for the same font and glyphs. */
export function cacheSubsetFile(subset: Subset): void {
  if (subset.paycronCached) return;
  const encode = subset.encode;
  subset.encode = function (this: Subset) {
    let files = built.get(this.font);
    if (!files) built.set(this.font, (files = new Map()));
    const key = this.glyphs.join(",");
    const known = files.get(key);
    if (known) {
      files.delete(key);
      files.set(key, known); // most recently used last, so the oldest goes first
      this.glyphs = [...known.glyphs];
      this.mapping = { ...known.mapping };
      return known.file;
    }
    const file = encode.call(this);
    files.set(key, { file, glyphs: [...this.glyphs], mapping: { ...this.mapping } });
    if (files.size > PER_FONT) files.delete(files.keys().next().value!);
    return file;
  };
  subset.paycronCached = true;
}
