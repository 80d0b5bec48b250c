/**
 * The chart pull is the one tool run with the network: nothing from the repository may widen it.
 */
import { describe, expect, it } from "vitest";
import { helmPullArgv } from "../../src/render/argv.js";
import { checkAllowedHost } from "../../src/render/flux/allowed-hosts.js";

describe("helm pull command line", () => {
  it.each([
    ["a chart name written as an option", { chart: "--repo=http://evil.test", version: "1.0.0" }],
    ["a chart name with a path", { chart: "../../etc/passwd", version: "1.0.0" }],
    ["a version written as an option", { chart: "podinfo", version: "--insecure-skip-tls-verify" }],
    ["a version with a newline", { chart: "podinfo", version: "1.0.0\n--debug" }],
  ])("refuses %s", (_what, req) => {
    expect(helmPullArgv({ destination: "/scratch/pull", repoUrl: "https://charts.example.com", ...req })).toBeUndefined();
  });

  it("puts the chart after -- and every value after =", () => {
    expect(helmPullArgv({ destination: "/scratch/pull", repoUrl: "https://charts.example.com/x", chart: "podinfo", version: ">=6.0.0 <7" })).toEqual([
      "pull",
      "--destination=/scratch/pull",
      "--version=>=6.0.0 <7",
      "--repo=https://charts.example.com/x",
      "--",
      "podinfo",
    ]);
    expect(helmPullArgv({ destination: "/d", repoUrl: "oci://registry.example.com/charts", chart: "podinfo" })).toEqual(["pull", "--destination=/d", "--", "oci://registry.example.com/charts/podinfo"]);
  });
});

describe("allowed chart hosts", () => {
  const allowed = ["charts.example.com", "127.0.0.1:8080"];
  it.each([
    ["https://charts.example.com/stable", true],
    ["oci://charts.example.com/charts", true],
    ["http://127.0.0.1:8080/charts", true],
    // A host the pull request adds, a port the config does not list, look-alike hosts.
    ["https://charts.example.com.evil.test/x", false],
    ["https://evil.test/charts.example.com", false],
    ["http://127.0.0.1:8081/charts", false],
    ["http://127.0.0.1/charts", false],
    ["https://user:pass@charts.example.com/x", false],
    ["file:///etc/passwd", false],
    ["git::https://charts.example.com", false],
  ])("%s → %s", (url, ok) => {
    expect(checkAllowedHost(url, allowed).ok).toBe(ok);
  });
});
