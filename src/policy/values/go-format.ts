/**
 * How Go prints JSON values with fmt.Sprint, which Kyverno's set operators (AnyIn, AllNotIn...)
 * use to turn keys and values into strings before comparing them.
 */
export function goSprint(v: unknown): string {
  if (v === null || v === undefined) return "<nil>";
  if (typeof v === "string") return v;
  if (typeof v === "number") return goFloat(v);
  if (typeof v === "boolean") return v ? "true" : "false";
  if (Array.isArray(v)) return `[${v.map(goSprint).join(" ")}]`;
  if (typeof v === "object") {
    const entries = Object.keys(v)
      .sort()
      .map((k) => `${k}:${goSprint((v as Record<string, unknown>)[k])}`);
    return `map[${entries.join(" ")}]`;
  }
  return String(v);
}

/** %v of a number: integers as integers (Kubernetes decodes them as int64), floats shortest. */
export function goFloat(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return n.toFixed(0);
  return String(n).replace(/e([+-])(\d)$/, "e$10$2");
}

/** strconv.FormatFloat(v, 'E', -1, 64), used when a float is compared as a string in patterns. */
export function goFloatE(n: number): string {
  const [mant = "0", exp = "0"] = n.toExponential().toUpperCase().split("E");
  const e = Number.parseInt(exp, 10);
  const sign = e < 0 ? "-" : "+";
  return `${mant}E${sign}${String(Math.abs(e)).padStart(2, "0")}`;
}

/** %f, used when a float is turned into a quantity string. */
export function goFixed(n: number): string {
  return n.toFixed(6);
}
