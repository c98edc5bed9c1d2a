/*
 * Stripe's documented test PaymentMethods (https://docs.stripe.com/testing). Passing one of these
 * ids where a PaymentMethod is expected makes a fresh `pm_…` from it, as Stripe does.
 */

export type TestOutcome =
  /** The charge succeeds. */
  | { kind: "succeed" }
  /** The charge is declined; attaching the card to a customer is declined too (Stripe's "declined" cards). */
  | { kind: "decline"; declineCode: string; message: string; declineOnAttach: boolean }
  /** 3-D Secure is required on every charge: requires_action on session, authentication_required off session. */
  | { kind: "authenticate" }
  /** An ACH debit: processing, then succeeded (or failed with `failure`) once the settlement time has passed. */
  | { kind: "bank"; failure?: { code: string; message: string } };

export interface TestCard {
  type: "card";
  brand: "visa" | "mastercard";
  last4: string;
  funding: "credit" | "debit";
  outcome: TestOutcome;
}

export interface TestBankAccount {
  type: "us_bank_account";
  last4: string;
  routingNumber: string;
  outcome: TestOutcome;
}

export type TestMethod = TestCard | TestBankAccount;

const declined = (declineCode: string, message: string, declineOnAttach = true): TestOutcome => ({
  kind: "decline",
  declineCode,
  message,
  declineOnAttach,
});

export const TEST_PAYMENT_METHODS: Readonly<Record<string, TestMethod>> = {
  pm_card_visa: { type: "card", brand: "visa", last4: "4242", funding: "credit", outcome: { kind: "succeed" } },
  pm_card_visa_debit: { type: "card", brand: "visa", last4: "5556", funding: "debit", outcome: { kind: "succeed" } },
  pm_card_mastercard: { type: "card", brand: "mastercard", last4: "4444", funding: "credit", outcome: { kind: "succeed" } },
  pm_card_chargeDeclined: { type: "card", brand: "visa", last4: "0002", funding: "credit", outcome: declined("generic_decline", "Your card was declined.") },
  pm_card_chargeDeclinedInsufficientFunds: {
    type: "card",
    brand: "visa",
    last4: "9995",
    funding: "credit",
    outcome: declined("insufficient_funds", "Your card has insufficient funds."),
  },
  /** 4000 0000 0000 0341: attaches to a customer, then every charge is declined. */
  pm_card_chargeCustomerFail: {
    type: "card",
    brand: "visa",
    last4: "0341",
    funding: "credit",
    outcome: declined("generic_decline", "Your card was declined.", false),
  },
  /** 4000 0027 6000 3184: authentication required on every transaction. */
  pm_card_authenticationRequired: { type: "card", brand: "visa", last4: "3184", funding: "credit", outcome: { kind: "authenticate" } },
  /** Stripe's ACH test account 000123456789 / routing 110000000 (docs: "pm_usBankAccount_success"). */
  pm_usBankAccount_success: { type: "us_bank_account", last4: "6789", routingNumber: "110000000", outcome: { kind: "bank" } },
  /** Account 000222222227: processing, then the debit fails with insufficient_funds. */
  pm_usBankAccount_insufficientFunds: {
    type: "us_bank_account",
    last4: "2227",
    routingNumber: "110000000",
    outcome: { kind: "bank", failure: { code: "insufficient_funds", message: "The customer's account has insufficient funds to cover this payment." } },
  },
  /** Account 000111111113: processing, then the debit fails with account_closed. */
  pm_usBankAccount_accountClosed: {
    type: "us_bank_account",
    last4: "1113",
    routingNumber: "110000000",
    outcome: { kind: "bank", failure: { code: "account_closed", message: "The customer's bank account has been closed." } },
  },
};

/** Short alias accepted for the successful US bank account. */
const ALIASES: Record<string, string> = { pm_usBankAccount: "pm_usBankAccount_success" };

export function testMethod(id: string): { token: string; method: TestMethod } | undefined {
  const token = ALIASES[id] ?? id;
  const method = Object.hasOwn(TEST_PAYMENT_METHODS, token) ? TEST_PAYMENT_METHODS[token] : undefined;
  return method ? { token, method } : undefined;
}
