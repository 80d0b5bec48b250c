import { describe, expect, it } from "vitest";
import { diffTarget } from "../../src/core/diff/diff-target.js";
import { compileIgnoreFields } from "../../src/core/diff/ignore-fields.js";
import { DEFAULT_IGNORE_FIELDS } from "../../src/config/defaults.js";
import type { Resource } from "../../src/core/model/resource.js";

const noise = compileIgnoreFields(DEFAULT_IGNORE_FIELDS);

function res(body: Record<string, unknown>): Resource {
  const md = body.metadata as { name: string; namespace?: string };
  return { apiVersion: String(body.apiVersion), kind: String(body.kind), namespace: md.namespace ?? "default", name: md.name, body };
}

function deployment(over: { image?: string; replicas?: number; env?: { name: string; value: string }[]; cpu?: string; chart?: string; labels?: Record<string, string> } = {}): Resource {
  return res({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "api", namespace: "prod", labels: { app: "api", "helm.sh/chart": over.chart ?? "api-1.0.0", ...(over.labels ?? {}) } },
    spec: {
      replicas: over.replicas ?? 2,
      selector: { matchLabels: { app: "api" } },
      template: {
        metadata: { labels: { app: "api" }, annotations: { "checksum/config": over.chart ?? "abc" } },
        spec: {
          containers: [
            {
              name: "api",
              image: over.image ?? "ghcr.io/acme/api:1.0.0",
              env: over.env ?? [{ name: "LOG_LEVEL", value: "info" }],
              ports: [{ containerPort: 8080 }],
              resources: { requests: { cpu: over.cpu ?? "100m", memory: "128Mi" } },
            },
          ],
        },
      },
    },
  });
}

describe("diffTarget", () => {
  it("reports nothing when only noise fields change", () => {
    const changes = diffTarget("t", [deployment({ chart: "api-1.0.0" })], [deployment({ chart: "api-1.0.1" })], noise);
    expect(changes).toEqual([]);
  });

  it("summarises image, replicas, resources, env and labels of a modified Deployment", () => {
    const base = deployment();
    const head = deployment({
      image: "ghcr.io/acme/api:1.1.0",
      replicas: 3,
      cpu: "250m",
      env: [
        { name: "LOG_LEVEL", value: "debug" },
        { name: "FEATURE_X", value: "on" },
      ],
      labels: { tier: "backend" },
    });
    const [change] = diffTarget("apps/api", [base], [head], noise);
    expect(change).toMatchObject({ action: "modified", kind: "Deployment", namespace: "prod", name: "api" });
    expect(change!.summary).toEqual([
      "image api: ghcr.io/acme/api:1.0.0 → ghcr.io/acme/api:1.1.0",
      "replicas: 2 → 3",
      "resources api: requests.cpu 100m → 250m",
      "env api: +FEATURE_X=on, LOG_LEVEL: info → debug",
      "labels: +tier=backend",
    ]);
    expect(change!.diff).toContain("-  replicas: 2");
    expect(change!.diff).toContain("+  replicas: 3");
  });

  it("pairs a Kustomize generator hash change as one rename", () => {
    const cm = (name: string, level: string) =>
      res({ apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: "prod" }, data: { LOG_LEVEL: level } });
    const changes = diffTarget("t", [cm("api-config-56mbc4db76", "info")], [cm("api-config-588tg5kffk", "debug")], noise);
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ action: "renamed", name: "api-config-588tg5kffk", previousName: "api-config-56mbc4db76" });
    expect(changes[0]!.summary).toContain("data keys: ~LOG_LEVEL");
  });

  it("does not pair names that merely look alike", () => {
    const cm = (name: string) => res({ apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: "prod" }, data: {} });
    const changes = diffTarget("t", [cm("api-config-old")], [cm("api-config-new")], noise);
    expect(changes.map((c) => c.action).sort()).toEqual(["added", "removed"]);
  });

  it("never shows Secret values, but tells added, changed and unchanged keys apart", () => {
    const secret = (data: Record<string, string>, stringData?: Record<string, string>) =>
      res({ apiVersion: "v1", kind: "Secret", metadata: { name: "db", namespace: "prod" }, type: "Opaque", data, ...(stringData ? { stringData } : {}) });
    const b64 = (s: string) => Buffer.from(s).toString("base64");
    const base = secret({ password: b64("hunter2-base"), user: b64("admin") }, { token: "plain-token-base" });
    const head = secret({ password: b64("hunter2-head-longer"), user: b64("admin"), apiKey: b64("k-123456") }, { token: "plain-token-base" });
    const [change] = diffTarget("t", [base], [head], noise);
    const text = JSON.stringify(change);
    for (const leaked of ["hunter2", "admin", "k-123456", "plain-token", b64("hunter2-base"), b64("admin")]) expect(text).not.toContain(leaked);
    expect(change!.diff).toContain(`-  password: "<redacted: previous value, 12 bytes>"`);
    expect(change!.diff).toContain(`+  password: "<redacted: changed, 19 bytes>"`);
    expect(change!.diff).toContain(`+  apiKey: "<redacted: added, 8 bytes>"`);
    expect(change!.diff).toContain(`  user: "<redacted: unchanged, 5 bytes>"`);
    expect(change!.summary).toEqual(["data keys: +apiKey, ~password"]);
  });

  it("redacts Secrets that are added or removed whole", () => {
    const s = res({ apiVersion: "v1", kind: "Secret", metadata: { name: "x", namespace: "a" }, stringData: { pw: "topsecret" } });
    const added = diffTarget("t", [], [s], noise);
    const removed = diffTarget("t", [s], [], noise);
    expect(added[0]!.diff).toContain("<redacted: added, 9 bytes>");
    expect(removed[0]!.diff).toContain("<redacted: removed, 9 bytes>");
    expect(JSON.stringify([added, removed])).not.toContain("topsecret");
  });

  it("redacts credential-named env values in workloads and Compose services", () => {
    const base = deployment({ env: [{ name: "DB_PASSWORD", value: "old-pass" }] });
    const head = deployment({ env: [{ name: "DB_PASSWORD", value: "new-pass" }] });
    const [change] = diffTarget("t", [base], [head], noise);
    expect(JSON.stringify(change)).not.toContain("-pass");
    expect(change!.summary).toContain("env api: DB_PASSWORD: <redacted: previous value, 8 bytes> → <redacted: changed, 8 bytes>");
    const svc = (token: string) => ({ apiVersion: "compose/v1", kind: "Service", namespace: "", name: "web", body: { image: "web:1", environment: { API_TOKEN: token } } });
    const [c2] = diffTarget("t", [svc("aaa")], [svc("bbbb")], noise);
    expect(JSON.stringify(c2)).not.toMatch(/aaa|bbbb/);
    expect(c2!.summary[0]).toMatch(/^environment: API_TOKEN: <redacted/);
  });

  it("redacts env values that are URLs with a password, whatever the variable is called", () => {
    const svc = (url: string) => ({ apiVersion: "compose/v1", kind: "Service", namespace: "", name: "web", body: { image: "web:1", environment: { DATABASE_URL: url, LOG_URL: "https://logs.example.com/x" } } });
    const [c] = diffTarget("t", [svc("postgres://app:old-secret@db:5432/shop")], [svc("postgres://app:new-secret@db:5432/shop")], noise);
    expect(JSON.stringify(c)).not.toMatch(/old-secret|new-secret/);
    expect(c!.summary[0]).toMatch(/^environment: DATABASE_URL: <redacted: previous value, \d+ bytes> → <redacted: changed/);
    const head = deployment({ env: [{ name: "CONN", value: "amqp://u:hunter2@mq/" }] });
    const [d] = diffTarget("t", [], [head], noise);
    expect(JSON.stringify(d)).not.toContain("hunter2");
  });

  it("summarises Service type, storage and RBAC rule changes", () => {
    const svc = (type: string) => res({ apiVersion: "v1", kind: "Service", metadata: { name: "web", namespace: "a" }, spec: { type, ports: [{ port: 80 }] } });
    const sts = (size: string) =>
      res({
        apiVersion: "apps/v1",
        kind: "StatefulSet",
        metadata: { name: "db", namespace: "a" },
        spec: { volumeClaimTemplates: [{ metadata: { name: "data" }, spec: { resources: { requests: { storage: size } } } }] },
      });
    const role = (verbs: string[]) =>
      res({ apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role", metadata: { name: "r", namespace: "a" }, rules: [{ apiGroups: [""], resources: ["pods"], verbs }] });
    const changes = diffTarget("t", [svc("ClusterIP"), sts("10Gi"), role(["get"])], [svc("LoadBalancer"), sts("20Gi"), role(["get", "delete"])], noise);
    const byKind = Object.fromEntries(changes.map((c) => [c.kind, c.summary]));
    expect(byKind.Service).toEqual(["Service type: ClusterIP → LoadBalancer"]);
    expect(byKind.StatefulSet).toEqual(["volumeClaimTemplate data storage: 10Gi → 20Gi"]);
    expect(byKind.Role).toEqual(["rules: +[get,delete] on pods (core); -[get] on pods (core)"]);
  });
});
