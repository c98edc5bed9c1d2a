/*
 * Every PDF embeds a subset of each font it uses, and fontkit builds that subset's TrueType file
 * (glyf, loca, hmtx…) from scratch each time: about a twentieth of an invoice's render. Invoices
 * draw mostly the same glyphs (the labels, digits, the organization's name), so the file built for
 * a given list of glyphs is kept and reused. The file is a pure function of the font and of that
 * list, so the bytes are the same as a fresh build (the golden test checks).
 *
 * When the list is new (a customer's name brings new letters), the file is built, but each
 * glyph's outline is no longer decoded again: TrueType subsetting copies a glyph's bytes as they
 * are, and only a compound glyph needs its components' new ids written in; what the font holds
 * for a glyph is read once per font and kept (fontkit 2.0.4's TTFSubset._addGlyph, redone with
 * that memory; variable fonts, whose outlines are re-encoded, and CFF fonts go as before).
 */

interface TrueTypeFont {
  _variationProcessor?: unknown;
  loca: { offsets: number[] };
  getGlyph(gid: number): { advanceWidth: number; _decode(): Outline | null; _getMetrics(): { leftBearing: number } };
  _getTableStream(tag: "glyf"): { pos: number; readBuffer(length: number): Uint8Array };
}
interface Outline {
  numberOfContours: number;
  components?: Array<{ glyphID: number; pos: number }>;
}

interface Subset {
  font: object;
  glyphs: number[];
  mapping: Record<number, number>;
  encode(): Uint8Array;
  includeGlyph(gid: number): number;
  _addGlyph?(gid: number): number;
  glyf?: Uint8Array[];
  loca?: { offsets: number[] };
  hmtx?: { metrics: Array<{ advance: number; bearing: number }> };
  offset?: number;
  paycronCached?: true;
}

/** A glyph as the font stores it: its bytes, the components to renumber if compound, its metrics. */
interface StoredGlyph {
  bytes: Uint8Array;
  components: Array<{ glyphID: number; pos: number }> | null;
  advance: number;
  bearing: number;
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
const stored = new WeakMap<object, Map<number, StoredGlyph>>();

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
  if (typeof subset._addGlyph === "function" && isStaticTrueType(subset.font)) subset._addGlyph = addStoredGlyph;
  subset.paycronCached = true;
}

function isStaticTrueType(font: object): font is TrueTypeFont {
  const f = font as Partial<TrueTypeFont>;
  return !f._variationProcessor && Array.isArray(f.loca?.offsets) && typeof f._getTableStream === "function" && typeof f.getGlyph === "function";
}

function addStoredGlyph(this: Subset, gid: number): number {
  const font = this.font as TrueTypeFont;
  let glyphs = stored.get(font);
  if (!glyphs) stored.set(font, (glyphs = new Map()));
  let glyph = glyphs.get(gid);
  if (!glyph) glyphs.set(gid, (glyph = readGlyph(font, gid)));
  let bytes = glyph.bytes;
  if (glyph.components) {
    bytes = new Uint8Array(bytes);
    const view = new DataView(bytes.buffer);
    for (const component of glyph.components) view.setUint16(component.pos, this.includeGlyph(component.glyphID));
  }
  this.glyf!.push(bytes);
  this.loca!.offsets.push(this.offset!);
  this.hmtx!.metrics.push({ advance: glyph.advance, bearing: glyph.bearing });
  this.offset! += bytes.length;
  return this.glyf!.length - 1;
}

function readGlyph(font: TrueTypeFont, gid: number): StoredGlyph {
  const glyph = font.getGlyph(gid);
  const outline = glyph._decode();
  const stream = font._getTableStream("glyf");
  stream.pos += font.loca.offsets[gid]!;
  const bytes = stream.readBuffer(font.loca.offsets[gid + 1]! - font.loca.offsets[gid]!);
  const compound = outline !== null && outline.numberOfContours < 0;
  return {
    bytes,
    components: compound ? (outline.components ?? []).map(({ glyphID, pos }) => ({ glyphID, pos })) : null,
    advance: glyph.advanceWidth,
    bearing: glyph._getMetrics().leftBearing,
  };
}
