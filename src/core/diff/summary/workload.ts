/** Summaries of pod templates: images, replicas, resources, env, ports. */
import { asArray, asMap, containers, equal, get, mapDelta, show, unionKeys, type Body } from "./access.js";

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
    else out.push(`image ${name}: ${show(from)} → ${show(to)}`);
  }
  return out;
}

export function replicas(base: Body | undefined, head: Body | undefined): string[] {
  const from = get(base, "spec", "replicas");
  const to = get(head, "spec", "replicas");
  if (equal(from, to) || (from === undefined && to === undefined)) return [];
  if (!base || !head) return to !== undefined ? [`replicas: ${show(to)}`] : [];
  return [`replicas: ${show(from)} → ${show(to)}`];
}

export function resources(base: Body | undefined, head: Body | undefined): string[] {
  if (!base || !head) return [];
  const b = containers(base);
  const h = containers(head);
  const out: string[] = [];
  for (const name of unionKeys(b.keys(), h.keys())) {
    const rb = flatten(asMap(b.get(name)?.resources));
    const rh = flatten(asMap(h.get(name)?.resources));
    if (!b.has(name) || !h.has(name) || equal(rb, rh)) continue;
    const delta = mapDelta(rb, rh, (k, f, t) => `${k} ${show(f)} → ${show(t)}`);
    out.push(`resources ${name}: ${delta.join(", ")}`);
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
  if (!base || !head) return [];
  const b = containers(base);
  const h = containers(head);
  const out: string[] = [];
  for (const name of unionKeys(b.keys(), h.keys())) {
    if (!b.has(name) || !h.has(name)) continue;
    const eb = envMap(b.get(name));
    const eh = envMap(h.get(name));
    const delta = mapDelta(eb, eh);
    const fromDelta = envFromDelta(b.get(name), h.get(name));
    if (delta.length + fromDelta.length === 0) continue;
    out.push(`env ${name}: ${[...delta, ...fromDelta].join(", ")}`);
  }
  return out;
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
  const before = names(b);
  const after = names(h);
  return [...after.filter((x) => !before.includes(x)).map((x) => `+envFrom ${x}`), ...before.filter((x) => !after.includes(x)).map((x) => `-envFrom ${x}`)];
}

export function containerPorts(base: Body | undefined, head: Body | undefined): string[] {
  if (!base || !head) return [];
  const b = containers(base);
  const h = containers(head);
  const out: string[] = [];
  for (const name of unionKeys(b.keys(), h.keys())) {
    if (!b.has(name) || !h.has(name)) continue;
    const delta = listDelta(portList(b.get(name)), portList(h.get(name)));
    if (delta.length) out.push(`ports ${name}: ${delta.join(", ")}`);
  }
  return out;
}

function portList(c: Body | undefined): string[] {
  return asArray(c?.ports).map((p) => `${p.name ? `${String(p.name)} ` : ""}${show(p.containerPort)}/${show(p.protocol ?? "TCP")}`);
}

export function listDelta(before: string[], after: string[]): string[] {
  return [...after.filter((x) => !before.includes(x)).map((x) => `+${x}`), ...before.filter((x) => !after.includes(x)).map((x) => `-${x}`)];
}
