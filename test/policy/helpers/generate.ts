/** Synthetic rendered resources for throughput tests: pods, controllers, services, ingresses. */
import type { PolicyResource } from "../../../src/policy/model.js";

function container(i: number): Record<string, unknown> {
  return {
    name: `app-${i}`,
    image: i % 7 === 0 ? `nginx:latest` : `eu.foo.io/team/app-${i % 50}:1.${i % 9}.0`,
    ports: [{ containerPort: 8080, ...(i % 11 === 0 ? { hostPort: 8080 } : {}) }],
    resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: i % 5 === 0 ? "1Gi" : "256Mi" } },
    securityContext: i % 3 === 0 ? { runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } } : { privileged: i % 13 === 0 },
    ...(i % 4 === 0 ? { livenessProbe: { httpGet: { path: "/", port: 8080 } } } : {}),
  };
}

function podSpec(i: number): Record<string, unknown> {
  return { containers: [container(i), container(i + 1)], ...(i % 17 === 0 ? { hostNetwork: true } : {}), volumes: [{ name: "data", emptyDir: {} }] };
}

export function generateResources(count: number): PolicyResource[] {
  const out: PolicyResource[] = [];
  for (let i = 0; i < count; i++) {
    const metadata = { name: `res-${i}`, namespace: `ns-${i % 20}`, labels: { "app.kubernetes.io/name": `app-${i % 50}` } };
    switch (i % 6) {
      case 0:
        out.push({ object: { apiVersion: "v1", kind: "Pod", metadata, spec: podSpec(i) } });
        break;
      case 1:
      case 2:
        out.push({ object: { apiVersion: "apps/v1", kind: "Deployment", metadata, spec: { replicas: 2, selector: { matchLabels: metadata.labels }, template: { metadata: { labels: metadata.labels }, spec: podSpec(i) } } } });
        break;
      case 3:
        out.push({ object: { apiVersion: "batch/v1", kind: "CronJob", metadata, spec: { schedule: "* * * * *", jobTemplate: { spec: { template: { spec: podSpec(i) } } } } } });
        break;
      case 4:
        out.push({ object: { apiVersion: "v1", kind: "Service", metadata, spec: { type: i % 12 === 4 ? "NodePort" : "ClusterIP", ports: [{ port: 80 }] } } });
        break;
      default:
        out.push({ object: { apiVersion: "v1", kind: "ConfigMap", metadata, data: { key: "value" } } });
    }
  }
  return out;
}
