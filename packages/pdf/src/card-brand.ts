/** Stripe's card brand codes as a customer reads them; an unknown one is shown capitalised. */
const BRANDS: Record<string, string> = {
  amex: "American Express",
  cartes_bancaires: "Cartes Bancaires",
  diners: "Diners Club",
  discover: "Discover",
  eftpos_au: "eftpos",
  jcb: "JCB",
  mastercard: "Mastercard",
  unionpay: "UnionPay",
  visa: "Visa",
};

export function cardBrandName(code: string): string {
  return BRANDS[code.toLowerCase()] ?? code.charAt(0).toUpperCase() + code.slice(1);
}
