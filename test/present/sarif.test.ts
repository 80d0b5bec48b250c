import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { beforeAll, describe, expect, it } from "vitest";
import type { Finding } from "../../src/core/model/finding.js";
import type { Report } from "../../src/core/model/report.js";
import { FINDING_ID_FINGERPRINT, renderReport, renderSarif, SARIF_SCHEMA_URI } from "../../src/present/index.js";
import { finding, report, target } from "./builders.js";

/** The SARIF 2.1.0 schema as microsoft/sarif-sdk ships it (draft 2020-12); see fixtures/sarif/NOTICE.md. */
const SCHEMA_FILE = join(import.meta.dirname, "..", "..", "fixtures", "sarif", "sarif-schema-2.1.0.json");
let validateSarif: ValidateFunction;

beforeAll(() => {
  // strict: false because the official schema has `required` lists naming properties it
  // declares elsewhere, which Ajv's strict mode refuses.
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormatsModule.default(ajv);
  validateSarif = ajv.compile(JSON.parse(readFileSync(SCHEMA_FILE, "utf8")) as object);
});

function expectValidSarif(output: string): void {
  const valid = validateSarif(JSON.parse(output));
  expect(validateSarif.errors ?? [], "SARIF schema errors").toEqual([]);
  expect(valid).toBe(true);
}

const deployment = { apiVersion: "apps/v1", kind: "Deployment", namespace: "prod", name: "api" };

/** One of each shape: located error, waived policy warning, file-less info, pre-existing. */
function sampleReport(): Report {
  return report({
    targets: [target("apps/api/overlays/prod"), target("charts/web#prod", { type: "helm", path: "charts/web" })],
    findings: [
      finding("schema/type", {
        id: "a1",
        source: "schema",
        severity: "error",
        message: "spec.replicas: expected integer, got string \"3\"",
        target: "apps/api/overlays/prod",
        resource: deployment,
        path: "spec.replicas",
        file: "apps/api/base/deployment.yaml",
        line: 7,
      }),
      finding("policy/require-probes/validate-probes", {
        id: "b2",
        message: "validation error: liveness and readiness probes are required",
        target: "apps/api/overlays/prod",
        resource: deployment,
        file: "apps/api/base/deployment.yaml",
        line: 12,
        waived: { reason: "batch workers restart from their queue", source: "config", where: ".github/shipshape.yml:20", expires: "2027-06-30" },
      }),
      finding("render/helm-external-schema", {
        id: "c3",
        source: "render",
        severity: "info",
        message: "values.schema.json refers to a remote schema",
        target: "charts/web#prod",
      }),
      finding("schema/type", { id: "d4", source: "schema", severity: "error", introduced: false, file: "apps/legacy.yaml", line: 3 }),
    ],
  });
}

describe("the SARIF schema fixture", () => {
  it("is the complete 2.1.0 schema and rejects what SARIF does not allow", () => {
    const schema = JSON.parse(readFileSync(SCHEMA_FILE, "utf8")) as { title: string; definitions: Record<string, unknown> };
    expect(schema.title).toBe("Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema");
    expect(Object.keys(schema.definitions)).toHaveLength(52);
    const log = (result: object) => ({ version: "2.1.0", runs: [{ tool: { driver: { name: "x" } }, results: [result] }] });
    const location = (startLine: number) => ({ physicalLocation: { artifactLocation: { uri: "a.yaml" }, region: { startLine } } });
    expect(validateSarif(log({ message: { text: "m" }, locations: [location(1)] }))).toBe(true);
    expect(validateSarif(log({ message: { text: "m" }, locations: [location(0)] }))).toBe(false);
    expect(validateSarif(log({ message: { text: "m" }, level: "info" }))).toBe(false);
    expect(validateSarif(log({ message: { text: "m" }, suppressions: [{ justification: "no kind" }] }))).toBe(false);
    expect(validateSarif({ version: "2.1.0", runs: [{ tool: { driver: {} } }] })).toBe(false);
  });
});

describe("renderSarif", () => {
  it("writes one run with the driver, the rules in use and the introduced findings", () => {
    const output = renderSarif(sampleReport(), { toolVersion: "0.1.0", informationUri: "https://example.com/shipshape" });
    const log = JSON.parse(output) as Record<string, unknown>;
    expect(Object.keys(log)).toEqual(["$schema", "version", "runs"]);
    expect(log.$schema).toBe(SARIF_SCHEMA_URI);
    expect(log.$schema).toBe("https://json.schemastore.org/sarif-2.1.0.json");
    expect(log.version).toBe("2.1.0");
    const runs = log.runs as Record<string, unknown>[];
    expect(runs).toHaveLength(1);
    const run = runs[0]!;
    const driver = (run.tool as { driver: Record<string, unknown> }).driver;
    expect({ ...driver, rules: undefined }).toEqual({
      name: "Shipshape",
      semanticVersion: "0.1.0",
      informationUri: "https://example.com/shipshape",
      rules: undefined,
    });
    const rules = driver.rules as Record<string, unknown>[];
    expect(rules.map((r) => [r.id, r.defaultConfiguration])).toEqual([
      ["policy/require-probes/validate-probes", { level: "warning" }],
      ["render/helm-external-schema", { level: "note" }],
      ["schema/type", { level: "error" }],
    ]);
    expect(rules[2]).toEqual({
      id: "schema/type",
      shortDescription: { text: "Schema violation: type" },
      fullDescription: {
        text: "The rendered resource does not match the schema of its kind: the Kubernetes OpenAPI schema of the chosen version, a CRD, or the Compose specification.",
        markdown:
          "The rendered resource does not match the schema of its kind: the Kubernetes OpenAPI schema of the chosen version, a CRD, or the Compose specification.",
      },
      help: {
        text: "Fix the value at the reported JSON path; the message says what was expected. The Kubernetes version comes from --kube-version or kubernetesVersion in the config.",
        markdown:
          "Fix the value at the reported JSON path; the message says what was expected. The Kubernetes version comes from `--kube-version` or `kubernetesVersion` in the config.",
      },
      defaultConfiguration: { level: "error" },
      properties: { tags: ["schema"] },
    });
    expect(run.results).toEqual([
      {
        ruleId: "schema/type",
        ruleIndex: 2,
        level: "error",
        message: { text: 'Deployment prod/api: spec.replicas: expected integer, got string "3"' },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: "apps/api/base/deployment.yaml", uriBaseId: "%SRCROOT%" },
              region: { startLine: 7 },
            },
          },
        ],
        partialFingerprints: { "shipshapeFindingId/v2": "a1" },
        properties: {
          source: "schema",
          severity: "error",
          target: "apps/api/overlays/prod",
          resource: deployment,
          path: "spec.replicas",
        },
      },
      {
        ruleId: "policy/require-probes/validate-probes",
        ruleIndex: 0,
        level: "warning",
        message: { text: "Deployment prod/api: validation error: liveness and readiness probes are required" },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: "apps/api/base/deployment.yaml", uriBaseId: "%SRCROOT%" },
              region: { startLine: 12 },
            },
          },
        ],
        partialFingerprints: { "shipshapeFindingId/v2": "b2" },
        suppressions: [
          {
            kind: "external",
            status: "accepted",
            justification: "batch workers restart from their queue",
            location: {
              physicalLocation: {
                artifactLocation: { uri: ".github/shipshape.yml", uriBaseId: "%SRCROOT%" },
                region: { startLine: 20 },
              },
            },
            properties: { source: "config", where: ".github/shipshape.yml:20", expires: "2027-06-30" },
          },
        ],
        properties: { source: "policy", severity: "warning", target: "apps/api/overlays/prod", resource: deployment },
      },
      {
        ruleId: "render/helm-external-schema",
        ruleIndex: 1,
        level: "note",
        message: { text: "values.schema.json refers to a remote schema" },
        locations: [{ physicalLocation: { artifactLocation: { uri: "charts/web", uriBaseId: "%SRCROOT%" } } }],
        partialFingerprints: { "shipshapeFindingId/v2": "c3" },
        properties: { source: "render", severity: "info", target: "charts/web#prod" },
      },
    ]);
    expect(run.properties).toEqual({ base: "main", head: "feature/bump", preExistingFindings: 1 });
    expectValidSarif(output);
  });

  it("prints JSON with a two-space indent and a trailing newline", () => {
    const output = renderSarif(report());
    expect(output).toBe(
      [
        "{",
        '  "$schema": "https://json.schemastore.org/sarif-2.1.0.json",',
        '  "version": "2.1.0",',
        '  "runs": [',
        "    {",
        '      "tool": {',
        '        "driver": {',
        '          "name": "Shipshape",',
        '          "rules": []',
        "        }",
        "      },",
        '      "results": [],',
        '      "properties": {',
        '        "base": "main",',
        '        "head": "feature/bump",',
        '        "preExistingFindings": 0',
        "      }",
        "    }",
        "  ]",
        "}",
        "",
      ].join("\n"),
    );
    expectValidSarif(output);
  });

  it("gives the same output whatever order the findings come in", () => {
    const r = sampleReport();
    const reversed = { ...r, findings: [...r.findings].reverse() };
    expect(renderSarif(reversed)).toBe(renderSarif(r));
  });

  it("sorts results by severity, then rule, file, line and id", () => {
    const r = report({
      findings: [
        finding("b/rule", { id: "5", severity: "warning", file: "z.yaml", line: 1 }),
        finding("b/rule", { id: "4", severity: "warning", file: "a.yaml", line: 10 }),
        finding("b/rule", { id: "3", severity: "warning", file: "a.yaml", line: 9 }),
        finding("a/rule", { id: "2", severity: "warning", file: "z.yaml" }),
        finding("c/rule", { id: "1", severity: "error", file: "z.yaml" }),
      ],
    });
    const results = (JSON.parse(renderSarif(r)) as { runs: [{ results: { partialFingerprints: Record<string, string> }[] }] }).runs[0].results;
    expect(results.map((x) => x.partialFingerprints[FINDING_ID_FINGERPRINT])).toEqual(["1", "2", "3", "4", "5"]);
  });

  it("lists each rule once, sorted, with the most severe level its findings have", () => {
    const r = report({
      findings: [
        finding("policy/p/r", { id: "1", severity: "info", file: "a.yaml" }),
        finding("api/removed", { id: "2", severity: "error", file: "a.yaml" }),
        finding("policy/p/r", { id: "3", severity: "error", file: "b.yaml" }),
        finding("policy/p/r", { id: "4", severity: "warning", file: "c.yaml" }),
      ],
    });
    const run = (JSON.parse(renderSarif(r)) as { runs: [Run] }).runs[0];
    expect(run.tool.driver.rules.map((x) => [x.id, x.defaultConfiguration.level])).toEqual([
      ["api/removed", "error"],
      ["policy/p/r", "error"],
    ]);
    expect(run.results.map((x) => [x.ruleId, x.ruleIndex, x.level])).toEqual([
      ["api/removed", 0, "error"],
      ["policy/p/r", 1, "error"],
      ["policy/p/r", 1, "warning"],
      ["policy/p/r", 1, "note"],
    ]);
  });

  it("leaves pre-existing findings and their rules out", () => {
    const r = report({ findings: [finding("api/deprecated", { introduced: false, file: "a.yaml" })] });
    const run = (JSON.parse(renderSarif(r)) as { runs: [Run] }).runs[0];
    expect(run.results).toEqual([]);
    expect(run.tool.driver.rules).toEqual([]);
    expect(run.properties).toMatchObject({ preExistingFindings: 1 });
  });

  it("puts the version in `version` when it is not SemVer, and leaves both out when unknown", () => {
    const driver = (options: Parameters<typeof renderSarif>[1]) =>
      (JSON.parse(renderSarif(report(), options)) as { runs: [Run] }).runs[0].tool.driver as unknown as Record<string, unknown>;
    expect(driver({ toolVersion: "1.2.3-rc.1+abc" })).toMatchObject({ semanticVersion: "1.2.3-rc.1+abc" });
    expect(driver({ toolVersion: "dev-4f2a" })).toMatchObject({ version: "dev-4f2a" });
    expect(driver({ toolVersion: "dev-4f2a" })).not.toHaveProperty("semanticVersion");
    expect(Object.keys(driver({}))).toEqual(["name", "rules"]);
  });

  it("is what renderReport gives for the sarif format", () => {
    const r = sampleReport();
    expect(renderReport(r, "sarif", { toolVersion: "0.1.0", maxLength: 10, color: true })).toBe(renderSarif(r, { toolVersion: "0.1.0" }));
  });
});

describe("renderSarif locations", () => {
  const locationsOf = (f: Finding, targets = [target("apps/api"), target("charts/web#prod", { path: "charts/web" })]) => {
    const output = renderSarif(report({ targets, findings: [f] }));
    expectValidSarif(output);
    return (JSON.parse(output) as { runs: [Run] }).runs[0].results[0]!.locations;
  };
  const uriOf = (f: Finding) => locationsOf(f)?.[0]?.physicalLocation.artifactLocation.uri;

  it.each([
    ["a file and a line", { file: "apps/api/deploy.yaml", line: 4 }, [{ uri: "apps/api/deploy.yaml", startLine: 4 }]],
    ["a file without a line", { file: "apps/api/deploy.yaml" }, [{ uri: "apps/api/deploy.yaml" }]],
    ["a line that is not a SARIF line", { file: "a.yaml", line: 0 }, [{ uri: "a.yaml" }]],
    ["no file: the target's folder", { target: "apps/api" }, [{ uri: "apps/api" }]],
    ["no file, a named target: its path", { target: "charts/web#prod" }, [{ uri: "charts/web" }]],
    ["no file, a target the report does not list", { target: "compose/shop#dev" }, [{ uri: "compose/shop" }]],
    ["no file and the repository as target", { target: "." }, undefined],
  ] as const)("%s", (_name, overrides, expected) => {
    const locations = locationsOf(finding("render/failed", overrides));
    expect(
      locations?.map((l) => ({
        uri: l.physicalLocation.artifactLocation.uri,
        ...(l.physicalLocation.region ? { startLine: l.physicalLocation.region.startLine } : {}),
      })),
    ).toEqual(expected);
    for (const l of locations ?? []) expect(l.physicalLocation.artifactLocation.uriBaseId).toBe("%SRCROOT%");
  });

  it("percent-encodes path segments so the path stays a valid URI reference", () => {
    expect(uriOf(finding("r/x", { file: "apps/my app/50%/a#b?.yaml" }))).toBe("apps/my%20app/50%25/a%23b%3F.yaml");
    expect(uriOf(finding("r/x", { file: "./charts/web/values.yaml" }))).toBe("charts/web/values.yaml");
  });
});

describe("renderSarif suppressions", () => {
  const suppressionsOf = (waived: Finding["waived"]) => {
    const output = renderSarif(report({ findings: [finding("policy/p/r", { file: "a.yaml", waived })] }));
    expectValidSarif(output);
    return (JSON.parse(output) as { runs: [Run] }).runs[0].results[0]!.suppressions;
  };

  it("marks an annotation waiver as in source, located where the annotation is", () => {
    expect(suppressionsOf({ reason: "known", source: "annotation", where: "apps/api/deploy.yaml:5" })).toEqual([
      {
        kind: "inSource",
        status: "accepted",
        justification: "known",
        location: { physicalLocation: { artifactLocation: { uri: "apps/api/deploy.yaml", uriBaseId: "%SRCROOT%" }, region: { startLine: 5 } } },
        properties: { source: "annotation", where: "apps/api/deploy.yaml:5" },
      },
    ]);
  });

  it("marks a waive command as external, without a location", () => {
    expect(suppressionsOf({ reason: "ok for now", source: "comment", where: "https://github.com/o/r/pull/1#issuecomment-9" })).toEqual([
      {
        kind: "external",
        status: "accepted",
        justification: "ok for now",
        properties: { source: "comment", where: "https://github.com/o/r/pull/1#issuecomment-9" },
      },
    ]);
  });

  it("gives unwaived results no suppressions", () => {
    expect(suppressionsOf(undefined)).toBeUndefined();
  });
});

describe("renderSarif rule help", () => {
  const ruleFor = (f: Finding) => {
    const output = renderSarif(report({ findings: [f] }));
    expectValidSarif(output);
    return (JSON.parse(output) as { runs: [Run] }).runs[0].tool.driver.rules[0]!;
  };

  it.each([
    ["render/failed", "Render failed", "kubectl kustomize"],
    ["render/remote-base", "Remote Kustomize base", "Vendor the remote base"],
    ["render/something-new", "Render problem: something-new", "helm template"],
    ["config/waiver-expired", "Waiver expired", "renew the waiver"],
    ["config/other", "Configuration problem: other", ".github/shipshape.yml"],
    ["input/yaml-invalid", "Invalid YAML", "Fix the YAML"],
    ["input/other", "Input problem: other", "Fix the file"],
    ["schema/unknown-field", "Unknown field", "schema.strict: false"],
    ["schema/enum", "Schema violation: enum", "JSON path"],
    ["api/removed", "API removed", "replacement API"],
    ["api/deprecated", "API deprecated", "before the cluster is upgraded"],
    ["compose/variable-unset", "Compose problem: variable-unset", "docker compose config"],
    ["cost/threshold-exceeded", "Cost: threshold-exceeded", "under cost in"],
    ["risk/rbac-escalation", "Risk: rbac-escalation", "who must approve"],
    ["policy/policies-changed", "Policy files changed", "base branch's policies"],
    ["mystery", "Shipshape rule mystery", "shipshape check"],
    ["constructor", "Shipshape rule constructor", "shipshape check"],
  ])("%s", (ruleId, short, helpPart) => {
    const rule = ruleFor(finding(ruleId, { file: "a.yaml" }));
    expect(rule.shortDescription.text).toBe(short);
    expect(rule.help.text).toContain(helpPart);
    expect(rule.help.text).not.toContain("`");
    expect(rule.fullDescription.text.length).toBeGreaterThan(10);
    expect(rule.help.markdown.length).toBeGreaterThanOrEqual(rule.help.text.length);
  });

  it("quotes the policy's message and says how to waive it", () => {
    const rule = ruleFor(
      finding("policy/disallow-latest-tag/validate-image-tag", {
        file: "a.yaml",
        message: "validation error: using a mutable image tag e.g. 'latest' is not allowed.\nrule validate-image-tag failed",
      }),
    );
    expect(rule.shortDescription.text).toBe("Policy disallow-latest-tag: validate-image-tag");
    expect(rule.fullDescription.markdown).toContain("Kyverno policy `disallow-latest-tag`, rule `validate-image-tag`");
    expect(rule.help.text).toBe(
      [
        "The policy says: validation error: using a mutable image tag e.g. 'latest' is not allowed. rule validate-image-tag failed",
        "",
        "Fix the resource so the rule passes, or, if the finding is accepted, waive it:",
        "",
        "- in .github/shipshape.yml on the base branch: a waivers entry with policy: disallow-latest-tag/validate-image-tag (or policy: disallow-latest-tag), a reason, and optionally resource, target and expires;",
        "- or on the resource itself: the annotation shipshape.dev/waive: disallow-latest-tag with shipshape.dev/waive-reason.",
        "",
        "Waived findings stay in the report, marked with the reason, and never fail the check. The built-in policies are described in Shipshape's policies/README.md.",
      ].join("\n"),
    );
    expect(rule.help.markdown).toContain("`shipshape.dev/waive: disallow-latest-tag`");
  });

  it("escapes a policy message quoted in Markdown", () => {
    const rule = ruleFor(finding("policy/p/r", { file: "a.yaml", message: "use <b>*this*</b> @team" }));
    expect(rule.help.text.startsWith("The policy says: use <b>*this*</b> @team\n")).toBe(true);
    expect(rule.help.markdown).toContain("The policy says: use &lt;b&gt;\\*this\\*&lt;/b&gt; @&#8203;team");
  });
});

interface Run {
  tool: {
    driver: {
      rules: {
        id: string;
        shortDescription: { text: string };
        fullDescription: { text: string; markdown: string };
        help: { text: string; markdown: string };
        defaultConfiguration: { level: string };
      }[];
    };
  };
  results: {
    ruleId: string;
    ruleIndex: number;
    level: string;
    locations?: { physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region?: { startLine: number } } }[];
    suppressions?: unknown[];
  }[];
  properties: Record<string, unknown>;
}
