/**
 * Reading resource amounts: Kubernetes quantities ("250m", "1.5", "512Mi", "1e9") and
 * Compose's byte notation ("512M", "1g", "1024kb", bytes as a number). Anything that does
 * not parse is undefined, never a guess: the estimator then says so in a note.
 */

const KUBE_QUANTITY = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:([KMGTPE]i|[numkMGTPE])|[eE]([+-]?\d+))?$/;

const SUFFIX_FACTOR: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** A Kubernetes quantity as a plain number (cores for CPU, bytes for memory and storage). */
export function parseQuantity(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) && value >= 0 ? value : undefined;
  if (typeof value !== "string") return undefined;
  const m = KUBE_QUANTITY.exec(value.trim());
  if (!m) return undefined;
  const base = Number(m[1]);
  const factor = m[2] ? SUFFIX_FACTOR[m[2]] : m[3] ? 10 ** Number(m[3]) : 1;
  const out = base * (factor ?? 1);
  return Number.isFinite(out) && out >= 0 ? out : undefined;
}

const COMPOSE_BYTES = /^(\d+(?:\.\d+)?)\s*([bkmgtp])?(?:i?b)?$/i;
const COMPOSE_FACTOR: Record<string, number> = { b: 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40, p: 2 ** 50 };

/**
 * Compose's byte values, as Docker reads them (binary multiples: "512M" is 512 MiB).
 * Plain numbers are bytes.
 */
export function parseComposeBytes(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) && value >= 0 ? value : undefined;
  if (typeof value !== "string") return undefined;
  const m = COMPOSE_BYTES.exec(value.trim());
  if (!m) return undefined;
  const unit = (m[2] ?? "b").toLowerCase();
  return Number(m[1]) * (COMPOSE_FACTOR[unit] ?? 1);
}

/** Compose `cpus`: "0.5" or 0.5. */
export function parseComposeCpus(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) && value >= 0 ? value : undefined;
  if (typeof value !== "string" || !/^\d+(?:\.\d+)?$|^\.\d+$/.test(value.trim())) return undefined;
  return Number(value.trim());
}

export const GIB = 2 ** 30;
