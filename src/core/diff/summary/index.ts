/**
 * Summary lines for a change: what people reviewing infrastructure look for first.
 * Summarisers register here; each sees both sides (either may be undefined for an
 * added or removed object) after noise removal and redaction, and declares the fields it
 * speaks for. For a modified object every changed field no summariser covers is described
 * by the generic summary, so no modification goes without a line saying what changed.
 */
import { apiGroup } from "../../model/resource.js";
import type { Body } from "./access.js";
import { composeService } from "./compose.js";
import { fieldChanges, type Path } from "./fields.js";
import { genericLines, relevantFields } from "./generic.js";
import { annotations, autoscalerBounds, podLabels } from "./meta.js";
import { dataKeys, labels, rbac, serviceType, servicePorts, storage } from "./objects.js";
import { containerField, covers, isWholeContainer, podMetadataPrefix, podPrefix, type Pattern } from "./paths.js";
import { argsAndCommand, probes, scheduling, serviceAccount } from "./pod.js";
import { containerPorts, env, images, replicas, resources } from "./workload.js";

type Summarise = (base: Body | undefined, head: Body | undefined, kind: string, group: string) => string[];

interface Summariser {
  summarise: Summarise;
  /** The fields whose every change this summariser reports, for this kind. */
  covers: (kind: string, group: string, path: Path) => boolean;
}

const k8s = (patterns: (kind: string) => Pattern[]) => (kind: string, group: string, path: Path) =>
  group !== "compose" && patterns(kind).some((p) => covers(p, path));
const ofKinds = (kinds: readonly string[], patterns: Pattern[]) => (kind: string, group: string, path: Path) =>
  group !== "compose" && kinds.includes(kind) && patterns.some((p) => covers(p, path));
const COMPOSE_FIELDS: Pattern[] = [["image"], ["ports"], ["environment"], ["volumes"], ["deploy", "resources"], ["deploy", "replicas"], ["healthcheck"], ["depends_on"], ["command"]];

const SUMMARISERS: readonly Summariser[] = [
  {
    summarise: (b, h, _k, g) => (g === "compose" ? [] : images(b, h)),
    covers: (kind, group, path) => group !== "compose" && (isWholeContainer(kind, path) || containerField(kind, "image").some((p) => covers(p, path))),
  },
  { summarise: (b, h, _k, g) => (g === "compose" ? [] : replicas(b, h)), covers: k8s(() => [["spec", "replicas"]]) },
  { summarise: resources, covers: k8s((kind) => containerField(kind, "resources")) },
  { summarise: env, covers: k8s((kind) => [...containerField(kind, "env"), ...containerField(kind, "envFrom")]) },
  { summarise: containerPorts, covers: k8s((kind) => containerField(kind, "ports")) },
  { summarise: argsAndCommand, covers: k8s((kind) => [...containerField(kind, "args"), ...containerField(kind, "command")]) },
  {
    summarise: probes,
    covers: k8s((kind) => ["livenessProbe", "readinessProbe", "startupProbe"].flatMap((f) => containerField(kind, f))),
  },
  {
    summarise: scheduling,
    covers: k8s((kind) => ["nodeSelector", "tolerations", "affinity"].map((f) => [...podPrefix(kind), f])),
  },
  { summarise: serviceAccount, covers: k8s((kind) => ["serviceAccountName", "serviceAccount"].map((f) => [...podPrefix(kind), f])) },
  { summarise: autoscalerBounds, covers: ofKinds(["HorizontalPodAutoscaler"], [["spec", "minReplicas"], ["spec", "maxReplicas"]]) },
  { summarise: serviceType, covers: ofKinds(["Service"], [["spec", "type"]]) },
  { summarise: servicePorts, covers: ofKinds(["Service"], [["spec", "ports"]]) },
  {
    summarise: storage,
    covers: (kind, group, path) =>
      group !== "compose" &&
      (covers(["spec", "volumeClaimTemplates"], path) || (kind === "PersistentVolumeClaim" && covers(["spec", "resources", "requests", "storage"], path))),
  },
  { summarise: rbac, covers: ofKinds(["Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"], [["rules"], ["roleRef"], ["subjects"]]) },
  {
    summarise: labels,
    covers: (kind, group, path) =>
      group !== "compose" &&
      (covers(["metadata", "labels"], path) || covers(["spec", "selector", "matchLabels"], path) || (kind === "Service" && covers(["spec", "selector"], path))),
  },
  {
    summarise: annotations,
    covers: k8s((kind) => {
      const pod = podMetadataPrefix(kind);
      return [["metadata", "annotations"], ...(pod ? [[...pod, "annotations"]] : [])];
    }),
  },
  {
    summarise: podLabels,
    covers: k8s((kind) => {
      const pod = podMetadataPrefix(kind);
      return pod ? [[...pod, "labels"]] : [];
    }),
  },
  { summarise: dataKeys, covers: ofKinds(["ConfigMap", "Secret"], [["data"], ["stringData"], ["binaryData"]]) },
  {
    summarise: composeService,
    covers: (kind, group, path) => group === "compose" && kind === "Service" && COMPOSE_FIELDS.some((p) => covers(p, path)),
  },
];

export function summarise(base: Body | undefined, head: Body | undefined, apiVersion: string, kind: string): string[] {
  const group = apiGroup(apiVersion);
  const lines: string[] = [];
  for (const s of SUMMARISERS) lines.push(...s.summarise(base, head, kind, group));
  if (!base || !head) return lines;
  const changed = relevantFields(fieldChanges(base, head), apiVersion, kind);
  const uncovered = changed.filter((c) => !SUMMARISERS.some((s) => s.covers(kind, group, c.path)));
  // A dedicated summariser that covers a field but found nothing to say about it would
  // leave the change bare: then the generic summary describes everything.
  return [...lines, ...genericLines(lines.length === 0 ? changed : uncovered)];
}
