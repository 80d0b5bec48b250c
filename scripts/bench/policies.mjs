// Policy bench: every built-in policy (Kubernetes and Compose packs) over 10,000 rendered
// resources, through the same evaluator the pipeline uses (cross-resource rules included).
// The child bundles src/ with esbuild, like the validation bench.
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { bundleChild, runChild } from "./child.mjs";

const GOAL_MS = 2000;

export async function benchPolicies({ projectRoot, count = 10_000 }) {
  const child = await bundlePoliciesChild(projectRoot);
  const { result } = await runChild(child, [String(count)], "policy");
  return {
    ...result,
    goal: {
      goal: `all built-in policies over ${count.toLocaleString("en-US")} rendered resources`,
      measured: `${(result.firstMs / 1000).toFixed(2)} s (${result.policies} policies, ${result.issues} findings; warm ${(result.warmMs / 1000).toFixed(2)} s)`,
      target: `< ${(GOAL_MS / 1000).toFixed(2)} s`,
      pass: result.firstMs < GOAL_MS,
    },
  };
}

/** Runs inside the bundled child: loads the pack, builds resources, evaluates twice. */
export async function childMain({ createPolicyEvaluator, loadPolicies, builtinPolicyFiles, DEFAULT_POLICY_PARAMETERS }, count) {
  const { readFile } = await import("node:fs/promises");
  const policies = [];
  for (const file of (await builtinPolicyFiles()).values()) policies.push(...loadPolicies(await readFile(file, "utf8"), file).policies);
  const resources = makeResources(count);
  const evaluator = createPolicyEvaluator({ policies, parameters: { ...DEFAULT_POLICY_PARAMETERS, approvedRegistries: ["ghcr.io/acme/"] }, severityOverrides: {} });
  const request = { side: "head", target: { id: "bench", type: "manifests", path: "bench" }, resources, allResources: resources };
  let start = performance.now();
  const issues = await evaluator.evaluate(request);
  const firstMs = performance.now() - start;
  start = performance.now();
  await evaluator.evaluate(request);
  const warmMs = performance.now() - start;
  process.stdout.write(JSON.stringify({ policies: policies.length, resources: resources.length, issues: issues.length, firstMs, warmMs }));
}

function makeResources(count) {
  const out = [];
  for (let i = 0; out.length < count; i++) {
    const ns = `team-${i % 40}`;
    const name = `app-${i}`;
    const labels = { "app.kubernetes.io/name": name };
    const container = {
      name: "app",
      image: i % 5 === 0 ? `docker.io/library/nginx:latest` : `ghcr.io/acme/${name}:1.${i % 9}`,
      resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "256Mi" } },
      ...(i % 3 === 0 ? {} : { livenessProbe: { httpGet: { path: "/", port: 8080 } }, readinessProbe: { httpGet: { path: "/", port: 8080 } } }),
      env: [{ name: "LOG_LEVEL", value: "info" }, ...(i % 7 === 0 ? [{ name: "DB_PASSWORD", value: "x" }] : [])],
    };
    const k8s = (apiVersion, kind, body) => ({ apiVersion, kind, namespace: ns, name, body: { apiVersion, kind, metadata: { name, namespace: ns, labels }, ...body } });
    out.push(k8s("apps/v1", "Deployment", { spec: { replicas: 1 + (i % 3), selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [container] } } } }));
    out.push(k8s("v1", "Service", { spec: { type: i % 11 === 0 ? "LoadBalancer" : "ClusterIP", selector: labels, ports: [{ port: 80, targetPort: 8080 }] } }));
    if (i % 4 === 0) out.push(k8s("autoscaling/v2", "HorizontalPodAutoscaler", { spec: { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name }, minReplicas: 2, maxReplicas: 6 } }));
    if (i % 6 === 0) out.push(k8s("v1", "PersistentVolumeClaim", { spec: { storageClassName: "gp3", resources: { requests: { storage: "10Gi" } } } }));
    if (i % 10 === 0) {
      out.push({ apiVersion: "compose/v1", kind: "Service", namespace: "", name, body: { image: container.image, environment: { LOG_LEVEL: "info" }, ports: [{ target: 8080, published: "8080", protocol: "tcp", mode: "ingress" }] } });
    }
  }
  return out.slice(0, count);
}

function bundlePoliciesChild(projectRoot) {
  const src = (p) => JSON.stringify(join(projectRoot, p));
  const contents = [
    `import { createPolicyEvaluator, loadPolicies } from ${src("src/policy/index.ts")};`,
    `import { builtinPolicyFiles } from ${src("src/analysis/load-policies.ts")};`,
    `import { DEFAULT_POLICY_PARAMETERS } from ${src("src/config/defaults.ts")};`,
    `import { childMain } from ${JSON.stringify(fileURLToPath(import.meta.url))};`,
    "await childMain({ createPolicyEvaluator, loadPolicies, builtinPolicyFiles, DEFAULT_POLICY_PARAMETERS }, Number(process.argv[2]));",
  ].join("\n");
  return bundleChild(projectRoot, "policies", contents);
}

// Only when run directly, not from the bundled child (which inlines this module).
if (basename(fileURLToPath(import.meta.url)) === "policies.mjs" && process.argv[1] === fileURLToPath(import.meta.url)) {
  const projectRoot = join(fileURLToPath(new URL(".", import.meta.url)), "..", "..");
  const { goal } = await benchPolicies({ projectRoot });
  console.log(`${goal.pass ? "PASS" : "MISS"}  ${goal.goal}: ${goal.measured} (target ${goal.target})`);
}
