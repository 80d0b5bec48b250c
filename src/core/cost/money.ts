/**
 * Money is kept in whole cents once a resource's estimate is known, so totals are exact
 * sums of the figures shown and never drift by a cent through floating point.
 */
export function toCents(amount: number): number {
  // toPrecision first: 1.005 * 100 is 100.49999999999999 in binary floating point.
  return Math.round(Number((amount * 100).toPrecision(12)));
}

export function fromCents(cents: number): number {
  return cents / 100;
}
