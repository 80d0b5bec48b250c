import { describe, expect, it } from "vitest";
import { CONFIG_FILE, configErrorOf, parse } from "../helpers/config.js";
import { DEFAULT_IGNORE_FIELDS, defaultMaxTotalOutputBytes } from "../../src/config/defaults.js";

const file = CONFIG_FILE;
const errorOf = configErrorOf;

describe("config", () => {
  it("applies defaults in one place", () => {
    const c = parse("");
    expect(c.discovery).toBe(true);
    expect(c.render).toEqual({
      timeoutSeconds: 60,
      maxOutputBytes: 52428800,
      maxTotalOutputBytes: defaultMaxTotalOutputBytes(),
      concurrency: 2,
      maxMemoryMiB: 1024,
      budgetSeconds: 600,
    });
    expect(c.diff.ignoreFields).toEqual(DEFAULT_IGNORE_FIELDS);
  });

  it.each([
    ["unknown top-level key", "discovry: true\n", "discovry", 1, 'unknown key "discovry"; allowed keys here: kubernetesVersion, discovery,'],
    ["unknown nested key names the path", "targets:\n  - path: a\n    type: helm\n    relaseName: x\n", "targets[0].relaseName", 4, 'unknown key "relaseName"'],
    ["bad enum", "targets:\n  - path: a\n    type: terraform\n", "targets[0].type", 3, 'must be one of "kustomize", "helm", "compose", "manifests"'],
    ["missing required", "targets:\n  - path: a\n", "targets[0]", 2, 'missing required key "type"'],
    ["wrong type", "render:\n  timeoutSeconds: soon\n", "render.timeoutSeconds", 2, "must be number"],
    ["unknown policies key", "policies:\n  path: [a]\n", "policies.path", 2, 'unknown key "path"; allowed keys here: builtin, paths, severity, parameters'],
    ["bad policy severity", "policies:\n  severity: {require-probes: fatal}\n", "policies.severity.require-probes", 2, 'must be one of "error", "warning", "info"'],
    ["waiver without a reason", "waivers:\n  - policy: require-probes\n", "waivers[0]", 2, 'missing required key "reason"'],
    ["waiver with a bad date", "waivers:\n  - {policy: x, reason: y, expires: 31/12/2026}\n", "waivers[0].expires", 2, "must match pattern"],
  ])("%s", (_name, text, keyPath, line, detail) => {
    const err = errorOf(text);
    expect(err.keyPath).toBe(keyPath);
    expect(err.line).toBe(line);
    expect(err.message).toContain(detail);
    expect(err.message.startsWith(`${file}:${line}: ${keyPath}: `)).toBe(true);
  });

  it("rejects duplicate keys with a line", () => {
    const err = errorOf("discovery: true\ndiscovery: false\n");
    expect(err.message).toMatch(/^\.github\/shipshape\.yml:2: invalid YAML/);
  });

  it("rejects two targets with one id", () => {
    const err = errorOf("targets:\n  - {path: charts/web, type: helm}\n  - {path: charts/web, type: helm}\n");
    expect(err.keyPath).toBe("targets[1]");
    expect(err.message).toContain("give one of them a distinct `name`");
  });

  it.each(["/etc", "../other-repo", "apps/../../x"])("rejects a target path outside the repository: %s", (path) => {
    const err = errorOf(`targets:\n  - type: helm\n    path: "${path}"\n`);
    expect(err.keyPath).toBe("targets[0].path");
    expect(err.line).toBe(3);
    expect(err.message).toContain("must be a path inside the repository");
  });

  it("defaults the policy parameters and records where each waiver is written", () => {
    const c = parse("policies:\n  builtin: {require-pdb: false}\n  parameters: {approvedRegistries: [ghcr.io/acme/]}\nwaivers:\n  - policy: require-probes\n    reason: batch\n");
    expect(c.policies).toEqual({
      builtinDisabled: ["require-pdb"],
      paths: [],
      severity: {},
      parameters: { approvedRegistries: ["ghcr.io/acme/"], requiredLabels: ["app.kubernetes.io/name"], storageClasses: [] },
      owners: [],
      admission: true,
    });
    expect(c.waivers).toEqual([{ policy: "require-probes", reason: "batch", line: 5 }]);
    expect(parse("policies: {builtin: false}\n").policies.builtinDisabled).toBe("all");
    expect(parse("policies: {admission: false}\n").policies.admission).toBe(false);
    expect(() => parse("policies:\n  admission: sometimes\n")).toThrow(/policies\.admission.*must be boolean/);
  });

  it("defaults and validates the github section", () => {
    expect(parse("").github).toEqual({ failOn: "error", drafts: false, reviewComments: true, requestReviews: true, maxAnnotations: 500 });
    expect(parse("github: {failOn: high, drafts: true}\npolicies: {owners: [alice, acme/platform]}\n").github.failOn).toBe("high");
    expect(() => parse("github:\n  failOn: sometimes\n")).toThrow(/github\.failOn.*must be one of/);
    expect(() => parse("github:\n  comment: false\n")).toThrow(/github\.comment.*unknown key "comment"/);
  });

  it("defaults gitops to no allowed chart host and validates hosts", () => {
    expect(parse("").gitops).toEqual({ allowedHosts: [], repositoryUrls: [] });
    expect(parse("gitops:\n  allowedHosts: [charts.example.com, 127.0.0.1:8080]\n").gitops.allowedHosts).toEqual(["charts.example.com", "127.0.0.1:8080"]);
    const err = configErrorOf("gitops:\n  allowedHosts: [https://charts.example.com]\n");
    expect(err.message).toContain("gitops.allowedHosts[0]");
  });

  it("accepts a full config", () => {
    const c = parse(`
kubernetesVersion: "1.31"
discovery: false
ignore: ["docs/**"]
targets:
  - {path: charts/web, type: helm, name: prod, releaseName: web, namespace: web-prod, valueFiles: [values.yaml, values-prod.yaml]}
  - {path: compose/shop, type: compose, composeProfiles: [debug], composeEnv: {TAG: "1.2", PORT: 8080}}
render: {timeoutSeconds: 30, maxOutputBytes: 1048576, concurrency: 2, maxMemoryMiB: 512, budgetSeconds: 120}
diff: {ignoreFields: [metadata.annotations.team], defaultIgnoreFields: false}
`);
    expect(c.targets).toHaveLength(2);
    expect(c.render).toMatchObject({ maxMemoryMiB: 512, budgetSeconds: 120 });
    expect(c.diff.ignoreFields).toEqual(["metadata.annotations.team"]);
  });
});
