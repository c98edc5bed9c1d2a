import { StyleSheet } from "@react-pdf/renderer";
import { FONT_FAMILY } from "../fonts.ts";

/*
 * One sheet for both documents. Sizes in points on A4 (595 × 842). Amount columns have fixed
 * widths and right alignment, so figures line up down the table and the totals below it.
 */
export const colors = {
  text: "#1a1f36",
  muted: "#687385",
  rule: "#dfe3e8",
  band: "#f6f8fa",
  paid: "#0e7c4a",
  void: "#687385",
  uncollectible: "#b42318",
};

export const AMOUNT_WIDTH = 96;
export const QUANTITY_WIDTH = 44;
/** The totals block spans the unit-price and amount columns, so both end on the same edge. */
export const TOTALS_WIDTH = 2 * AMOUNT_WIDTH + 60;

/** A4's height in points, as react-pdf's `size="A4"` has it. */
const A4_HEIGHT = 841.89;
const PAGE_PADDING = { paddingTop: 44, paddingBottom: 72, paddingHorizontal: 48 };

export const styles = StyleSheet.create({
  page: { fontFamily: FONT_FAMILY, fontSize: 9, color: colors.text, ...PAGE_PADDING },
  /*
   * Line height lives on the body, not the page: inherited into the footer's page-number text
   * (a render prop), a lineHeight makes react-pdf 4.9 drop the whole fixed footer. react-pdf
   * resolves a unitless lineHeight against the fontSize of the style that declares it and
   * inherits the result in points, hence the fontSize here and a lineHeight on every larger text.
   */
  body: { fontSize: 9, lineHeight: 1.35 },
  /*
   * An unpaginated page (page-shell.tsx) is laid out once, with the height of its content: the
   * body fills the page's content area, so the page is A4-tall and the footer, placed from its
   * bottom, lands where pagination would have put it.
   */
  unpaginatedBody: { minHeight: A4_HEIGHT - PAGE_PADDING.paddingTop - PAGE_PADDING.paddingBottom },
  header: { flexDirection: "row", justifyContent: "space-between", alignItems: "flex-start", marginBottom: 28 },
  organization: { maxWidth: 280 },
  logo: { maxWidth: 120, maxHeight: 40, marginBottom: 8, objectFit: "contain" },
  organizationName: { fontSize: 12, fontWeight: 700, lineHeight: 1.2, marginBottom: 3 },
  titleBlock: { alignItems: "flex-end" },
  title: { fontSize: 22, fontWeight: 700, lineHeight: 1.15 },
  subtitle: { color: colors.muted, marginTop: 2 },
  // No letter spacing: text extraction would read "P A I D".
  mark: { marginTop: 8, paddingVertical: 3, paddingHorizontal: 8, borderWidth: 1.2, borderRadius: 3, fontSize: 9, fontWeight: 700 },
  muted: { color: colors.muted },
  details: { flexDirection: "row", justifyContent: "space-between", marginBottom: 24 },
  party: { maxWidth: 260 },
  label: { fontSize: 7.5, fontWeight: 700, color: colors.muted, textTransform: "uppercase", letterSpacing: 0.6, marginBottom: 3 },
  strong: { fontWeight: 700 },
  facts: { width: TOTALS_WIDTH },
  fact: { flexDirection: "row", justifyContent: "space-between", marginBottom: 2 },
  headline: { marginBottom: 24, paddingVertical: 10, paddingHorizontal: 12, backgroundColor: colors.band, borderRadius: 3 },
  headlineAmount: { fontSize: 18, fontWeight: 700, lineHeight: 1.2 },
  tableHeader: { flexDirection: "row", borderBottomWidth: 1, borderBottomColor: colors.text, paddingBottom: 4 },
  row: { flexDirection: "row", borderBottomWidth: 0.5, borderBottomColor: colors.rule, paddingVertical: 6 },
  descriptionCell: { flex: 1, paddingRight: 12 },
  quantityCell: { width: QUANTITY_WIDTH, textAlign: "right" },
  amountCell: { width: AMOUNT_WIDTH, textAlign: "right" },
  period: { color: colors.muted, fontSize: 8, marginTop: 1 },
  totals: { alignSelf: "flex-end", width: TOTALS_WIDTH, marginTop: 10 },
  totalRow: { flexDirection: "row", justifyContent: "space-between", paddingVertical: 2.5 },
  totalRule: { borderTopWidth: 0.5, borderTopColor: colors.rule, marginTop: 3, paddingTop: 5.5 },
  grandRow: { fontSize: 11, fontWeight: 700, lineHeight: 1.2 },
  payment: { marginTop: 22, color: colors.muted },
  footer: { position: "absolute", left: 48, right: 48, bottom: 32, flexDirection: "row", justifyContent: "space-between", borderTopWidth: 0.5, borderTopColor: colors.rule, paddingTop: 8, fontSize: 7.5, color: colors.muted },
  footerText: { maxWidth: 380 },
});
