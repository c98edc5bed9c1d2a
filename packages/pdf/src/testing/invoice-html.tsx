import { renderToStaticMarkup } from "react-dom/server";
import { documentContext } from "../components/context.ts";
import type { InvoiceDocumentData } from "../document-data.ts";

/*
 * The same invoice as HTML, for Chromium to print: the bench's baseline (the usual alternative to
 * react-pdf). Same content, same fonts, same layout in broad strokes; it is not shipped.
 */

const CSS = `
@page { size: A4; margin: 44pt 48pt 72pt; }
body { font-family: "Noto Sans", "Noto Sans JP", sans-serif; font-size: 9pt; line-height: 1.35; color: #1a1f36; margin: 0; }
.header, .details, .fact, .total { display: flex; justify-content: space-between; }
.header { margin-bottom: 28pt; } .details { margin-bottom: 24pt; }
.org { font-size: 12pt; font-weight: 700; } .muted { color: #687385; }
.title { font-size: 22pt; font-weight: 700; text-align: right; } .mark { border: 1.2pt solid #0e7c4a; color: #0e7c4a; font-weight: 700; padding: 3pt 8pt; float: right; }
.label { font-size: 7.5pt; font-weight: 700; color: #687385; text-transform: uppercase; }
.facts, .totals { width: 252pt; } .totals { margin: 10pt 0 0 auto; }
table { width: 100%; border-collapse: collapse; } th { text-align: left; border-bottom: 1pt solid #1a1f36; }
td { border-bottom: 0.5pt solid #dfe3e8; padding: 6pt 0; vertical-align: top; } .num { text-align: right; }
.period { color: #687385; font-size: 8pt; } .grand { font-size: 11pt; font-weight: 700; }
footer { position: fixed; bottom: 0; left: 0; right: 0; font-size: 7.5pt; color: #687385; border-top: 0.5pt solid #dfe3e8; }
`;

export function invoiceHtml(data: InvoiceDocumentData): string {
  const { format, labels } = documentContext(data);
  const total = (label: string, minor: number, grand = false) => (
    <div className={grand ? "total grand" : "total"}>
      <span>{label}</span>
      <span>{format.money(minor)}</span>
    </div>
  );
  return renderToStaticMarkup(
    <main>
      <div className="header">
        <div>
          <div className="org">{data.organization.name}</div>
          {data.organization.addressLines.map((line, i) => (
            <div key={i} className="muted">{line}</div>
          ))}
        </div>
        <div>
          <div className="title">{labels.invoice}</div>
          <div className="muted">{data.invoiceNumber}</div>
          {data.status === "open" ? null : <div className="mark">{labels.status[data.status]}</div>}
        </div>
      </div>
      <div className="details">
        <div>
          <div className="label">{labels.billTo}</div>
          <strong>{data.billTo.name}</strong>
          {data.billTo.addressLines.map((line, i) => (
            <div key={i}>{line}</div>
          ))}
          <div className="muted">{data.billTo.email}</div>
        </div>
        <div className="facts">
          <div className="fact"><span className="muted">{labels.invoiceNumber}</span><strong>{data.invoiceNumber}</strong></div>
          <div className="fact"><span className="muted">{labels.issued}</span><strong>{format.date(data.issuedAt)}</strong></div>
          {data.dueAt ? <div className="fact"><span className="muted">{labels.due}</span><strong>{format.date(data.dueAt)}</strong></div> : null}
        </div>
      </div>
      <table>
        <thead>
          <tr className="label"><th>{labels.description}</th><th className="num">{labels.quantity}</th><th className="num">{labels.unitPrice}</th><th className="num">{labels.amount}</th></tr>
        </thead>
        <tbody>
          {data.lines.map((line, i) => (
            <tr key={i}>
              <td>
                {line.description}
                {line.periodStart && line.periodEnd ? <div className="period">{format.period(line.periodStart, line.periodEnd)}</div> : null}
              </td>
              <td className="num">{format.quantity(line.quantity)}</td>
              <td className="num">{format.money(line.unitAmount)}</td>
              <td className="num">{format.money(line.amount)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="totals">
        {total(labels.subtotal, data.subtotal)}
        {data.discount ? total(labels.discount, -data.discount) : null}
        {data.tax ? total(labels.tax, data.tax) : null}
        {total(labels.total, data.total, true)}
        {total(labels.amountPaid, data.amountPaid)}
        {total(labels.amountDue, data.amountDue, true)}
      </div>
      {data.paymentMethod ? <p className="muted">{labels.paymentMethod}: {labels.card(data.paymentMethod.brand, data.paymentMethod.last4)}</p> : null}
      <footer>{data.footer}</footer>
    </main>,
  );
}

export const INVOICE_CSS = CSS;
