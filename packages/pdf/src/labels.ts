import type { InvoiceDocumentStatus } from "./document-data.ts";

/*
 * The words printed on the documents, in the languages the emails are written in (English and
 * French). Any other locale reads English labels; its numbers and dates stay in its own format.
 */
const en = {
  invoice: "Invoice",
  receipt: "Receipt",
  invoiceNumber: "Invoice number",
  issued: "Date of issue",
  due: "Date due",
  paidOn: "Date paid",
  billTo: "Bill to",
  from: "From",
  description: "Description",
  quantity: "Qty",
  unitPrice: "Unit price",
  amount: "Amount",
  subtotal: "Subtotal",
  discount: "Discount",
  tax: "Tax",
  total: "Total",
  amountPaid: "Amount paid",
  amountRefunded: "Refunded",
  amountDue: "Amount due",
  paymentMethod: "Payment method",
  page: (n: number, of: number) => `Page ${n} of ${of}`,
  receiptFor: (number: string) => `Receipt for invoice ${number}`,
  card: (brand: string, last4: string) => `${brand} ending in ${last4}`,
  status: { paid: "PAID", void: "VOID", uncollectible: "UNCOLLECTIBLE" },
};

export type Labels = typeof en;

const fr: Labels = {
  invoice: "Facture",
  receipt: "Reçu",
  invoiceNumber: "Numéro de facture",
  issued: "Date d’émission",
  due: "Date d’échéance",
  paidOn: "Date de paiement",
  billTo: "Facturé à",
  from: "De",
  description: "Description",
  quantity: "Qté",
  unitPrice: "Prix unitaire",
  amount: "Montant",
  subtotal: "Sous-total",
  discount: "Remise",
  tax: "Taxes",
  total: "Total",
  amountPaid: "Montant payé",
  amountRefunded: "Remboursé",
  amountDue: "Montant dû",
  paymentMethod: "Moyen de paiement",
  page: (n, of) => `Page ${n} sur ${of}`,
  receiptFor: (number) => `Reçu de la facture ${number}`,
  card: (brand, last4) => `${brand} se terminant par ${last4}`,
  status: { paid: "PAYÉE", void: "ANNULÉE", uncollectible: "IRRÉCOUVRABLE" },
};

export function labelsFor(locale: string): Labels {
  return new Intl.Locale(locale).language === "fr" ? fr : en;
}

/** The stamp of a settled status (an open invoice has none). */
export function statusMark(labels: Labels, status: Exclude<InvoiceDocumentStatus, "open">): string {
  return labels.status[status];
}
