/**
 * `shipshape check --format sarif` on the bundled demo repository, validated against the
 * SARIF 2.1.0 schema, and held against the JSON report of the same run.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../../src/core/model/report.js";
import { PROJECT_ROOT, runCli } from "../helpers/cli.js";

const args = ["check", "--base", "fixtures/demo/base", "--head", "fixtures/demo/head"];
/** Values of the demo Secret, clear and base64 (as in demo.test.ts). */
const SECRET_VALUES = ["ZGVtby1wYXNzd29yZC0xMjM=", "ZGVtby1wYXNzd29yZC00NTY=", "ZGVtby1yZXBsaWNhLTc4OQ==", "demo-password-456", "demo-replica-789"];

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations?: { physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region?: { startLine: number } } }[];
  partialFingerprints: Record<string, string>;
}

interface SarifRun {
  tool: { driver: { name: string; rules: { id: string }[] } };
  results: SarifResult[];
  properties: Record<string, unknown>;
}

let sarif: string;
let run: SarifRun;
let report: Report;

beforeAll(async () => {
  const fromSarif = await runCli([...args, "--format", "sarif"]);
  expect(fromSarif.code, fromSarif.stderr).toBe(0);
  sarif = fromSarif.stdout;
  run = (JSON.parse(sarif) as { runs: SarifRun[] }).runs[0]!;
  const fromJson = await runCli([...args, "--format", "json"]);
  expect(fromJson.code, fromJson.stderr).toBe(0);
  report = JSON.parse(fromJson.stdout) as Report;
}, 120_000);

describe("shipshape check --format sarif on fixtures/demo", () => {
  it("prints a log the SARIF 2.1.0 schema accepts", () => {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormatsModule.default(ajv);
    const schema = JSON.parse(readFileSync(join(PROJECT_ROOT, "fixtures", "sarif", "sarif-schema-2.1.0.json"), "utf8")) as object;
    const validate = ajv.compile(schema);
    const valid = validate(JSON.parse(sarif));
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    expect(sarif.endsWith("}\n")).toBe(true);
  });

  it("reports exactly the findings the change introduces, by their stable ids", () => {
    const introduced = report.findings.filter((f) => f.introduced);
    expect(run.results.map((r) => [r.ruleId, r.level, r.partialFingerprints["shipshapeFindingId/v2"]])).toEqual([
      ...introduced.filter((f) => f.severity === "warning").map((f) => [f.ruleId, "warning", f.id]),
      ...introduced.filter((f) => f.severity === "info").map((f) => [f.ruleId, "note", f.id]),
    ]);
    expect(run.results.map((r) => r.ruleId).sort()).toEqual(["policy/restrict-service-exposure/flag-external-service-types", "schema/no-schema"]);
    expect(run.properties).toEqual({
      base: "fixtures/demo/base",
      head: "fixtures/demo/head",
      preExistingFindings: report.findings.length - introduced.length,
      coverage: {
        changedFiles: report.coverage!.changedFiles,
        reviewed: report.coverage!.reviewed.length,
        notInfrastructure: report.coverage!.notInfrastructure,
        notReviewed: report.coverage!.notReviewed.length,
      },
      // The prod overlay's new PodDisruptionBudget fixes require-pdb there.
      resolvedFindings: 1,
      outcome: { exitCode: 0, failOn: "error", reason: "nothing at or above --fail-on=error (not counted: 1 error pre-existing)" },
    });
    // The demo's one file left out on purpose (the config ignores examples/).
    expect(report.coverage!.notReviewed.map((f) => [f.file, f.reason])).toEqual([["examples/debug-pod.yaml", "ignored"]]);
  });

  it("describes each rule in use once, and points results at them", () => {
    expect(run.tool.driver.name).toBe("Shipshape");
    expect(run.tool.driver.rules.map((r) => r.id)).toEqual(["policy/restrict-service-exposure/flag-external-service-types", "schema/no-schema"]);
    for (const r of run.results) expect(run.tool.driver.rules[r.ruleIndex]!.id).toBe(r.ruleId);
  });

  it("locates every result at a file of the head side, with a line", () => {
    for (const r of run.results) {
      const location = r.locations?.[0]?.physicalLocation;
      expect(location?.artifactLocation.uriBaseId).toBe("%SRCROOT%");
      expect(existsSync(join(PROJECT_ROOT, "fixtures", "demo", "head", decodeURIComponent(location!.artifactLocation.uri))), location!.artifactLocation.uri).toBe(true);
      expect(location?.region?.startLine).toBeGreaterThanOrEqual(1);
    }
    const noSchema = run.results.find((r) => r.ruleId === "schema/no-schema")!;
    expect(noSchema.locations).toEqual([
      {
        physicalLocation: {
          artifactLocation: { uri: "apps/api/overlays/prod/servicemonitor.yaml", uriBaseId: "%SRCROOT%" },
          region: { startLine: 3 },
        },
      },
    ]);
  });

  it("never shows a Secret value", () => {
    for (const value of SECRET_VALUES) expect(sarif, `leaks ${value}`).not.toContain(value);
  });

  it("lists sarif among the formats in usage errors", async () => {
    const bad = await runCli(["check", "--base", "a", "--head", "b", "--format", "yaml"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--format must be one of text, markdown, json, sarif (got "yaml")');
  });
});
