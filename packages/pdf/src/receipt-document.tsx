import { Text, View } from "@react-pdf/renderer";
import type { DocumentContext } from "./components/context.ts";
import { Details, type Fact } from "./components/details.tsx";
import { Header } from "./components/header.tsx";
import { LineItems } from "./components/line-items.tsx";
import { PageShell, type PageShellProps } from "./components/page-shell.tsx";
import { styles } from "./components/styles.ts";
import { Totals, type TotalLine } from "./components/totals.tsx";

/**
 * The receipt of a paid invoice: the amount paid first, when and with what, the invoice it pays,
 * then the same lines and totals as the invoice. `paidAt` is checked by the caller (renderReceiptPdf).
 */
export function ReceiptDocument({ ctx, paidAt, pages }: { ctx: DocumentContext; paidAt: Date; pages: PageShellProps["pages"] }) {
  const { data, format, labels } = ctx;
  const title = `${labels.receipt} ${data.invoiceNumber}`;
  const facts: Fact[] = [
    { label: labels.invoiceNumber, value: data.invoiceNumber },
    { label: labels.paidOn, value: format.date(paidAt) },
  ];
  if (data.paymentMethod) facts.push({ label: labels.paymentMethod, value: labels.card(data.paymentMethod.brand, data.paymentMethod.last4) });
  const totals: TotalLine[] = [
    { label: labels.total, minor: data.total, emphasis: true },
    { label: labels.amountPaid, minor: data.amountPaid, ruled: true },
  ];
  if (data.amountRefunded !== 0) totals.push({ label: labels.amountRefunded, minor: data.amountRefunded });
  return (
    <PageShell ctx={ctx} title={title} pages={pages} createdAt={paidAt} modifiedAt={paidAt}>
      <Header ctx={ctx} title={labels.receipt} subtitle={labels.receiptFor(data.invoiceNumber)} />
      <View style={styles.headline}>
        <Text style={styles.label}>{labels.amountPaid}</Text>
        <Text style={styles.headlineAmount}>{format.money(data.amountPaid)}</Text>
      </View>
      <Details ctx={ctx} facts={facts} />
      <LineItems ctx={ctx} />
      <Totals ctx={ctx} lines={totals} />
    </PageShell>
  );
}
