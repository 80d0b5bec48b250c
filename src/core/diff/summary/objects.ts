/** Summaries of non-workload objects: Services, storage, RBAC, labels, data keys. */
import { asArray, asMap, equal, get, mapDelta, show, showPair, type Body } from "./access.js";
import { listDelta } from "./workload.js";

export function serviceType(base: Body | undefined, head: Body | undefined): string[] {
  if (head?.kind !== "Service" || !base) return [];
  const from = get(base, "spec", "type") ?? "ClusterIP";
  const to = get(head, "spec", "type") ?? "ClusterIP";
  return from === to ? [] : [`Service type: ${showPair(from, to)}`];
}

export function servicePorts(base: Body | undefined, head: Body | undefined): string[] {
  if (head?.kind !== "Service" || !base) return [];
  const list = (b: Body) =>
    asArray(get(b, "spec", "ports")).map(
      (p) => `${show(p.port)}→${show(p.targetPort ?? p.port)}/${show(p.protocol ?? "TCP")}${p.nodePort ? ` nodePort ${show(p.nodePort)}` : ""}`,
    );
  const delta = listDelta(list(base), list(head));
  return delta.length ? [`Service ports: ${delta.join(", ")}`] : [];
}

export function storage(base: Body | undefined, head: Body | undefined): string[] {
  const out: string[] = [];
  if (head?.kind === "PersistentVolumeClaim") {
    const from = get(base, "spec", "resources", "requests", "storage");
    const to = get(head, "spec", "resources", "requests", "storage");
    if (!equal(from, to)) out.push(base ? `storage: ${showPair(from, to)}` : `storage: ${show(to)}`);
  }
  const templates = (b: Body | undefined) =>
    new Map(asArray(get(b, "spec", "volumeClaimTemplates")).map((t) => [show(get(t, "metadata", "name")), t]));
  const tb = templates(base);
  const th = templates(head);
  for (const [name, t] of th) {
    const to = get(t, "spec", "resources", "requests", "storage");
    const from = get(tb.get(name), "spec", "resources", "requests", "storage");
    if (!base) out.push(`volumeClaimTemplate ${name}: ${show(to)}`);
    else if (!tb.has(name)) out.push(`volumeClaimTemplate ${name} added: ${show(to)}`);
    else if (!equal(from, to)) out.push(`volumeClaimTemplate ${name} storage: ${showPair(from, to)}`);
    else if (!equal(tb.get(name), t)) out.push(`volumeClaimTemplate ${name} changed`);
  }
  for (const name of tb.keys()) if (head && !th.has(name)) out.push(`volumeClaimTemplate ${name} removed`);
  return out;
}

const RBAC_ROLES = new Set(["Role", "ClusterRole"]);
const RBAC_BINDINGS = new Set(["RoleBinding", "ClusterRoleBinding"]);

export function rbac(base: Body | undefined, head: Body | undefined): string[] {
  const kind = (head ?? base)?.kind;
  if (typeof kind !== "string") return [];
  if (RBAC_ROLES.has(kind)) {
    const delta = listDelta(ruleList(base), ruleList(head));
    return delta.length ? [`rules: ${delta.join("; ")}`] : [];
  }
  if (RBAC_BINDINGS.has(kind)) {
    const out: string[] = [];
    const rb = get(base, "roleRef");
    const rh = get(head, "roleRef");
    if (base && head && !equal(rb, rh)) out.push(`roleRef: ${roleRef(rb)} → ${roleRef(rh)}`);
    if (!base && head) out.push(`roleRef: ${roleRef(rh)}`);
    const delta = listDelta(subjects(base), subjects(head));
    if (delta.length) out.push(`subjects: ${delta.join(", ")}`);
    return out;
  }
  return [];
}

function ruleList(b: Body | undefined): string[] {
  if (!b) return [];
  return asArray(b.rules).map((r) => {
    const verbs = asArray2(r.verbs).join(",");
    const what = r.nonResourceURLs ? asArray2(r.nonResourceURLs).join(",") : asArray2(r.resources).join(",");
    const groups = asArray2(r.apiGroups).map((g) => (g === "" ? "core" : g)).join(",");
    const names = r.resourceNames ? ` names ${asArray2(r.resourceNames).join(",")}` : "";
    return `[${verbs}] on ${what}${groups ? ` (${groups})` : ""}${names}`;
  });
}

function asArray2(v: unknown): string[] {
  return Array.isArray(v) ? v.map((x) => String(x)) : [];
}

function roleRef(v: unknown): string {
  const m = asMap(v);
  return `${show(m.kind)}/${show(m.name)}`;
}

function subjects(b: Body | undefined): string[] {
  return asArray(b?.subjects).map((s) => `${show(s.kind)} ${s.namespace ? `${show(s.namespace)}/` : ""}${show(s.name)}`);
}

export function labels(base: Body | undefined, head: Body | undefined): string[] {
  if (!base || !head) return [];
  const out: string[] = [];
  const l = mapDelta(asMap(get(base, "metadata", "labels")), asMap(get(head, "metadata", "labels")));
  if (l.length) out.push(`labels: ${l.join(", ")}`);
  const sb = selectorOf(base);
  const sh = selectorOf(head);
  if (!equal(sb, sh)) out.push(`selector: ${mapDelta(sb, sh).join(", ")}`);
  return out;
}

function selectorOf(b: Body): Record<string, unknown> {
  const sel = get(b, "spec", "selector");
  const match = get(sel, "matchLabels");
  return asMap(match ?? (b.kind === "Service" ? sel : undefined));
}

/** ConfigMap and Secret keys. Values are never shown: Secrets are redacted upstream anyway. */
export function dataKeys(base: Body | undefined, head: Body | undefined): string[] {
  const kind = (head ?? base)?.kind;
  if (kind !== "ConfigMap" && kind !== "Secret") return [];
  const keys = (b: Body | undefined) => ({ ...asMap(b?.data), ...asMap(b?.stringData), ...asMap(b?.binaryData) });
  const kb = keys(base);
  const kh = keys(head);
  const added = Object.keys(kh).filter((k) => !(k in kb));
  const removed = Object.keys(kb).filter((k) => !(k in kh));
  const changed = Object.keys(kh).filter((k) => k in kb && !equal(kb[k], kh[k]));
  if (!base) return added.length ? [`data keys: ${added.sort().join(", ")}`] : [];
  if (!head) return [];
  const parts = [...added.sort().map((k) => `+${k}`), ...changed.sort().map((k) => `~${k}`), ...removed.sort().map((k) => `-${k}`)];
  return parts.length ? [`data keys: ${parts.join(", ")}`] : [];
}
