import { describe, expect, it } from "vitest";
import { parseInputs, readRawInputs } from "../../action/src/inputs.js";

describe("readRawInputs", () => {
  it("keeps INPUT_* variables by lower-case name, dashes included", () => {
    const raw = readRawInputs({ "INPUT_GITHUB-TOKEN": "t", "INPUT_FAIL-ON": "high", INPUT_SARIF: "", PATH: "/bin", GITHUB_SHA: "abc" });
    expect(raw).toEqual({ "github-token": "t", "fail-on": "high", sarif: "" });
  });
});

describe("parseInputs", () => {
  it("applies the defaults to empty inputs", () => {
    expect(parseInputs({})).toEqual({ ok: true, inputs: { comment: true, checkRun: true, workingDirectory: "." } });
    expect(parseInputs({ "fail-on": "", comment: "", "kube-version": "  " })).toEqual({ ok: true, inputs: { comment: true, checkRun: true, workingDirectory: "." } });
  });

  it("reads every input", () => {
    const result = parseInputs({
      "github-token": "ghs_x",
      config: "ci/shipshape.yml",
      "base-ref": "origin/main",
      "head-ref": "HEAD",
      "kube-version": "1.31.4",
      "fail-on": "high",
      comment: "false",
      "check-run": "FALSE",
      sarif: "shipshape.sarif",
      "working-directory": "infra",
    });
    expect(result).toEqual({
      ok: true,
      inputs: {
        token: "ghs_x",
        config: "ci/shipshape.yml",
        baseRef: "origin/main",
        headRef: "HEAD",
        kubeVersion: "1.31",
        failOn: "high",
        comment: false,
        checkRun: false,
        sarif: "shipshape.sarif",
        workingDirectory: "infra",
      },
    });
  });

  it.each([
    [{ "fail-on": "errors" }, 'input fail-on: "errors" is not allowed; allowed values: never, info, warning, error, low, medium, high, critical'],
    [{ comment: "yes" }, 'input comment: "yes" is not a boolean; allowed values: true, false'],
    [{ "check-run": "0" }, 'input check-run: "0" is not a boolean; allowed values: true, false'],
    [{ "kube-version": "1.12" }, 'input kube-version: "1.12" is not a bundled Kubernetes version; allowed values: 1.28,'],
    [{ "base-ref": "--upload-pack=x" }, 'input base-ref: "--upload-pack=x" is not a git revision (it starts with "-")'],
  ])("rejects %j", (raw, message) => {
    const result = parseInputs(raw);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.join("\n")).toContain(message);
  });

  it("reports every bad input at once", () => {
    const result = parseInputs({ "fail-on": "x", comment: "y", "check-run": "z" });
    expect(result.ok ? [] : result.errors).toHaveLength(3);
  });
});
