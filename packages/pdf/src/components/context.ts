import type { InvoiceDocumentData } from "../document-data.ts";
import { createFormatters, type Formatters } from "../format.ts";
import { labelsFor, type Labels } from "../labels.ts";

/** What every part of a document reads: the data, its formatters and its labels, built once per render. */
export interface DocumentContext {
  data: InvoiceDocumentData;
  format: Formatters;
  labels: Labels;
}

export function documentContext(data: InvoiceDocumentData): DocumentContext {
  return { data, format: createFormatters(data), labels: labelsFor(data.locale) };
}
