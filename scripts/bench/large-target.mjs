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

/** Returns { resources, runs: [ms], medianMs, changes } for the cold CLI on a 10k-resource target. */
export async function benchLargeTarget(cli, root, runs = 3) {
  const base = join(root, "large-base");
  const head = join(root, "large-head");
  await writeSide(base, -1);
  await writeSide(head, 0);
  const times = [];
  let changes = 0;
  for (let i = 0; i < runs; i++) {
    const r = await runCheck(cli, { baseDir: base, headDir: head, outputFile: join(root, "large.json") });
    if (!r.ok) throw new Error(`large-target run failed: ${r.error}`);
    times.push(r.wallMs);
    changes = r.report.changes;
  }
  return { resources: FILES * PER_FILE, runs: times, medianMs: median(times), changes };
}
