import { Text } from "@react-pdf/renderer";
import type { DocumentContext } from "./components/context.ts";
import { Details, type Fact } from "./components/details.tsx";
import { Header } from "./components/header.tsx";
import { LineItems } from "./components/line-items.tsx";
import { PageShell, type PageShellProps } from "./components/page-shell.tsx";
import { styles } from "./components/styles.ts";
import { Totals, type TotalLine } from "./components/totals.tsx";

/** The invoice: who bills whom, the lines, the totals down to what is due, and how it was paid. */
export function InvoiceDocument({ ctx, pages }: { ctx: DocumentContext; pages: PageShellProps["pages"] }) {
  const { data, format, labels } = ctx;
  const title = `${labels.invoice} ${data.invoiceNumber}`;
  const facts: Fact[] = [
    { label: labels.invoiceNumber, value: data.invoiceNumber },
    { label: labels.issued, value: format.date(data.issuedAt) },
  ];
  if (data.dueAt) facts.push({ label: labels.due, value: format.date(data.dueAt) });
  if (data.paidAt) facts.push({ label: labels.paidOn, value: format.date(data.paidAt) });
  return (
    <PageShell ctx={ctx} title={title} pages={pages} createdAt={data.issuedAt} modifiedAt={data.paidAt ?? data.voidedAt ?? data.issuedAt}>
      <Header ctx={ctx} title={labels.invoice} subtitle={data.invoiceNumber} status={data.status} />
      <Details ctx={ctx} facts={facts} />
      <LineItems ctx={ctx} />
      <Totals ctx={ctx} lines={invoiceTotals(ctx)} />
      {data.paymentMethod ? (
        <Text style={styles.payment}>
          {labels.paymentMethod}: {labels.card(data.paymentMethod.brand, data.paymentMethod.last4)}
        </Text>
      ) : null}
    </PageShell>
  );
}

/** Subtotal to amount due; a discount, tax or refund of zero is left out rather than printed as 0. */
function invoiceTotals({ data, labels }: DocumentContext): TotalLine[] {
  const lines: TotalLine[] = [{ label: labels.subtotal, minor: data.subtotal }];
  if (data.discount !== 0) lines.push({ label: labels.discount, minor: -data.discount });
  if (data.tax !== 0) lines.push({ label: labels.tax, minor: data.tax });
  lines.push({ label: labels.total, minor: data.total, ruled: true, emphasis: true });
  lines.push({ label: labels.amountPaid, minor: data.amountPaid, ruled: true });
  if (data.amountRefunded !== 0) lines.push({ label: labels.amountRefunded, minor: data.amountRefunded });
  lines.push({ label: labels.amountDue, minor: data.amountDue, emphasis: true });
  return lines;
}
