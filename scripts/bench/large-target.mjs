// One manifests folder of 10,000 Deployments (100 files × 100), and a change to one file:
// the whole target renders and validates on both sides. Measures the cold CLI wall time.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { median } from "./measure.mjs";
import { runCheck } from "./cli-runner.mjs";

const FILES = 100;
const PER_FILE = 100;

function deployment(n, replicas) {
  return `---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-${n}
  labels: {app.kubernetes.io/name: app-${n}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app.kubernetes.io/name: app-${n}}}
  template:
    metadata: {labels: {app.kubernetes.io/name: app-${n}}}
    spec:
      containers:
        - name: app
          image: registry.example.com/app-${n}:1.0.${n % 7}
          ports: [{containerPort: 8080, name: http}]
          resources: {requests: {cpu: 100m, memory: 128Mi}, limits: {memory: 256Mi}}
`;
}

async function writeSide(dir, changedFile) {
  await mkdir(join(dir, "k8s"), { recursive: true });
  for (let f = 0; f < FILES; f++) {
    let text = "";
    for (let i = 0; i < PER_FILE; i++) text += deployment(f * PER_FILE + i, f === changedFile ? 3 : 2);
    await writeFile(join(dir, "k8s", `apps-${String(f).padStart(3, "0")}.yaml`), text);
  }
}

/**
 * Cold CLI runs on a 10k-resource target: once with policies off (rendering, schema
 * validation, diff, cost and risk: the "< 1 s" goal) and once with the full built-in
 * pack, whose findings on this synthetic input (no probes, no security context: tens of
 * thousands of them) are reported for information.
 */
export async function benchLargeTarget(cli, root, runs = 3) {
  const base = join(root, "large-base");
  const head = join(root, "large-head");
  await writeSide(base, -1);
  await writeSide(head, 0);
  const noPolicies = join(root, "large-no-policies.yml");
  await writeFile(noPolicies, "policies:\n  builtin: false\n");
  const measure = async (extraArgs, count) => {
    const times = [];
    let report;
    for (let i = 0; i < count; i++) {
      const r = await runCheck(cli, { baseDir: base, headDir: head, outputFile: join(root, "large.json"), extraArgs });
      if (!r.ok) throw new Error(`large-target run failed: ${r.error}`);
      times.push(r.wallMs);
      report = r.report;
    }
    return { medianMs: median(times), runs: times, changes: report.changes, rssKb: 0 };
  };
  const withoutPolicies = await measure(["--config", noPolicies], runs);
  const withPolicies = await measure([], 1);
  return { resources: FILES * PER_FILE, runs: withoutPolicies.runs, medianMs: withoutPolicies.medianMs, changes: withoutPolicies.changes, withPoliciesMs: withPolicies.medianMs };
}
