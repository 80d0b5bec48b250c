/**
 * Values as Go templates see them: what is true, how a value prints (%v), what a missing key
 * is, and the conversions the functions share. TemplateError is every template failure.
 */
export class TemplateError extends Error {
  constructor(
    message: string,
    /** True when the template is valid Go but uses what Shipshape does not evaluate. */
    readonly unsupported = false,
  ) {
    super(message);
  }
}

/** What a missing map key evaluates to (printed `<no value>`). */
export const NO_VALUE = Symbol("no value");

/** The longest text one function may make (the template's output limit bounds the rest). */
export const MAX_TEXT = 256 * 1024;

export function truthy(v: unknown): boolean {
  if (v === NO_VALUE || v === null || v === undefined || v === false || v === 0 || v === "") return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === "object") return Object.keys(v as object).length > 0;
  return true;
}

/** As Go's fmt prints a value with %v. */
export function print(v: unknown): string {
  if (v === NO_VALUE || v === undefined) return "<no value>";
  if (v === null) return "<nil>";
  if (typeof v === "string") return v;
  if (Array.isArray(v)) return `[${v.map(print).join(" ")}]`;
  if (typeof v === "object") {
    const entries = Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `map[${entries.map(([k, x]) => `${k}:${print(x)}`).join(" ")}]`;
  }
  return String(v);
}

export const text = (v: unknown) => (typeof v === "string" ? v : v === NO_VALUE || v === null ? "" : print(v));
export const bounded = (s: string) => {
  if (s.length > MAX_TEXT) throw new TemplateError(`a template function made more than ${MAX_TEXT} characters`, true);
  return s;
};
export const plain = (v: unknown) => (v === NO_VALUE ? null : v);
export const record = (v: unknown): Record<string, unknown> | undefined => (v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);
export const list = (v: unknown): unknown[] => {
  if (Array.isArray(v)) return v;
  if (v === NO_VALUE || v === null || v === undefined) return [];
  throw new TemplateError(`cannot use ${print(v)} as a list`);
};
export const num = (v: unknown): number => {
  if (typeof v === "number") return v;
  if (typeof v === "boolean") return v ? 1 : 0;
  const n = Number(text(v));
  return Number.isFinite(n) ? n : 0;
};
export const int = (v: unknown) => Math.trunc(num(v));

/** Argo CD's `normalize`: what a Kubernetes name may hold. */
export function sanitizeName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^-a-z0-9.]/g, "-")
    .slice(0, 253)
    .replace(/^[-.]+|[-.]+$/g, "");
}

