import { describe, expect, it } from "vitest";
import { NotFoundError, search, searchLenient } from "../../src/policy/jmespath/search.js";

const data = {
  request: {
    operation: "CREATE",
    object: {
      metadata: { name: "web", labels: { app: "web", "app.kubernetes.io/name": "shop" } },
      spec: {
        containers: [
          { name: "a", image: "nginx:1.25", securityContext: { capabilities: { drop: ["all"], add: ["NET_ADMIN"] } }, ports: [{ hostPort: 80 }, { containerPort: 8080 }] },
          { name: "b", image: "busybox", livenessProbe: { httpGet: { port: 80 } } },
        ],
        initContainers: [{ name: "init", image: "alpine:3", ports: [{ hostPort: 5001 }] }],
      },
    },
  },
};

describe("JMESPath expressions", () => {
  it.each([
    ["request.object.metadata.name", "web"],
    ["request.object.spec.containers[0].name", "a"],
    ["request.object.spec.containers[-1].name", "b"],
    ["request.object.spec.containers[*].name", ["a", "b"]],
    ["request.object.spec.containers[].image", ["nginx:1.25", "busybox"]],
    ["request.object.spec.[initContainers, containers][].ports[].hostPort", [5001, 80]],
    ["request.object.spec.[ephemeralContainers, initContainers, containers][].name", ["init", "a", "b"]],
    ["request.object.spec.containers[?name == 'b'].image | [0]", "busybox"],
    ["request.object.spec.containers[?livenessProbe].name", ["b"]],
    ["request.object.metadata.labels.\"app.kubernetes.io/name\"", "shop"],
    ["request.object.spec.containers[0].securityContext.capabilities.drop[].to_upper(@)", ["ALL"]],
    ["request.object.spec.containers[1].securityContext.capabilities.drop[] || `[]`", []],
    ["request.object.spec.containers[0].keys(@)", ["name", "image", "securityContext", "ports"]],
    ["length(request.object.spec.containers)", 2],
    ["request.object.spec.containers[].name | join(',', @)", "a,b"],
    ["request.object.spec.containers[0:1].name", ["a"]],
    ["request.object.spec.containers[::-1].name", ["b", "a"]],
    ["{n: request.object.metadata.name, c: length(request.object.spec.containers)}", { n: "web", c: 2 }],
    ["request.operation || 'BACKGROUND'", "CREATE"],
    ["request.object.missing || 'default'", "default"],
    ["!(request.object.spec.hostNetwork)", true],
    // `!` binds tighter than `.`, as in every reference implementation.
    ["!request.object.spec.hostNetwork", null],
    ["request.object.spec.containers[?ports[?hostPort > `100`]].name", []],
    ["request.object.spec.initContainers[?ports[?hostPort > `100`]].name", ["init"]],
    ["sort_by(request.object.spec.containers, &name)[0].name", "a"],
    ["max_by(request.object.spec.containers, &length(name)).name", "a"],
    ["to_string(`1`)", "1"],
    ["type(`null`)", "null"],
    ["contains(request.object.spec.containers[].name, 'b')", true],
  ])("%s", (expr, expected) => {
    expect(search(expr, data)).toEqual(expected);
  });
});

describe("Kyverno JMESPath functions", () => {
  it.each([
    ["split('a,b,c', ',')", ["a", "b", "c"]],
    ["to_upper('abc')", "ABC"],
    ["to_lower('ABC')", "abc"],
    ["truncate('abcdef', `3`)", "abc"],
    ["regex_match('^nginx:[0-9.]+$', 'nginx:1.25')", true],
    ["regex_match('(?i)^NGINX', 'nginx:1.25')", true],
    ["regex_replace_all('(\\w+):(\\w+)', 'a:b', '$2:$1')", "b:a"],
    ["regex_replace_all_literal('[0-9]', 'a1b2', 'X')", "aXbX"],
    ["pattern_match('*:latest', 'nginx:latest')", true],
    ["label_match(`{\"app\":\"web\"}`, `{\"app\":\"web\",\"tier\":\"fe\"}`)", true],
    ["label_match(`{\"app\":\"db\"}`, `{\"app\":\"web\"}`)", false],
    ["base64_decode('aGVsbG8=')", "hello"],
    ["base64_encode('hello')", "aGVsbG8="],
    ["parse_json('{\"a\": [1, 2]}').a[1]", 2],
    ["parse_yaml('a:\n  b: 3').a.b", 3],
    ["lookup(`{\"a\": 1}`, 'a')", 1],
    ["lookup(`[10, 20]`, `1`)", 20],
    ["items(`{\"b\": 2, \"a\": 1}`, 'key', 'value')", [{ key: "a", value: 1 }, { key: "b", value: 2 }]],
    ["object_from_lists(`[\"a\", \"b\"]`, `[1, 2]`)", { a: 1, b: 2 }],
    ["add(`1`, `2`)", 3],
    ["add('1Gi', '512Mi')", "1536Mi"],
    // "30m" reads as a quantity (30 milli) before a duration, as in Kyverno; "30m0s" is a duration.
    ["subtract('1h', '30m0s')", "30m0s"],
    ["multiply('250m', `4`)", "1"],
    ["divide('1Gi', '512Mi')", 2],
    ["divide(`10`, `4`)", 2.5],
    ["sum(`[1, 2, 3]`)", 6],
    ["sum(`[\"100m\", \"200m\"]`)", "300m"],
    ["round(`2.456`, `1`)", 2.5],
    ["equal_fold('ABC', 'abc')", true],
    ["replace_all('a-b-c', '-', '_')", "a_b_c"],
    ["trim_prefix('v1.2', 'v')", "1.2"],
    ["semver_compare('1.4.2', '>=1.0.0 <2.0.0')", true],
    ["semver_compare('2.0.0', '<2.0.0')", false],
    ["compare('a', 'b')", -1],
    ["time_diff('2024-01-01T00:00:00Z', '2024-01-01T01:30:00Z')", "1h30m0s"],
    ["time_add('2024-01-01T00:00:00Z', '1h')", "2024-01-01T01:00:00Z"],
    ["time_before('2024-01-01T00:00:00Z', '2024-01-02T00:00:00Z')", true],
  ])("%s", (expr, expected) => {
    expect(search(expr, {})).toEqual(expected);
  });

  it("reports unknown functions and wrong argument types as errors", () => {
    expect(() => search("no_such_function(@)", {})).toThrow(/unknown function/);
    expect(() => search("to_upper(`1`)", {})).toThrow(/invalid type/);
    expect(() => search("divide(`1`, `0`)", {})).toThrow(/division by zero/);
    expect(() => search("subtract('1h', '30m')", {})).toThrow(/invalid operands/);
  });
});

describe("strict plain paths (Kyverno's Unknown key error)", () => {
  it("a plain path naming a missing key fails", () => {
    expect(() => search("request.object.metadata.annotations.team", data)).toThrow(NotFoundError);
    expect(() => search("request.object.metadata.annotations.team", data)).toThrow('Unknown key "annotations" in path');
  });
  it("other expressions follow the JMESPath spec and give null", () => {
    expect(search("request.object.metadata.annotations.team || ''", data)).toBe("");
    expect(search("request.object.spec.ephemeralContainers[].name", data)).toBeNull();
    expect(searchLenient("request.object.metadata.annotations.team", data)).toBeNull();
  });
  it("syntax errors are errors", () => {
    expect(() => search("request.object.[", data)).toThrow(/syntax error/);
  });
});
