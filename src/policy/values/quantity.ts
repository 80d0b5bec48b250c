/**
 * Kubernetes resource quantities ("500m", "1.5Gi", "2e3"), parsed exactly: the value is kept
 * as an integer mantissa times a power of ten (binary suffixes multiply the mantissa), so
 * "1Gi" == "1073741824" and "0.1" == "100m" compare equal as `resource.Quantity.Cmp` does.
 */
export interface Quantity {
  mantissa: bigint;
  exp10: number;
  /** Which family of suffix the value was written in, for formatting results of arithmetic. */
  format: "binary" | "decimal";
}

const BINARY: Record<string, bigint> = { Ki: 1n << 10n, Mi: 1n << 20n, Gi: 1n << 30n, Ti: 1n << 40n, Pi: 1n << 50n, Ei: 1n << 60n };
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, "": 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const SHAPE = /^([+-]?)(\d*)(?:\.(\d*))?([a-zA-Z]*)([+-]?\d*)$/;
/**
 * Bounds on what is read as a quantity, far beyond any real one: comparing scales one side by
 * a power of ten, and "1e300000000" (a resource value in the pull request) made that a number
 * of a billion bits, minutes of work. Beyond them the text is not a quantity (the comparison
 * fails, as for any other non-quantity).
 */
const MAX_DIGITS = 1000;
const MAX_EXPONENT = 1000;

export function parseQuantity(text: string): Quantity | undefined {
  const m = SHAPE.exec(text);
  if (!m) return undefined;
  const [, sign, whole = "", frac = "", suffixLetters = "", expDigits = ""] = m;
  if (whole === "" && frac === "") return undefined;
  if (whole.length + frac.length > MAX_DIGITS || expDigits.length > 8) return undefined;
  let exp10 = -frac.length;
  let mantissa = BigInt((whole || "0") + frac);
  let format: Quantity["format"] = "decimal";
  if (suffixLetters === "e" || suffixLetters === "E") {
    if (expDigits === "" || expDigits === "+" || expDigits === "-") {
      if (suffixLetters === "E" && expDigits === "") exp10 += 18;
      else return undefined;
    } else {
      exp10 += Number.parseInt(expDigits, 10);
    }
  } else {
    if (expDigits !== "") return undefined;
    const bin = BINARY[suffixLetters];
    if (bin !== undefined) {
      mantissa *= bin;
      format = "binary";
    } else {
      const dec = DECIMAL[suffixLetters];
      if (dec === undefined) return undefined;
      exp10 += dec;
    }
  }
  if (Math.abs(exp10) > MAX_EXPONENT) return undefined;
  if (sign === "-") mantissa = -mantissa;
  return { mantissa, exp10, format };
}

export function compareQuantities(a: Quantity, b: Quantity): number {
  const e = Math.min(a.exp10, b.exp10);
  const x = a.mantissa * 10n ** BigInt(a.exp10 - e);
  const y = b.mantissa * 10n ** BigInt(b.exp10 - e);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function quantityToNumber(q: Quantity): number {
  return Number(q.mantissa) * 10 ** q.exp10;
}

export function quantityFromNumber(n: number, format: Quantity["format"]): Quantity {
  const text = Number.isInteger(n) ? n.toFixed(0) : n.toPrecision(15);
  const parsed = parseQuantity(text.includes("e") ? n.toFixed(9) : text);
  return { ...(parsed ?? { mantissa: 0n, exp10: 0 }), format };
}

/** A canonical string like Kubernetes prints: the largest suffix that keeps an integer. */
export function formatQuantity(q: Quantity): string {
  let { mantissa, exp10 } = q;
  if (mantissa === 0n) return "0";
  while (mantissa % 10n === 0n) {
    mantissa /= 10n;
    exp10++;
  }
  if (q.format === "binary" && exp10 >= 0) {
    let value = mantissa * 10n ** BigInt(exp10);
    for (const [suffix, factor] of Object.entries(BINARY).reverse()) {
      if (value % factor === 0n) return `${value / factor}${suffix}`;
    }
    return `${value}`;
  }
  const shift = ((exp10 % 3) + 3) % 3;
  let suffixExp = exp10 - shift;
  let digits = mantissa * 10n ** BigInt(shift);
  if (suffixExp < -9) {
    // Kubernetes rounds sub-nano values up to whole nanos.
    const scale = 10n ** BigInt(-9 - suffixExp);
    digits = (digits + scale - 1n) / scale;
    suffixExp = -9;
  }
  if (suffixExp > 18) {
    digits *= 10n ** BigInt(suffixExp - 18);
    suffixExp = 18;
  }
  const suffix = Object.entries(DECIMAL).find(([, e]) => e === suffixExp)?.[0] ?? "";
  return `${digits}${suffix}`;
}
