import { describe, expect, it } from "vitest";
import { makeFinding, type Finding } from "../../src/core/model/finding.js";
import { unmarkMoved } from "../../src/core/pipeline/moved-targets.js";

const finding = (target: string, namespace: string, rule = "policy/require-healthcheck", name = "vote"): Finding =>
  makeFinding({
    source: "policy",
    ruleId: rule,
    severity: "warning",
    message: `service ${name} has no healthcheck`,
    target,
    resource: { apiVersion: "compose/v1", kind: "Service", namespace, name },
    file: `${target}/docker-compose.yml`,
    line: 3,
  });

describe("findings of a moved target", () => {
  it("are not new when a base-only target of the same type had them, whatever the folder and project name", () => {
    const before = finding("vote-apps", "vote-apps");
    const after = finding(".", "example-voting-app");
    const fresh = finding(".", "example-voting-app", "policy/compose-pinned-images");
    const moved = unmarkMoved([{ type: "compose", findings: [after, fresh] }], [{ type: "compose", findings: [before] }]);
    expect(moved.get(after)?.introduced).toBe(false);
    // A problem the old folder did not have is still new.
    expect(moved.has(fresh)).toBe(false);
  });

  it("are compared only with targets of the same type", () => {
    const moved = unmarkMoved([{ type: "compose", findings: [finding(".", "a")] }], [{ type: "manifests", findings: [finding("old", "a")] }]);
    expect(moved.size).toBe(0);
  });
});
