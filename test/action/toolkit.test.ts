/**
 * The Action's side of the runner (action/src/toolkit.ts over @actions/core), read the way the
 * runner reads it: standard output for log lines, groups, annotations and masks, the
 * GITHUB_OUTPUT file for step outputs, the GITHUB_STEP_SUMMARY file for the job summary.
 */
import { describe, expect, it } from "vitest";
import { createToolkit } from "../../action/src/toolkit.js";
import { REDACTED, SecretSet } from "../../src/core/secrets/secret-set.js";
import { onRunner } from "./runner.js";

const SECRET = "hunter2-CanaryToolkitSecret";

describe("annotations", () => {
  it("carry title, file and line, escaped so repository text cannot end or add a property", async () => {
    const { stdout } = await onRunner({}, async () => {
      const out = createToolkit(new SecretSet());
      out.annotate({ level: "error", message: "bad\nthing: 50%", properties: { title: "Shipshape: x/y", file: "a,b.yaml", startLine: 12 } });
      out.annotate({ level: "notice", message: "n" });
      out.annotate({ level: "warning", message: "w", properties: { file: "f.yaml" } });
    });
    expect(stdout).toBe("::error title=Shipshape%3A x/y,file=a%2Cb.yaml,line=12::bad%0Athing: 50%25\n::notice::n\n::warning file=f.yaml::w\n");
  });

  it("are scrubbed, message and properties", async () => {
    const { stdout } = await onRunner({}, async () => {
      createToolkit(SecretSet.of([SECRET])).annotate({ level: "warning", message: `saw ${SECRET}`, properties: { title: SECRET, file: `${SECRET}.yaml` } });
    });
    expect(stdout).not.toContain(SECRET);
    expect(stdout).toBe(`::warning title=${REDACTED},file=${REDACTED}.yaml::saw ${REDACTED}\n`);
  });
});

describe("log lines and groups", () => {
  it("cannot start a command, indented or not, nor hold the legacy form; a reader sees the same text", async () => {
    const text = "report\n::error file=a::forged\n    ::stop-commands::x\nvalue ##[set-output name=a;]b\n";
    const { stdout } = await onRunner({}, async () => {
      const out = createToolkit(new SecretSet());
      out.startGroup("Shipshape report");
      out.log(text);
      out.endGroup();
    });
    const lines = stdout.split("\n");
    expect(lines[0]).toBe("::group::Shipshape report");
    expect(lines.at(-2)).toBe("::endgroup::");
    for (const line of lines.slice(1, -2)) {
      expect(line.trimStart().startsWith("::")).toBe(false);
      expect(line).not.toContain("##[");
    }
    expect(lines.slice(1, -2).join("\n").replace(/\u200b/g, "")).toBe(text.trimEnd());
  });

  it("are scrubbed, debug lines too", async () => {
    const { stdout } = await onRunner({}, async () => {
      const out = createToolkit(SecretSet.of([SECRET]));
      out.log(`token ${SECRET}`);
      out.debug(`token ${SECRET}`);
    });
    expect(stdout).toBe(`token ${REDACTED}\n::debug::token ${REDACTED}\n`);
  });
});

describe("masks", () => {
  it("tell the runner every value of the secret set once, derived forms included, even ones added later", async () => {
    const secrets = SecretSet.ofCredentials([SECRET]);
    const { stdout } = await onRunner({}, async () => {
      const out = createToolkit(secrets);
      out.mask();
      out.mask();
      secrets.add("s3cr%t\nline-two-of-it");
      out.mask();
    });
    const masks = stdout.split("\n").filter(Boolean);
    expect(masks.every((l) => l.startsWith("::add-mask::"))).toBe(true);
    expect(masks[0]).toBe(`::add-mask::${SECRET}`);
    expect(masks).toContain(`::add-mask::${Buffer.from(SECRET).toString("base64").replace(/=+$/, "")}`);
    // Escaped like any command's data: the runner unescapes it before masking.
    expect(masks).toContain("::add-mask::s3cr%25t%0Aline-two-of-it");
    expect(masks).toContain("::add-mask::line-two-of-it");
    expect(new Set(masks).size).toBe(masks.length);
  });
});

describe("the GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files", () => {
  it("hold each output as a heredoc with its own random delimiter, a value of several lines intact", async () => {
    const view = await onRunner({}, async () => createToolkit(new SecretSet()).setOutputs({ "risk-level": "high", findings: "multi\nline\nfindings<<EOF\nforged\nEOF" }));
    const match = /^risk-level<<(ghadelimiter_[0-9a-f-]{36})\nhigh\n\1\nfindings<<(ghadelimiter_[0-9a-f-]{36})\nmulti\nline\nfindings<<EOF\nforged\nEOF\n\2\n$/.exec(view.outputFile);
    expect(match, view.outputFile).not.toBeNull();
    expect(match![1]).not.toBe(match![2]);
    expect(view.outputs).toEqual({ "risk-level": "high", findings: "multi\nline\nfindings<<EOF\nforged\nEOF" });
  });

  it("get scrubbed outputs and an appended summary", async () => {
    const view = await onRunner({}, async () => {
      const out = createToolkit(SecretSet.of([SECRET]));
      out.setOutputs({ "cost-delta": `${SECRET} USD` });
      await out.summary("## One");
      await out.summary(`## Two ${SECRET}\n`);
      return out.withheld;
    });
    expect(view.result).toBe(false);
    expect(view.outputs).toEqual({ "cost-delta": `${REDACTED} USD` });
    expect(view.summary).toBe(`## One\n## Two ${REDACTED}\n`);
    expect(view.stdout).toBe("");
  });

  it("are left alone outside a runner: no deprecated set-output command on standard output", async () => {
    const view = await onRunner(
      {},
      async () => {
        const out = createToolkit(new SecretSet());
        out.setOutputs({ findings: "2" });
        await out.summary("## Shipshape");
      },
      { files: false },
    );
    expect(view.stdout).toBe("");
    expect(view.outputFile + view.summary).toBe("");
  });
});
