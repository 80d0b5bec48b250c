/** Builders for cost and risk tests: resources as renderers produce them, configs from the real defaults. */
import { defaultConfig } from "../../src/config/load.js";
import type { CostConfig } from "../../src/core/cost/index.js";
import { diffTarget } from "../../src/core/diff/diff-target.js";
import type { Change } from "../../src/core/model/change.js";
import type { Resource } from "../../src/core/model/resource.js";
import type { RiskConfig } from "../../src/core/risk/index.js";

type Body = Record<string, unknown>;

export function resource(apiVersion: string, kind: string, name: string, namespace: string, body: Body = {}): Resource {
  const metadata = { name, ...(namespace ? { namespace } : {}), ...((body.metadata as Body | undefined) ?? {}) };
  return { apiVersion, kind, namespace, name, body: { apiVersion, kind, ...body, metadata } };
}

export interface ContainerSpec {
  name?: string;
  image?: string;
  requests?: Body;
  limits?: Body;
  extra?: Body;
}

export function container(c: ContainerSpec = {}): Body {
  const resources = { ...(c.requests ? { requests: c.requests } : {}), ...(c.limits ? { limits: c.limits } : {}) };
  return { name: c.name ?? "app", image: c.image ?? "registry.example/app:1.0", ...(Object.keys(resources).length ? { resources } : {}), ...(c.extra ?? {}) };
}

export function podTemplate(containers: Body[], spec: Body = {}): Body {
  return { metadata: { labels: { app: "x" } }, spec: { containers, ...spec } };
}

export function deployment(name: string, opts: { replicas?: number; containers?: Body[]; podSpec?: Body; namespace?: string; kind?: string } = {}): Resource {
  const spec: Body = { selector: { matchLabels: { app: name } }, template: podTemplate(opts.containers ?? [container()], opts.podSpec) };
  if (opts.replicas !== undefined) spec.replicas = opts.replicas;
  return resource("apps/v1", opts.kind ?? "Deployment", name, opts.namespace ?? "shop", { spec });
}

export function statefulSet(name: string, spec: Body, containers: Body[] = [container()]): Resource {
  return resource("apps/v1", "StatefulSet", name, "data", { spec: { serviceName: name, selector: { matchLabels: { app: name } }, template: podTemplate(containers), ...spec } });
}

export function hpa(target: string, min: number | undefined, max: number, namespace = "shop"): Resource {
  return resource("autoscaling/v2", "HorizontalPodAutoscaler", target, namespace, {
    spec: { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: target }, ...(min !== undefined ? { minReplicas: min } : {}), maxReplicas: max },
  });
}

export function service(name: string, type?: string, namespace = "shop"): Resource {
  return resource("v1", "Service", name, namespace, { spec: { ...(type ? { type } : {}), selector: { app: name }, ports: [{ port: 80 }] } });
}

export function pvc(name: string, storage: string, storageClassName?: string, namespace = "data"): Resource {
  return resource("v1", "PersistentVolumeClaim", name, namespace, {
    spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage } }, ...(storageClassName ? { storageClassName } : {}) },
  });
}

export function composeService(name: string, body: Body): Resource {
  return { apiVersion: "compose/v1", kind: "Service", namespace: "", name, body: { image: "redis:7", ...body } };
}

/** Round numbers that make hand arithmetic easy. */
export function costConfig(overrides: Partial<CostConfig> = {}): CostConfig {
  const base = defaultConfig({ cpus: 1 }).cost;
  return {
    ...base,
    prices: { cpuCoreHour: 0.04, memoryGiBHour: 0.005, storageGiBMonth: { default: 0.1, gp3: 0.08 }, loadBalancerHour: 0.025 },
    ...overrides,
  };
}

/** The real defaults, without the production raise unless asked for. */
export function riskConfig(overrides: Partial<RiskConfig> = {}): RiskConfig {
  return { ...defaultConfig({ cpus: 1 }).risk, environments: [], ...overrides };
}

/** The changes the pipeline would list for one target. */
export function changesOf(target: string, base: readonly Resource[], head: readonly Resource[]): Change[] {
  return diffTarget(target, base, head, (b) => b);
}
