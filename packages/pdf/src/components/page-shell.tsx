import type { ReactNode } from "react";
import { Document, Page, Text, View } from "@react-pdf/renderer";
import { renderedLayout } from "../one-page.ts";
import type { DocumentContext } from "./context.ts";
import { styles } from "./styles.ts";

/** react-pdf's default producer and creator name its version: fixed here so an upgrade alone changes no bytes. */
const PRODUCER = "Paycron";

export interface PageShellProps {
  ctx: DocumentContext;
  title: string;
  /** The PDF's CreationDate and ModDate, taken from the data, never the clock: the same data gives the same bytes. */
  createdAt: Date;
  modifiedAt: Date;
  /**
   * "single": one page that react-pdf does not paginate (pagination lays the page out a second
   * time even when nothing moves), the footer saying "Page 1 of 1" as plain text; `onLayout`
   * receives the layout, so renderPdf (render.tsx) can tell whether the content ran past it.
   * "numbered": paginated, page numbers from a render prop, which makes react-pdf lay every page
   * out once more, so renderPdf asks for it only when the document is longer than a page.
   */
  pages: { mode: "single"; onLayout: (layout: unknown) => void } | { mode: "numbered" };
  children: ReactNode;
}

/**
 * The document and its A4 page, with fixed metadata (pdfkit derives the file ID from it, so the ID
 * is deterministic too) and a footer repeated on every page.
 */
export function PageShell({ ctx, title, createdAt, modifiedAt, pages, children }: PageShellProps) {
  const { data, labels } = ctx;
  return (
    <Document
      title={title}
      author={data.organization.name}
      subject={title}
      creator={PRODUCER}
      producer={PRODUCER}
      creationDate={createdAt}
      modificationDate={modifiedAt}
      language={data.locale}
      onRender={pages.mode === "single" ? (rendered) => pages.onLayout(renderedLayout(rendered)) : undefined}
    >
      <Page size="A4" style={styles.page} wrap={pages.mode === "numbered"}>
        <View style={pages.mode === "single" ? [styles.body, styles.unpaginatedBody] : styles.body}>{children}</View>
        <View style={styles.footer} fixed>
          <Text style={styles.footerText}>{data.footer ?? `${data.organization.name} · ${title}`}</Text>
          {pages.mode === "single" ? <Text>{labels.page(1, 1)}</Text> : <Text render={({ pageNumber, totalPages }) => labels.page(pageNumber, totalPages)} />}
        </View>
      </Page>
    </Document>
  );
}
