/** The inputs as the runner passes them (`INPUT_<NAME>` variables), read through @actions/core. */
import { afterEach, describe, expect, it } from "vitest";
import { parseInputs } from "../../action/src/inputs.js";
import { inputVariable } from "./runner.js";

const set: string[] = [];

/** Sets the step's inputs the way the runner does, for one parse. */
function withInputs(inputs: Record<string, string>): ReturnType<typeof parseInputs> {
  for (const [name, value] of Object.entries(inputs)) {
    process.env[inputVariable(name)] = value;
    set.push(inputVariable(name));
  }
  return parseInputs();
}

afterEach(() => {
  for (const key of set.splice(0)) delete process.env[key];
});

describe("parseInputs", () => {
  it("reads INPUT_* variables by upper-cased name, dashes kept", () => {
    expect(inputVariable("fail-on")).toBe("INPUT_FAIL-ON");
    process.env["INPUT_FAIL-ON"] = "high";
    set.push("INPUT_FAIL-ON");
    expect(parseInputs()).toMatchObject({ ok: true, inputs: { failOn: "high" } });
  });

  it("applies the defaults to empty inputs", () => {
    expect(withInputs({})).toEqual({ ok: true, inputs: { comment: true, checkRun: true, workingDirectory: "." } });
    expect(withInputs({ "fail-on": "", comment: "", "kube-version": "  " })).toEqual({ ok: true, inputs: { comment: true, checkRun: true, workingDirectory: "." } });
  });

  it("reads every input, trimmed", () => {
    const result = withInputs({
      "github-token": "ghs_x",
      config: "ci/shipshape.yml",
      "base-ref": " origin/main ",
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
    const result = withInputs(raw);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.join("\n")).toContain(message);
  });

  it("reports every bad input at once", () => {
    const result = withInputs({ "fail-on": "x", comment: "y", "check-run": "z" });
    expect(result.ok ? [] : result.errors).toHaveLength(3);
  });
});
