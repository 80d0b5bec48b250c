/**
 * Resource quantities from repository text, compared by the policy engine (issue 11, quantity
 * parsing): comparing scales one side by a power of ten, so "1e300000000" in a pull request's
 * memory limit meant a number of a billion bits. Quantities beyond any real one are not read
 * as quantities: the comparison fails quickly, as for any other text.
 */
import { describe, expect, it } from "vitest";
import { validateValue } from "../../src/policy/pattern/value.js";
import { compareQuantities, parseQuantity } from "../../src/policy/values/quantity.js";

function timed<T>(run: () => T): { value: T; ms: number } {
  const start = performance.now();
  const value = run();
  return { value, ms: performance.now() - start };
}

describe("quantities in policy comparisons", () => {
  it.each(["1e300000000", "1e-300000000", `1${"0".repeat(100_000)}`, `0.${"0".repeat(100_000)}1`, "1e99999999999999999999"])(
    "%s fails a `<=1Gi` pattern at once instead of computing its power of ten",
    (value) => {
      const { value: ok, ms } = timed(() => validateValue(value, "<=1Gi"));
      expect(ok).toBe(false);
      expect(ms).toBeLessThan(200);
    },
  );

  it("still reads and compares real quantities, large and small", () => {
    expect(compareQuantities(parseQuantity("1Gi")!, parseQuantity("1073741824")!)).toBe(0);
    expect(compareQuantities(parseQuantity("1e18")!, parseQuantity("1E")!)).toBe(0);
    expect(compareQuantities(parseQuantity("100m")!, parseQuantity("0.1")!)).toBe(0);
    expect(parseQuantity("1e1000")).toBeDefined();
    expect(parseQuantity("1e1001")).toBeUndefined();
  });
});
