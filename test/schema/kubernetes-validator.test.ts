import { describe, expect, it } from "vitest";
import { createKubernetesValidator, type KubernetesValidatorOptions } from "../../src/schema/kubernetes/index.js";
import type { SchemaIssue } from "../../src/core/ports.js";
import { requestFor, resourcesFrom } from "../../fixtures/schema/resources.js";

const strict = createKubernetesValidator({ strict: true, missingSchema: "info", crdGlobs: [] });

async function validate(yaml: string, options?: Partial<KubernetesValidatorOptions>, version = "1.31"): Promise<SchemaIssue[]> {
  const validator = options ? createKubernetesValidator({ strict: true, missingSchema: "info", crdGlobs: [], ...options }) : strict;
  return validator.validate(requestFor(resourcesFrom(yaml), { version }));
}

const brief = (issues: SchemaIssue[]) => issues.map((i) => [i.ruleId, i.path]);

/** A Deployment written the way Helm and kubectl print them, with every value form the API accepts. */
const deployment = (container: string, extra = "") => `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  creationTimestamp: null
  labels: { app: web }
spec:
  replicas: 2
  selector: { matchLabels: { app: web } }
  strategy: { rollingUpdate: { maxSurge: 25%, maxUnavailable: 0 } }
  template:
    metadata: { labels: { app: web }, creationTimestamp: null }
    spec:
      restartPolicy: Always${extra}
      containers:
        - name: web
          image: nginx:1.27
          ports: [{ name: http, containerPort: 8080 }]
          resources:
            requests: { cpu: 100m, memory: 128974848 }
            limits: { cpu: 0.5, memory: 1Gi }
          readinessProbe: { httpGet: { path: /healthz, port: http } }
          livenessProbe: { httpGet: { path: /healthz, port: 8080 } }
${container}`;

describe("built-in kinds: valid resources", () => {
  const cases: [string, string][] = [
    ["a Deployment with null timestamps, quantities and int-or-string ports", deployment("")],
    ["imagePullPolicy outside the documented values (no enum in the OpenAPI v2 spec: left to the API server)", deployment("          imagePullPolicy: Sometimes")],
    ["null-valued fields, which the API server drops", deployment("          command: null\n          env: [{ name: A, value: null }]")],
    [
      "a Service with numeric and named targetPorts",
      `
apiVersion: v1
kind: Service
metadata: { name: web }
spec:
  type: ClusterIP
  selector: { app: web }
  ports:
    - { name: http, port: 80, targetPort: 8080 }
    - { name: admin, port: 81, targetPort: http, protocol: TCP }
`,
    ],
    [
      "a ConfigMap, an HPA and a StatefulSet with a volume claim",
      `
apiVersion: v1
kind: ConfigMap
metadata: { name: settings }
data: { PORT: "8080", MODE: prod }
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: { name: web }
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: web }
  minReplicas: 2
  maxReplicas: 10
  metrics:
    - type: Resource
      resource: { name: cpu, target: { type: Utilization, averageUtilization: 70 } }
---
apiVersion: apps/v1
kind: StatefulSet
metadata: { name: db }
spec:
  serviceName: db
  selector: { matchLabels: { app: db } }
  template:
    metadata: { labels: { app: db } }
    spec:
      containers: [{ name: db, image: postgres:16 }]
  volumeClaimTemplates:
    - metadata: { name: data }
      spec:
        accessModes: [ReadWriteOnce]
        resources: { requests: { storage: 10Gi } }
`,
    ],
    [
      "a Secret with base64 data, folded over lines",
      `
apiVersion: v1
kind: Secret
metadata: { name: creds }
type: Opaque
data:
  password: c2VjcmV0
  cert: |
    LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t
    Cg==
stringData: { token: abc }
`,
    ],
  ];
  it.each(cases)("%s", async (_name, yaml) => {
    expect(await validate(yaml)).toEqual([]);
  });
});

describe("built-in kinds: one rule at a time", () => {
  const cases: { name: string; yaml: string; expected: [string, string][]; message: RegExp }[] = [
    {
      name: "unknown field, with a suggestion",
      yaml: deployment("          imagePullPolicyy: Always"),
      expected: [["schema/unknown-field", "spec.template.spec.containers[0].imagePullPolicyy"]],
      message: /^spec\.template\.spec\.containers\[0\]\.imagePullPolicyy: unknown field; did you mean "imagePullPolicy"\?$/,
    },
    {
      name: "unknown top-level field",
      yaml: deployment("").replace("spec:\n  replicas", "spce: {}\nspec:\n  replicas"),
      expected: [["schema/unknown-field", "spce"]],
      message: /^spce: unknown field; did you mean "spec"\?$/,
    },
    {
      name: "wrong type",
      yaml: deployment("").replace("replicas: 2", 'replicas: "three"'),
      expected: [["schema/type", "spec.replicas"]],
      message: /^spec\.replicas: expected integer, got string "three"$/,
    },
    {
      name: "a number where a label value must be a string",
      yaml: deployment("").replace("labels: { app: web }\nspec", "labels: { app: web, tier: 1 }\nspec"),
      expected: [["schema/type", "metadata.labels.tier"]],
      message: /^metadata\.labels\.tier: expected string, got integer 1$/,
    },
    {
      name: "missing required field",
      yaml: `
apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { restartPolicy: Always }
`,
      expected: [["schema/required", "spec.template.spec.containers"]],
      message: /^spec\.template\.spec\.containers: required field is missing$/,
    },
    {
      name: "int-or-string given a boolean",
      yaml: `
apiVersion: v1
kind: Service
metadata: { name: web }
spec:
  ports: [{ port: 80, targetPort: true }]
`,
      expected: [["schema/type", "spec.ports[0].targetPort"]],
      message: /^spec\.ports\[0\]\.targetPort: expected integer or string, got boolean true$/,
    },
    {
      name: "a quantity with a made-up unit",
      yaml: deployment("").replace("memory: 1Gi", "memory: 128MB"),
      expected: [["schema/pattern", "spec.template.spec.containers[0].resources.limits.memory"]],
      message: /limits\.memory: expected a quantity such as 500m, 1\.5, 128Mi or 2Gi; got "128MB"$/,
    },
    {
      name: "an int32 out of range",
      yaml: deployment("").replace("replicas: 2", "replicas: 3000000000"),
      expected: [["schema/format", "spec.replicas"]],
      message: /^spec\.replicas: expected a 32-bit integer; got 3000000000$/,
    },
    {
      name: "a malformed timestamp",
      yaml: deployment("").replace("creationTimestamp: null\n  labels", "creationTimestamp: yesterday\n  labels"),
      expected: [["schema/format", "metadata.creationTimestamp"]],
      message: /expected an RFC 3339 date-time such as 2024-01-31T12:00:00Z; got "yesterday"$/,
    },
    {
      name: "a number in ConfigMap data",
      yaml: "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c }\ndata: { PORT: 8080 }\n",
      expected: [["schema/type", "data.PORT"]],
      message: /^data\.PORT: expected string, got integer 8080$/,
    },
    {
      name: "a null inside a list (lists keep their nulls)",
      yaml: deployment("          args: [serve, null]"),
      expected: [["schema/type", "spec.template.spec.containers[0].args[1]"]],
      message: /args\[1\]: expected string, got null$/,
    },
    {
      name: "an object where a string belongs",
      yaml: deployment("          image: { name: nginx }").replace("          image: nginx:1.27\n", ""),
      expected: [["schema/type", "spec.template.spec.containers[0].image"]],
      message: /image: expected string, got object$/,
    },
  ];
  it.each(cases)("$name", async ({ yaml, expected, message }) => {
    const issues = await validate(yaml);
    expect(brief(issues)).toEqual(expected);
    expect(issues[0]?.message).toMatch(message);
    expect(issues[0]?.severity).toBe("error");
  });

  it("points at the line of the offending field", async () => {
    const yaml = deployment("          imagePullPolicyy: Always");
    const [issue] = await validate(yaml);
    const line = yaml.split("\n").findIndex((l) => l.includes("imagePullPolicyy")) + 1;
    expect(issue?.line).toBe(line);
  });

  it("points at the enclosing object for a missing field", async () => {
    const yaml = "apiVersion: v1\nkind: Service\nmetadata: { name: s }\nspec:\n  ports:\n    - targetPort: 80\n";
    const [issue] = await validate(yaml);
    expect(brief([issue!])).toEqual([["schema/required", "spec.ports[0].port"]]);
    expect(issue?.line).toBe(6);
  });

  it("reports every problem of a resource once", async () => {
    const yaml = deployment("          imagePullPolicyy: Always\n          tty: yes-please").replace("replicas: 2", "replicas: two");
    expect(brief(await validate(yaml))).toEqual([
      ["schema/type", "spec.replicas"],
      ["schema/unknown-field", "spec.template.spec.containers[0].imagePullPolicyy"],
      ["schema/type", "spec.template.spec.containers[0].tty"],
    ]);
  });

  it("truncates long values to about 80 characters", async () => {
    const long = "x".repeat(300);
    const [issue] = await validate(deployment("").replace("replicas: 2", `replicas: "${long}"`));
    expect(issue?.message).toMatch(/got string "x+…$/);
    expect(issue!.message.length).toBeLessThan(140);
  });
});

describe("strictness", () => {
  it("allows unknown fields when strict is off, and still checks types", async () => {
    const yaml = deployment("          imagePullPolicyy: Always").replace("replicas: 2", 'replicas: "2"');
    expect(brief(await validate(yaml, { strict: false }))).toEqual([["schema/type", "spec.replicas"]]);
  });
});

describe("Secret values never appear in messages", () => {
  const secret = `
apiVersion: v1
kind: Secret
metadata:
  name: creds
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: 42
data:
  password: "hunter2 is not base64!"
  pin: 123456
stringData:
  apiKey: 987654321
`;
  it("redacts data, stringData and the last-applied copy of them", async () => {
    const issues = await validate(secret);
    expect(brief(issues).sort()).toEqual([
      ["schema/format", "data.password"],
      ["schema/type", "data.pin"],
      ["schema/type", "metadata.annotations.kubectl.kubernetes.io/last-applied-configuration"],
      ["schema/type", "stringData.apiKey"],
    ]);
    for (const issue of issues) {
      expect(issue.message).toContain("<redacted>");
      expect(issue.message).not.toMatch(/hunter2|123456|987654321|42/);
    }
  });

  it("redacts env values whose names say they hold credentials", async () => {
    const issues = await validate(deployment("          env: [{ name: DB_PASSWORD, value: 31337 }, { name: WORKERS, value: 4 }]"));
    expect(issues.map((i) => i.message)).toEqual([
      "spec.template.spec.containers[0].env[0].value: expected string, got integer <redacted>",
      "spec.template.spec.containers[0].env[1].value: expected string, got integer 4",
    ]);
  });
});

describe("what the Kubernetes validator leaves to others", () => {
  it("ignores Compose entries and List wrappers", async () => {
    const yaml = "apiVersion: compose/v1\nkind: Service\nmetadata: { name: web }\nimage: 3\n---\napiVersion: v1\nkind: List\nmetadata: { name: l }\nitems: 3\n";
    expect(await validate(yaml)).toEqual([]);
  });
});
