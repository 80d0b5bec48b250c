/** Small building blocks for the corpus's repositories. */
import type { Report } from "../../../../src/core/model/report.js";
import type { FileMap } from "../harness/files.js";

export const CRB = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: everyone-is-admin
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: cluster-admin
subjects:
- apiGroup: rbac.authorization.k8s.io
  kind: Group
  name: system:authenticated
`;

export function configMap(name: string, data: Record<string, string>, annotations?: Record<string, string>): string {
  const lines = [`apiVersion: v1`, `kind: ConfigMap`, `metadata:`, `  name: ${name}`];
  if (annotations) {
    lines.push(`  annotations:`);
    for (const [k, v] of Object.entries(annotations)) lines.push(`    ${k}: ${JSON.stringify(v)}`);
  }
  lines.push(`data:`);
  for (const [k, v] of Object.entries(data)) lines.push(`  ${k}: ${JSON.stringify(v)}`);
  return `${lines.join("\n")}\n`;
}

/** A ConfigMap whose data lines are written as given (helm templates with quotes in them). */
export function rawConfigMap(name: string, dataLines: string[]): string {
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n${dataLines.map((l) => `  ${l}\n`).join("")}`;
}

/** A Deployment with one container; `extra` is YAML indented to sit under the container. */
export function deployment(name: string, containerExtra = "", podExtra = ""): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels: {app.kubernetes.io/name: ${name}}
spec:
  replicas: 1
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}, app.kubernetes.io/name: ${name}}
    spec:
${podExtra}      containers:
      - name: app
        image: nginx:1.27.0
        resources:
          requests: {cpu: 10m, memory: 16Mi}
          limits: {cpu: 100m, memory: 64Mi}
${containerExtra}`;
}

/** A chart folder: Chart.yaml with `name`, the given templates and values. */
export function chart(dir: string, name: string, templates: Record<string, string>, values = "{}\n", extra: FileMap = {}): FileMap {
  const files: FileMap = {
    [`${dir}/Chart.yaml`]: `apiVersion: v2\nname: ${JSON.stringify(name)}\nversion: 0.1.0\n`,
    [`${dir}/values.yaml`]: values,
  };
  for (const [file, text] of Object.entries(templates)) files[`${dir}/templates/${file}`] = text;
  for (const [file, entry] of Object.entries(extra)) files[`${dir}/${file}`] = entry;
  return files;
}

/**
 * `hidden` for YAML tricks that Kubernetes reads as privileged: the report must say so through a
 * policy finding or a risk reason, as it would for the plain spelling. With `invalidIsLoud`, a
 * document Kubernetes would refuse too may instead be an input error.
 */
export function flagsPrivileged(invalidIsLoud = false): (report: Report) => string | undefined {
  return (report) => {
    const policy = report.findings.some((f) => f.introduced && /privileged|host/i.test(f.ruleId));
    const risk = report.risk?.reasons.some((r) => /privileged|host/i.test(r.ruleId)) ?? false;
    const invalid = invalidIsLoud && report.findings.some((f) => f.introduced && f.severity === "error" && /^input\//.test(f.ruleId));
    if (policy || risk || invalid) return undefined;
    const rules = [...new Set(report.findings.filter((f) => f.introduced).map((f) => f.ruleId))];
    return `the privileged/host setting Kubernetes would apply raises no policy finding and no risk reason (risk ${report.risk?.level ?? "?"}; introduced: ${rules.join(", ") || "none"})`;
  };
}
