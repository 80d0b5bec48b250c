// Benchmark of the Kubernetes schema validator: `node scripts/bench/validation.mjs [--count N]`.
//
// Two measurements, each in a fresh Node process running the validator bundled from src/ with
// esbuild (the same way dist/cli.js is built):
//   warm  resources/second once every kind in the mix is compiled (goal ≥ 100,000/s);
//   cold  validating N resources (default 10,000) in a new process, start-up, bundle loading
//         and ajv compilation included (goal < 1 s wall time).
// The mix is what repositories hold: Deployments, Services, ConfigMaps, HPAs, StatefulSets,
// Ingresses, CronJobs, Secrets…, with 1% carrying a schema error so the error path is paid for.
//
// scripts/bench.mjs calls `benchValidation()`; run standalone, this prints PASS/MISS lines and
// exits 1 on a miss with --strict.
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { bundleChild, runChild } from "./child.mjs";

export const VALIDATION_GOALS = { warmPerSecond: 100_000, coldMs: 1_000, coldCount: 10_000 };

const defaultRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const BATCH = 100; // resources per validate() call, like one render target
const INVALID_EVERY = 100;

/**
 * Runs both measurements. Prints a header and one "PASS|MISS  goal: measured (target)" line per
 * goal through `log` (pass `() => {}` to stay quiet) and returns the numbers and the goal rows.
 */
export async function benchValidation({ projectRoot = defaultRoot, count = VALIDATION_GOALS.coldCount, warmSeconds = 1, log = console.log } = {}) {
  const child = await bundleValidationChild(projectRoot);
  log(`validation bench: ${count} resources per cold run, ${warmSeconds}s warm loop, node ${process.version}`);
  const cold = await runChild(child, ["cold", String(count)], "validation");
  const warm = await runChild(child, ["warm", String(count), String(warmSeconds)], "validation");
  const goals = [
    {
      goal: "warm validation throughput",
      measured: `${Math.round(warm.result.perSecond).toLocaleString("en-US")} resources/s`,
      target: `≥ ${VALIDATION_GOALS.warmPerSecond.toLocaleString("en-US")}/s`,
      pass: warm.result.perSecond >= VALIDATION_GOALS.warmPerSecond,
    },
    {
      goal: `cold: ${count.toLocaleString("en-US")} resources in a fresh process`,
      measured: `${(cold.wallMs / 1000).toFixed(2)} s wall (in process ${(cold.result.sinceStartMs / 1000).toFixed(2)} s; compile ${cold.result.firstBatchMs.toFixed(0)} ms)`,
      target: `< ${(VALIDATION_GOALS.coldMs / 1000).toFixed(2)} s`,
      pass: cold.wallMs < VALIDATION_GOALS.coldMs,
    },
  ];
  for (const g of goals) log(`${g.pass ? "PASS" : "MISS"}  ${g.goal}: ${g.measured} (target ${g.target})`);
  return { warm: { ...warm.result, wallMs: warm.wallMs }, cold: { ...cold.result, wallMs: cold.wallMs }, goals };
}

/** Bundles a tiny entry that imports the validator from src/ (it finds its schemas by walking up). */
function bundleValidationChild(projectRoot) {
  const contents = [
    `import { createKubernetesValidator } from ${JSON.stringify(join(projectRoot, "src/schema/kubernetes/index.ts"))};`,
    `import { childMain } from ${JSON.stringify(fileURLToPath(import.meta.url))};`,
    "await childMain(createKubernetesValidator);",
  ].join("\n");
  return bundleChild(projectRoot, "validation", contents);
}

/** Runs in the bundled child: validates, prints one JSON line of timings. */
export async function childMain(createKubernetesValidator) {
  const [mode, countArg, secondsArg] = process.argv.slice(2);
  const count = Number(countArg);
  const validator = createKubernetesValidator({ strict: true, missingSchema: "info", crdGlobs: [] });
  const requests = makeRequests(count);
  const validateAll = async () => {
    let issues = 0;
    for (const request of requests) issues += (await validator.validate(request)).length;
    return issues;
  };
  if (mode === "cold") {
    const t0 = performance.now();
    await validator.validate(requests[0]);
    const firstBatchMs = performance.now() - t0;
    const issues = await validateAll();
    process.stdout.write(JSON.stringify({ resources: count, issues, firstBatchMs, validateMs: performance.now() - t0, sinceStartMs: performance.now() }));
    return;
  }
  await validateAll(); // compile every kind of the mix
  const budgetMs = Number(secondsArg) * 1000;
  let validated = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < budgetMs) {
    await validateAll();
    validated += count;
  }
  const ms = performance.now() - t0;
  process.stdout.write(JSON.stringify({ resources: validated, ms, perSecond: validated / (ms / 1000) }));
}

/** `count` resources of a realistic mix, in requests of BATCH resources against Kubernetes 1.31. */
export function makeRequests(count) {
  const tree = { ref: "bench", root: "/nonexistent", files: () => [], hasFile: () => false, hasDir: () => false, read: async () => "", digest: async () => "", materialize: async () => {} };
  const target = { id: "bench", type: "manifests", path: "bench" };
  const requests = [];
  for (let start = 0; start < count; start += BATCH) {
    const resources = [];
    for (let i = start; i < Math.min(count, start + BATCH); i++) resources.push(makeResource(i));
    requests.push({ side: "head", tree, target, kubernetesVersion: "1.31", resources, crds: [] });
  }
  return requests;
}

const MAKERS = [deployment, service, configMap, deployment, service, hpa, statefulSet, ingress, serviceAccount, cronJob, secret, pdb];

function makeResource(i) {
  const body = MAKERS[i % MAKERS.length](`app-${i}`, i);
  if (i % INVALID_EVERY === INVALID_EVERY - 1) body.metadata.labelz = { broken: "yes" };
  const [apiVersion, kind] = [body.apiVersion, body.kind];
  return { apiVersion, kind, namespace: body.metadata.namespace ?? "", name: body.metadata.name, body, source: { file: `apps/${i}.yaml`, line: 1 } };
}

function meta(name, i) {
  return { name, namespace: `team-${i % 7}`, labels: { "app.kubernetes.io/name": name, "app.kubernetes.io/part-of": "shop", tier: i % 2 ? "web" : "api" }, annotations: { "example.com/owner": "platform" } };
}

function podSpec(name, i) {
  return {
    serviceAccountName: name,
    securityContext: { runAsNonRoot: true, runAsUser: 10001, fsGroup: 10001 },
    containers: [
      {
        name,
        image: `registry.example.com/${name}:1.${i % 40}.0`,
        imagePullPolicy: "IfNotPresent",
        args: ["--port=8080", "--log-level=info"],
        ports: [{ name: "http", containerPort: 8080, protocol: "TCP" }],
        env: [
          { name: "MODE", value: "production" },
          { name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
          { name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: `${name}-db`, key: "password" } } },
        ],
        envFrom: [{ configMapRef: { name: `${name}-config` } }],
        resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: 0.5, memory: 268435456 } },
        readinessProbe: { httpGet: { path: "/ready", port: "http" }, periodSeconds: 10 },
        livenessProbe: { httpGet: { path: "/healthz", port: 8080 }, initialDelaySeconds: 5 },
        volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
        securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
      },
    ],
    volumes: [{ name: "tmp", emptyDir: {} }],
  };
}

function deployment(name, i) {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { ...meta(name, i), creationTimestamp: null },
    spec: {
      replicas: 1 + (i % 5),
      selector: { matchLabels: { "app.kubernetes.io/name": name } },
      strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: 0 } },
      template: { metadata: { labels: { "app.kubernetes.io/name": name }, annotations: { "checksum/config": "abc123" } }, spec: podSpec(name, i) },
    },
  };
}

function statefulSet(name, i) {
  return {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: meta(name, i),
    spec: {
      serviceName: name,
      replicas: 3,
      selector: { matchLabels: { "app.kubernetes.io/name": name } },
      template: { metadata: { labels: { "app.kubernetes.io/name": name } }, spec: podSpec(name, i) },
      volumeClaimTemplates: [{ metadata: { name: "data" }, spec: { accessModes: ["ReadWriteOnce"], storageClassName: "fast", resources: { requests: { storage: "10Gi" } } } }],
    },
  };
}

function service(name, i) {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: meta(name, i),
    spec: { type: "ClusterIP", selector: { "app.kubernetes.io/name": name }, ports: [{ name: "http", port: 80, targetPort: "http" }, { name: "metrics", port: 9090, targetPort: 9090 }] },
  };
}

function configMap(name, i) {
  return { apiVersion: "v1", kind: "ConfigMap", metadata: meta(`${name}-config`, i), data: { LOG_LEVEL: "info", FEATURE_X: "true", "app.yaml": "server:\n  port: 8080\n" } };
}

function secret(name, i) {
  return { apiVersion: "v1", kind: "Secret", metadata: meta(`${name}-db`, i), type: "Opaque", data: { password: "c2VjcmV0", username: "YXBw" } };
}

function hpa(name, i) {
  return {
    apiVersion: "autoscaling/v2",
    kind: "HorizontalPodAutoscaler",
    metadata: meta(name, i),
    spec: {
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name },
      minReplicas: 2,
      maxReplicas: 10,
      metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } }],
    },
  };
}

function ingress(name, i) {
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "Ingress",
    metadata: meta(name, i),
    spec: {
      ingressClassName: "nginx",
      tls: [{ hosts: [`${name}.example.com`], secretName: `${name}-tls` }],
      rules: [{ host: `${name}.example.com`, http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name, port: { name: "http" } } } }] } }],
    },
  };
}

function serviceAccount(name, i) {
  return { apiVersion: "v1", kind: "ServiceAccount", metadata: meta(name, i), automountServiceAccountToken: false };
}

function cronJob(name, i) {
  return {
    apiVersion: "batch/v1",
    kind: "CronJob",
    metadata: meta(name, i),
    spec: { schedule: "*/15 * * * *", concurrencyPolicy: "Forbid", jobTemplate: { spec: { backoffLimit: 2, template: { spec: { ...podSpec(name, i), restartPolicy: "OnFailure" } } } } },
  };
}

function pdb(name, i) {
  return { apiVersion: "policy/v1", kind: "PodDisruptionBudget", metadata: meta(name, i), spec: { minAvailable: 1, selector: { matchLabels: { "app.kubernetes.io/name": name } } } };
}

function parseArgs(argv) {
  const opts = { count: VALIDATION_GOALS.coldCount, warmSeconds: 1, strict: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--strict") opts.strict = true;
    else if (argv[i] === "--count") opts.count = Number(argv[++i]);
    else if (argv[i] === "--warm-seconds") opts.warmSeconds = Number(argv[++i]);
    else throw new Error(`unknown option ${argv[i]}`);
  }
  if (!Number.isInteger(opts.count) || opts.count < 1) throw new Error("--count needs a positive integer");
  return opts;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const { goals } = await benchValidation(opts);
  return opts.strict && goals.some((g) => !g.pass) ? 1 : 0;
}

// Standalone only: the bundled child imports this module too, under another file name.
if (basename(fileURLToPath(import.meta.url)) === "validation.mjs" && process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then(
    (code) => (process.exitCode = code),
    (err) => {
      console.error(`validation bench: ${err.message}`);
      process.exitCode = 1;
    },
  );
}
