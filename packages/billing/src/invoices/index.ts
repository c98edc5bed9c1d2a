export { multiplyMinor, roundMinor, sumMinor } from "./money.ts";
export { computePeriodCharges, type ChargeLine, type ComputePeriodChargesInput, type PeriodCharges } from "./period-charges.ts";
export { formatInvoiceNumber, takeInvoiceNumber, takeInvoiceNumbers } from "./invoice-number.ts";
export {
  issuePeriodInvoice,
  planPeriodInvoice,
  writePeriodInvoices,
  type IssuePeriodInvoiceInput,
  type IssuePeriodInvoiceResult,
  type PeriodInvoicePlan,
} from "./issue-invoice.ts";
