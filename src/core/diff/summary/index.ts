/**
 * Summary lines for a change: what people reviewing infrastructure look for first.
 * Summarisers register here; each sees both sides (either may be undefined for an
 * added or removed object) after noise removal and redaction.
 */
import { apiGroup } from "../../model/resource.js";
import type { Body } from "./access.js";
import { composeService } from "./compose.js";
import { dataKeys, labels, rbac, serviceType, servicePorts, storage } from "./objects.js";
import { containerPorts, env, images, replicas, resources } from "./workload.js";

type Summariser = (base: Body | undefined, head: Body | undefined, kind: string, group: string) => string[];

const SUMMARISERS: readonly Summariser[] = [
  (b, h, _k, g) => (g === "compose" ? [] : images(b, h)),
  (b, h, _k, g) => (g === "compose" ? [] : replicas(b, h)),
  resources,
  env,
  containerPorts,
  serviceType,
  servicePorts,
  storage,
  rbac,
  labels,
  dataKeys,
  composeService,
];

export function summarise(base: Body | undefined, head: Body | undefined, apiVersion: string, kind: string): string[] {
  const group = apiGroup(apiVersion);
  const lines: string[] = [];
  for (const s of SUMMARISERS) lines.push(...s(base, head, kind, group));
  return lines;
}
