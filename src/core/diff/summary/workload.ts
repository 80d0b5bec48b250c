/** Summaries of pod templates: images, replicas, resources, env, ports. */
import { asArray, asMap, containers, equal, get, mapDelta, show, showPair, type Body, unionKeys } from "./access.js";

export function images(base: Body | undefined, head: Body | undefined): string[] {
  const b = containers(base);
  const h = containers(head);
  const out: string[] = [];
  for (const name of unionKeys(b.keys(), h.keys())) {
    const from = b.get(name)?.image;
    const to = h.get(name)?.image;
    if (from === to) continue;
    if (from === undefined) out.push(`container ${name} added: image ${show(to)}`);
    else if (to === undefined) out.push(`container ${name} removed (image ${show(from)})`);
    else out.push(`image ${name}: ${showPair(from, to)}`);
  }
  return out;
}

export function replicas(base: Body | undefined, head: Body | undefined): string[] {
  const from = get(base, "spec", "replicas");
  const to = get(head, "spec", "replicas");
  if (equal(from, to) || (from === undefined && to === undefined)) return [];
  if (!base || !head) return to !== undefined ? [`replicas: ${show(to)}`] : [];
  return [`replicas: ${showPair(from, to)}`];
}

export function resources(base: Body | undefined, head: Body | undefined): string[] {
  return perSharedContainer(base, head, (name, b, h) => {
    const delta = mapDelta(flatten(asMap(b.resources)), flatten(asMap(h.resources)), (k, f, t) => `${k} ${showPair(f, t)}`);
    return delta.length ? `resources ${name}: ${delta.join(", ")}` : undefined;
  });
}

/**
 * Runs `describe` for each container present on both sides; containers added or removed
 * are reported by `images`.
 */
export function perSharedContainer(
  base: Body | undefined,
  head: Body | undefined,
  describe: (name: string, b: Body, h: Body) => string | undefined,
): string[] {
  if (!base || !head) return [];
  const b = containers(base);
  const h = containers(head);
  const out: string[] = [];
  for (const name of unionKeys(b.keys(), h.keys())) {
    const cb = b.get(name);
    const ch = h.get(name);
    if (!cb || !ch) continue;
    const line = describe(name, cb, ch);
    if (line) out.push(line);
  }
  return out;
}

function flatten(res: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const group of ["requests", "limits"]) {
    for (const [k, v] of Object.entries(asMap(res[group]))) out[`${group}.${k}`] = v;
  }
  return out;
}

export function env(base: Body | undefined, head: Body | undefined): string[] {
  return perSharedContainer(base, head, (name, b, h) => {
    const delta = [...mapDelta(envMap(b), envMap(h)), ...envFromDelta(b, h)];
    return delta.length ? `env ${name}: ${delta.join(", ")}` : undefined;
  });
}

function envMap(container: Body | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const e of asArray(container?.env)) {
    if (typeof e.name !== "string") continue;
    out[e.name] = e.value !== undefined ? e.value : e.valueFrom !== undefined ? describeValueFrom(e.valueFrom) : "";
  }
  return out;
}

function describeValueFrom(v: unknown): string {
  const m = asMap(v);
  const [kind] = Object.keys(m);
  if (!kind) return "(valueFrom)";
  const ref = asMap(m[kind]);
  return `(from ${kind} ${[ref.name, ref.key ?? ref.fieldPath ?? ref.resource].filter(Boolean).join("/")})`;
}

function envFromDelta(b: Body | undefined, h: Body | undefined): string[] {
  const names = (c: Body | undefined) =>
    asArray(c?.envFrom).map((e) => {
      const ref = asMap(e.configMapRef ?? e.secretRef);
      return `${e.configMapRef ? "configMap" : "secret"} ${show(ref.name)}`;
    });
  return listDelta(names(b), names(h)).map((d) => `${d[0]}envFrom ${d.slice(1)}`);
}

export function containerPorts(base: Body | undefined, head: Body | undefined): string[] {
  return perSharedContainer(base, head, (name, b, h) => {
    const delta = listDelta(portList(b), portList(h));
    return delta.length ? `ports ${name}: ${delta.join(", ")}` : undefined;
  });
}

function portList(c: Body | undefined): string[] {
  return asArray(c?.ports).map((p) => `${p.name ? `${String(p.name)} ` : ""}${show(p.containerPort)}/${show(p.protocol ?? "TCP")}`);
}

export function listDelta(before: string[], after: string[]): string[] {
  return [...after.filter((x) => !before.includes(x)).map((x) => `+${x}`), ...before.filter((x) => !after.includes(x)).map((x) => `-${x}`)];
}
