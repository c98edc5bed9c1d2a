export { multiplyMinor, roundMinor, sumMinor } from "./money.ts";
export { computePeriodCharges, type ChargeLine, type ComputePeriodChargesInput, type PeriodCharges } from "./period-charges.ts";
export { formatInvoiceNumber, takeInvoiceNumber } from "./invoice-number.ts";
export { issuePeriodInvoice, type IssuePeriodInvoiceInput, type IssuePeriodInvoiceResult } from "./issue-invoice.ts";
