/** Summaries of Compose services: image, ports, environment, volumes, resources, healthcheck. */
import { asArray, asMap, equal, get, mapDelta, show, type Body } from "./access.js";
import { listDelta } from "./workload.js";

export function composeService(base: Body | undefined, head: Body | undefined, kind: string, group: string): string[] {
  if (group !== "compose" || kind !== "Service") return [];
  const out: string[] = [];
  const image = (b: Body | undefined) => b?.image;
  if (!base) {
    if (head?.image !== undefined) out.push(`image: ${show(head.image)}`);
    return out;
  }
  if (!head) return out;
  if (!equal(image(base), image(head))) out.push(`image: ${show(image(base))} → ${show(image(head))}`);
  const ports = (b: Body) => asArray(b.ports).map((p) => `${p.host_ip ? `${show(p.host_ip)}:` : ""}${show(p.published ?? "")}:${show(p.target)}/${show(p.protocol ?? "tcp")}`);
  const pd = listDelta(ports(base), ports(head));
  if (pd.length) out.push(`ports: ${pd.join(", ")}`);
  const ed = mapDelta(asMap(base.environment), asMap(head.environment));
  if (ed.length) out.push(`environment: ${ed.join(", ")}`);
  const vols = (b: Body) => asArray(b.volumes).map((v) => `${show(v.source ?? "")}:${show(v.target)}${v.read_only ? ":ro" : ""}`);
  const vd = listDelta(vols(base), vols(head));
  if (vd.length) out.push(`volumes: ${vd.join(", ")}`);
  const res = (b: Body) => asMap(get(b, "deploy", "resources"));
  if (!equal(res(base), res(head))) out.push(`deploy resources: ${describeResources(res(base))} → ${describeResources(res(head))}`);
  const replicas = (b: Body) => get(b, "deploy", "replicas");
  if (!equal(replicas(base), replicas(head))) out.push(`replicas: ${show(replicas(base))} → ${show(replicas(head))}`);
  if (!equal(base.healthcheck, head.healthcheck)) out.push(base.healthcheck === undefined ? "healthcheck added" : head.healthcheck === undefined ? "healthcheck removed" : "healthcheck changed");
  const deps = (b: Body) => Object.keys(asMap(b.depends_on)).sort();
  const dd = listDelta(deps(base), deps(head));
  if (dd.length) out.push(`depends_on: ${dd.join(", ")}`);
  if (!equal(base.command, head.command)) out.push(`command: ${show(base.command)} → ${show(head.command)}`);
  return out;
}

function describeResources(r: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const group of ["reservations", "limits"]) {
    const g = asMap(r[group]);
    const items = Object.entries(g)
      .filter(([, v]) => typeof v !== "object")
      .map(([k, v]) => `${k} ${show(v)}`);
    if (items.length) parts.push(`${group} ${items.join(" ")}`);
  }
  return parts.length ? parts.join("; ") : "(none)";
}
