/*
 * A page react-pdf is told not to paginate (`wrap={false}`) is laid out once; what does not fit
 * simply runs off its bottom. renderPdf (render.tsx) renders invoices that way first, and this
 * reads the layout react-pdf hands the Document's onRender (an internal field of 4.9.0, pinned)
 * to tell whether pagination would have moved anything to a second page.
 */

interface LaidOut {
  box?: { top: number; height: number; paddingBottom?: number };
  style?: { height?: number };
  props?: { fixed?: boolean };
  children?: LaidOut[];
}

/** react-pdf's pagination ignores overflows below this, in points. */
const TOLERANCE = 0.001;

/**
 * true when every flowing child of the single page ends above the page's bottom padding, which is
 * react-pdf's own test for splitting (`wrap={false}` rows, `break` and `minPresenceAhead` aside,
 * none of which the documents use on the page's direct children); undefined when the layout is
 * not one this recognises, so the caller falls back to full pagination: slower, never wrong.
 */
export function fitsOnOnePage(layout: unknown): boolean | undefined {
  const pages = (layout as LaidOut | undefined)?.children;
  const page = pages?.[0];
  if (pages?.length !== 1 || !page?.box || page.style?.height === undefined || !page.children) return undefined;
  const bottom = page.style.height - (page.box.paddingBottom ?? 0);
  let fits = true;
  for (const child of page.children) {
    if (child.props?.fixed) continue;
    if (!child.box) return undefined;
    if (child.box.top + child.box.height > bottom + TOLERANCE) fits = false;
  }
  return fits;
}

/** The layout react-pdf passes to a Document's onRender after rendering it. */
export const renderedLayout = (rendered: unknown): unknown => (rendered as { _INTERNAL__LAYOUT__DATA_?: unknown } | undefined)?._INTERNAL__LAYOUT__DATA_;
