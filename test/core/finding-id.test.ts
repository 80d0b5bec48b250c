/** A finding's id is what it is about, never where it was seen (issue 12, found #5). */
import { describe, expect, it } from "vitest";
import { makeFinding, type FindingInput } from "../../src/core/model/finding.js";
import { markIntroduced, problemToFinding } from "../../src/core/pipeline/findings.js";

const deployment = { apiVersion: "apps/v1", kind: "Deployment", namespace: "prod", name: "api" };
const policy = (over: Partial<FindingInput> = {}): FindingInput => ({
  source: "policy",
  ruleId: "policy/require-probes/validate-probes",
  severity: "warning",
  message: "needs probes",
  target: "apps/api",
  resource: deployment,
  file: "apps/api/deploy.yaml",
  line: 3,
  key: "fail|",
  ...over,
});

describe("finding ids", () => {
  it("do not change with the file or line of a resource finding", () => {
    expect(makeFinding(policy({ file: "apps/api/deployment.yaml", line: 40 })).id).toBe(makeFinding(policy()).id);
  });

  it("differ by target, rule, resource identity (group included), path and key", () => {
    const ids = new Set(
      [
        policy(),
        policy({ target: "apps/web" }),
        policy({ ruleId: "policy/require-labels/check-required-labels" }),
        policy({ resource: { ...deployment, name: "web" } }),
        policy({ resource: { ...deployment, apiVersion: "extensions/v1beta1" } }),
        policy({ path: "spec.replicas" }),
        policy({ key: "skip|" }),
      ].map((f) => makeFinding(f).id),
    );
    expect(ids.size).toBe(7);
  });

  it("of a problem without a resource are its message without its file and line numbers", () => {
    const at = (file: string, line: number) =>
      problemToFinding({ ruleId: "input/yaml-invalid", severity: "error", message: `${file}:${line}: invalid YAML: Map keys must be unique: key "app"`, file, line }, "app");
    expect(at("app/b.yaml", 7).id).toBe(at("app/c.yaml", 9).id);
    const other = problemToFinding({ ruleId: "input/yaml-invalid", severity: "error", message: 'app/b.yaml:7: invalid YAML: Map keys must be unique: key "tier"', file: "app/b.yaml", line: 7 }, "app");
    expect(other.id).not.toBe(at("app/b.yaml", 7).id);
  });

  it("of a whole-target failure stay the same whatever the tool says", () => {
    const failed = (message: string) => problemToFinding({ ruleId: "render/failed", severity: "error", message }, "charts/web");
    expect(failed("Error: template: web/templates/a.yaml:3: bad").id).toBe(failed("Error: parse error in b.yaml").id);
  });

  it("decide introduced, and copies of one finding are listed once", () => {
    const base = [makeFinding(policy({ file: "old.yaml" }))];
    const head = [makeFinding(policy({ file: "new.yaml" })), makeFinding(policy({ file: "copy.yaml" })), makeFinding(policy({ path: "spec.x" }))];
    expect(markIntroduced(head, base).map((f) => [f.file, f.path ?? "", f.introduced])).toEqual([
      ["new.yaml", "", false],
      ["apps/api/deploy.yaml", "spec.x", true],
    ]);
  });
});

describe("the same problem without a resource at several places", () => {
  it("is numbered, so each place keeps a finding and ids stay distinct", () => {
    const doc = (file: string, line: number) =>
      problemToFinding({ ruleId: "input/not-a-resource", severity: "warning", message: `${file}:${line}: document has no apiVersion and kind`, file, line, key: "document has no apiVersion and kind" }, "app");
    const head = markIntroduced([doc("app/a.yaml", 1), doc("app/b.yaml", 4)], [doc("app/a.yaml", 1)]);
    expect(head.map((f) => [f.file, f.introduced])).toEqual([
      ["app/a.yaml", false],
      ["app/b.yaml", true],
    ]);
    expect(new Set(head.map((f) => f.id)).size).toBe(2);
  });
});
