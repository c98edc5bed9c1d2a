import type { ReactNode } from "react";
import { Document, Page, Text, View } from "@react-pdf/renderer";
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
   * "single": the footer says "Page 1 of 1" as plain text. "numbered": page numbers come from a
   * render prop, which makes react-pdf lay every page out a second time (a quarter of the render
   * time), so renderPdf (render.tsx) asks for it only when the document is longer than a page.
   */
  pages: "single" | "numbered";
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
    >
      <Page size="A4" style={styles.page}>
        <View style={styles.body}>{children}</View>
        <View style={styles.footer} fixed>
          <Text style={styles.footerText}>{data.footer ?? `${data.organization.name} · ${title}`}</Text>
          {pages === "single" ? <Text>{labels.page(1, 1)}</Text> : <Text render={({ pageNumber, totalPages }) => labels.page(pageNumber, totalPages)} />}
        </View>
      </Page>
    </Document>
  );
}
