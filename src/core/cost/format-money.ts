/**
 * Amounts as people read them: "$1,234.50", "+€12.00", "1,234.50 CHF". Locale-free on
 * purpose, so reports do not depend on the machine that made them.
 */
const SYMBOLS: Record<string, string> = { USD: "$", EUR: "€", GBP: "£", JPY: "¥", INR: "₹" };

export function formatMoney(amount: number, currency: string): string {
  const negative = amount < 0;
  const text = groupThousands(Math.abs(amount).toFixed(2));
  const symbol = SYMBOLS[currency];
  const body = symbol ? `${symbol}${text}` : `${text} ${currency}`;
  return negative ? `-${body}` : body;
}

/** With an explicit sign for increases; zero has none. */
export function formatSignedMoney(amount: number, currency: string): string {
  return amount > 0 ? `+${formatMoney(amount, currency)}` : formatMoney(amount, currency);
}

export function formatPercent(percent: number | null): string | undefined {
  if (percent === null) return undefined;
  const sign = percent > 0 ? "+" : "";
  return `${sign}${percent.toFixed(1)} %`;
}

function groupThousands(fixed: string): string {
  const [whole = "0", cents = "00"] = fixed.split(".");
  return `${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}.${cents}`;
}
