import { describe, expect, it } from "vitest";
import { matchPattern } from "../../src/policy/pattern/match.js";
import { validateValue } from "../../src/policy/pattern/value.js";

describe("pattern values and operators", () => {
  it.each<[unknown, unknown, boolean]>([
    ["nginx:1.25", "*:*", true],
    ["nginx", "*:*", false],
    ["nginx:latest", "!*:latest", false],
    ["nginx:1.2", "!*:latest", true],
    ["abc", "?*", true],
    ["", "?*", false],
    [undefined, "?*", false],
    ["RuntimeDefault", "RuntimeDefault | Localhost", true],
    ["Unconfined", "RuntimeDefault | Localhost", false],
    ["eu.foo.io/app:1", "eu.foo.io/* | bar.io/*", true],
    ["docker.io/app:1", "eu.foo.io/* | bar.io/*", false],
    [5, ">0", true],
    [0, ">0", false],
    [undefined, ">0", false],
    [1000, "<=1000", true],
    ["512Mi", "<1Gi", true],
    ["2Gi", "<1Gi", false],
    ["500m", ">=0.5", true],
    ["1h", ">30m0s", true],
    [5500, "5000-6000", true],
    [4000, "5000-6000", false],
    [4000, "5000!-6000", true],
    [5500, "5000!-6000", false],
    [7, ">5 & <10", true],
    [12, ">5 & <10", false],
    [false, "false", true],
    [true, "false", false],
    [false, false, true],
    ["false", false, false],
    [true, true, true],
    [0, 0, true],
    ["0", 0, true],
    [1, 0, false],
    [1.5, 1.5, true],
    [undefined, null, true],
    ["", null, true],
    [0, null, true],
    [false, null, true],
    ["x", null, false],
    [{}, null, false],
    ["default", "!default", false],
    ["prod", "!default", true],
    [{ a: 1 }, { a: 2 }, true],
    [[1], { a: 1 }, false],
  ])("%j against %j → %s", (value, pattern, expected) => {
    expect(validateValue(value, pattern)).toBe(expected);
  });
});

describe("anchors", () => {
  const pod = (spec: Record<string, unknown>) => ({ metadata: { name: "p" }, spec });

  it.each<[string, unknown, unknown, string]>([
    // equality =(k): checked only when present
    ["equality absent", pod({}), { spec: { "=(hostPID)": "false" } }, "pass"],
    ["equality present and ok", pod({ hostPID: false }), { spec: { "=(hostPID)": "false" } }, "pass"],
    ["equality present and wrong", pod({ hostPID: true }), { spec: { "=(hostPID)": "false" } }, "fail"],
    // negation X(k): key must be absent
    ["negation absent", pod({ containers: [] }), { spec: { "X(hostNetwork)": "null" } }, "pass"],
    ["negation present", pod({ hostNetwork: false }), { spec: { "X(hostNetwork)": "null" } }, "fail"],
    // conditional (k): when the condition does not hold the rule does not apply
    ["condition holds, check fails", pod({ hostNetwork: true, hostPID: true }), { spec: { "(hostNetwork)": true, hostPID: false } }, "fail"],
    ["condition holds, check passes", pod({ hostNetwork: true, hostPID: false }), { spec: { "(hostNetwork)": true, hostPID: false } }, "pass"],
    ["condition does not hold", pod({ hostNetwork: false, hostPID: true }), { spec: { "(hostNetwork)": true, hostPID: false } }, "skip"],
    ["condition key missing", pod({ hostPID: true }), { spec: { "(hostNetwork)": true, hostPID: false } }, "skip"],
    // conditional anchors inside a list of maps: elements that do not satisfy are skipped
    [
      "list: matching element violates",
      pod({ containers: [{ name: "web", image: "nginx:latest" }, { name: "db", image: "pg:latest" }] }),
      { spec: { containers: [{ "(name)": "web", image: "!*:latest" }] } },
      "fail",
    ],
    [
      "list: no element satisfies the condition",
      pod({ containers: [{ name: "db", image: "pg:latest" }] }),
      { spec: { containers: [{ "(name)": "web", image: "!*:latest" }] } },
      "skip",
    ],
    // global <(k): if it does not hold anywhere, the whole rule is skipped
    [
      "global anchor does not hold",
      pod({ containers: [{ name: "c", image: "nginx:1", imagePullPolicy: "IfNotPresent" }] }),
      { spec: { containers: [{ "<(image)": "*:latest", imagePullPolicy: "Always" }] } },
      "skip",
    ],
    [
      "global anchor holds and check fails",
      pod({ containers: [{ name: "c", image: "nginx:latest", imagePullPolicy: "IfNotPresent" }] }),
      { spec: { containers: [{ "<(image)": "*:latest", imagePullPolicy: "Always" }] } },
      "fail",
    ],
    // existence ^(k): at least one element must match
    ["existence: one matches", pod({ containers: [{ image: "a" }, { image: "nginx:1" }] }), { spec: { "^(containers)": [{ image: "nginx:*" }] } }, "pass"],
    ["existence: none matches", pod({ containers: [{ image: "a" }] }), { spec: { "^(containers)": [{ image: "nginx:*" }] } }, "fail"],
    ["existence: key absent", pod({}), { spec: { "^(containers)": [{ image: "nginx:*" }] } }, "pass"],
    // plain keys and "*"
    ["required key missing", pod({}), { spec: { containers: [{ image: "*" }] } }, "fail"],
    ["empty list satisfies a list pattern", pod({ containers: [] }), { spec: { containers: [{ image: "x" }] } }, "pass"],
    ["* requires presence", pod({}), { spec: { nodeName: "*" } }, "fail"],
    ["* accepts any value", pod({ nodeName: "n1" }), { spec: { nodeName: "*" } }, "pass"],
    ["scalar pattern on a list checks every item", pod({ args: ["-a", "-b"] }), { spec: { args: "-*" } }, "pass"],
    ["scalar pattern on a list with a bad item", pod({ args: ["-a", "b"] }), { spec: { args: "-*" } }, "fail"],
    // wildcard keys in metadata labels/annotations
    [
      "wildcard annotation key, bad value",
      { metadata: { annotations: { "container.apparmor.security.beta.kubernetes.io/c": "unconfined" } } },
      { "=(metadata)": { "=(annotations)": { "=(container.apparmor.security.beta.kubernetes.io/*)": "runtime/default | localhost/*" } } },
      "fail",
    ],
    [
      "wildcard annotation key, good value",
      { metadata: { annotations: { "container.apparmor.security.beta.kubernetes.io/c": "localhost/x" } } },
      { "=(metadata)": { "=(annotations)": { "=(container.apparmor.security.beta.kubernetes.io/*)": "runtime/default | localhost/*" } } },
      "pass",
    ],
    ["wildcard label key required", { metadata: { labels: { "team.x/name": "a" } } }, { metadata: { labels: { "team.*/name": "?*" } } }, "pass"],
    ["wildcard label key missing", { metadata: { labels: { other: "a" } } }, { metadata: { labels: { "team.*/name": "?*" } } }, "fail"],
  ])("%s", (_name, resource, pattern, expected) => {
    expect(matchPattern(resource, pattern).status).toBe(expected);
  });

  it("reports the JSON path of the offending field", () => {
    const r = matchPattern(pod({ containers: [{ image: "ok:1" }, { image: "bad:latest" }] }), { spec: { containers: [{ image: "!*:latest" }] } });
    expect(r).toMatchObject({ status: "fail", path: "/spec/containers/1/image/" });
  });

  it("is an error when an anchored key is missing and something else fails (Kyverno's missing-anchor case)", () => {
    expect(matchPattern({ spec: { a: 1 } }, { spec: { "^(list)": [{ x: 1 }], a: 2 } }).status).toBe("error");
    expect(matchPattern({ spec: { a: 1 } }, { spec: { "X(list)": "null", a: 2 } }).status).toBe("fail");
    expect(matchPattern({ spec: { a: 1 } }, { spec: { a: 2 } }).status).toBe("fail");
  });
});
