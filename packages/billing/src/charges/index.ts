export { recordRefund } from "./record-refund.ts";
export { recordDispute } from "./record-dispute.ts";
