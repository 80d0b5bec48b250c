/** Small readers over untyped rendered objects, shared by the summarisers. */
export type Body = Record<string, unknown>;

export function get(node: unknown, ...path: string[]): unknown {
  let cur: unknown = node;
  for (const key of path) {
    if (typeof cur !== "object" || cur === null || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

export function asArray(v: unknown): Record<string, unknown>[] {
  return Array.isArray(v) ? v.filter((x): x is Record<string, unknown> => typeof x === "object" && x !== null) : [];
}

export function asMap(v: unknown): Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

export function show(v: unknown): string {
  if (v === undefined) return "(none)";
  if (v === null) return "null";
  if (typeof v === "string") return v;
  return JSON.stringify(v);
}

/** "a → b"; values that print alike but differ in type (4096 and "4096") are shown as JSON. */
export function showPair(from: unknown, to: unknown): string {
  const [a, b] = [show(from), show(to)];
  return a === b ? `${JSON.stringify(from)} → ${JSON.stringify(to)}` : `${a} → ${b}`;
}

/** The pod spec of any workload kind, or undefined. */
export function podSpec(body: Body | undefined): Body | undefined {
  if (!body) return undefined;
  const kind = body.kind;
  if (kind === "Pod") return asMapOrUndef(get(body, "spec"));
  if (kind === "CronJob") return asMapOrUndef(get(body, "spec", "jobTemplate", "spec", "template", "spec"));
  return asMapOrUndef(get(body, "spec", "template", "spec"));
}

function asMapOrUndef(v: unknown): Body | undefined {
  return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Body) : undefined;
}

/** Containers (init containers prefixed "init:") by name. */
export function containers(body: Body | undefined): Map<string, Body> {
  const spec = podSpec(body);
  const out = new Map<string, Body>();
  for (const c of asArray(spec?.initContainers)) out.set(`init:${String(c.name)}`, c);
  for (const c of asArray(spec?.containers)) out.set(String(c.name), c);
  return out;
}

/** Keys in either map, in a stable order. */
export function unionKeys(a: Iterable<string>, b: Iterable<string>): string[] {
  return [...new Set([...a, ...b])].sort();
}

/** "+a, -b, ~c" style delta of two maps, values shown through `fmt`. */
export function mapDelta(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  fmt: (key: string, from: unknown, to: unknown) => string = (k, f, t) => `${k}: ${showPair(f, t)}`,
): string[] {
  const out: string[] = [];
  for (const key of unionKeys(Object.keys(before), Object.keys(after))) {
    const has0 = key in before;
    const has1 = key in after;
    if (has0 && !has1) out.push(`-${key}`);
    else if (!has0 && has1) out.push(`+${key}=${show(after[key])}`);
    else if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) out.push(fmt(key, before[key], after[key]));
  }
  return out;
}

export function equal(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
