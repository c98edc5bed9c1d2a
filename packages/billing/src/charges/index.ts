export { recordRefund, type ChargeEventDeps } from "./record-refund.ts";
export { recordDispute } from "./record-dispute.ts";
