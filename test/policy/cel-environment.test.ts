/**
 * The CEL environment: optional syntax, the Kubernetes libraries, and the limits that stop a
 * hostile expression (nested comprehensions) quickly.
 */
import { describe, expect, it } from "vitest";
import { compileCel } from "../../src/policy/cel/environment.js";
import { fromCel, toCelInput } from "../../src/policy/cel/values.js";
import { desugarOptionals } from "../../src/policy/cel/optional-syntax.js";

const object = toCelInput({
  metadata: { name: "web", labels: { "app.kubernetes.io/name": "web" } },
  spec: { replicas: 3, containers: [{ name: "app", image: "nginx:latest", securityContext: { privileged: true } }] },
});

function run(expression: string, bindings: Record<string, unknown> = { object }): unknown {
  const out = compileCel(expression).run(bindings as never);
  return out.ok ? fromCel(out.value) : `ERROR ${out.error}`;
}

describe("CEL environment", () => {
  it("rewrites optional syntax but leaves string literals alone", () => {
    expect(desugarOptionals("a.?b[?'k.?x'].orValue('[?]')")).toBe("a.optSelect__('b').optIndex__('k.?x').orValue('[?]')");
    expect(desugarOptionals("[?x, y] + a[0]")).toBe("optList__([optEntry__(x), y]) + a[0]");
    expect(desugarOptionals("c.?s.allow.orValue(true) && c.x.y")).toBe("c.optSelect__('s').optSelect__('allow').orValue(true) && c.x.y");
    expect(desugarOptionals("c.?s[0].name")).toBe("c.optSelect__('s').optIndex__(0).optSelect__('name')");
  });

  it("evaluates optionals, integers, strings and the Kubernetes libraries", () => {
    expect(run("object.metadata.?labels[?'app.kubernetes.io/name'].orValue('') != ''")).toBe(true);
    expect(run("object.spec.?initContainers.orValue([]).size()")).toBe(0);
    expect(run("object.spec.containers.all(c, c.?securityContext.?privileged.orValue(false) == false)")).toBe(false);
    expect(run("object.spec.?nope.?deeper.hasValue()")).toBe(false);
    expect(run("object.spec.containers.all(c, c.?securityContext.allowPrivilegeEscalation.orValue(true) == true)")).toBe(true);
    expect(run("optional.of(1).value() + optional.none().orValue(2)")).toBe(3);
    expect(run("object.spec.replicas > 2 && object.spec.replicas == 3")).toBe(true);
    expect(run("object.spec.containers.map(c, c.name).join(',')")).toBe("app");
    expect(run("[3, 1, 2].sum() == 6 && [1, 2].isSorted() && [4, 9].max() == 9")).toBe(true);
    expect(run("'img:v1'.matches('^[a-z]+:v[0-9]$')")).toBe(true);
    expect(run("quantity('1Gi').isGreaterThan(quantity('100Mi')) && quantity('500m').compareTo(quantity('0.5')) == 0")).toBe(true);
    expect(run("object.missing")).toMatch(/^ERROR .*missing/);
  });

  it("has the semver, URL, IP and CIDR libraries", () => {
    expect(run("semver('1.2.3').isLessThan(semver('1.10.0')) && semver('1.0.0-rc.1').compareTo(semver('1.0.0')) == -1 && semver('2.3.4').minor() == 3")).toBe(true);
    expect(run("isSemver('1.2') || isSemver('v1.2.3')")).toBe(false);
    expect(run("url('https://example.com:8443/a/b?x=1&x=2').getPort() == '8443' && url('https://example.com/a').getHostname() == 'example.com'")).toBe(true);
    expect(run("url('https://h/p?x=1&x=2&y').getQuery()")).toEqual({ x: ["1", "2"], y: [""] });
    expect(run("isURL('/relative/ok') && !isURL('not a url')")).toBe(true);
    expect(run("cidr('10.0.0.0/8').containsIP(ip('10.1.2.3')) && !cidr('10.0.0.0/8').containsIP('11.0.0.1') && cidr('10.0.0.0/8').containsCIDR('10.2.0.0/16')")).toBe(true);
    expect(run("ip('127.0.0.1').isLoopback() && ip('::1').family() == 6 && ip.isCanonical('2001:db8::1') && !ip.isCanonical('2001:DB8:0:0::1')")).toBe(true);
    expect(run("cidr('192.168.1.77/24').masked().prefixLength() == 24 && !isIP('01.2.3.4') && isCIDR('fd00::/8')")).toBe(true);
    expect(run("quantity('1Gi').compareTo(semver('1.0.0'))")).toMatch(/^ERROR/);
  });

  it("stops nested comprehensions by their cost", () => {
    const ten = "[1,2,3,4,5,6,7,8,9,10]";
    const hostile = `${ten}.all(a, ${ten}.all(b, ${ten}.all(c, ${ten}.all(d, ${ten}.all(e, ${ten}.all(f, ${ten}.all(g, true)))))))`;
    const start = Date.now();
    expect(run(hostile)).toMatch(/^ERROR .*(cost budget|time limit)/);
    expect(Date.now() - start).toBeLessThan(3000);
  });

  it("turns deeply nested expressions into errors, not crashes", () => {
    for (const text of ["(".repeat(4000) + "1" + ")".repeat(4000), "!".repeat(9000) + "true", "[".repeat(4000) + "]".repeat(4000)]) {
      let outcome: unknown;
      try {
        outcome = run(text);
      } catch (err) {
        outcome = err;
      }
      expect(outcome === true || outcome === 1 || typeof outcome === "string" || Array.isArray(outcome) || outcome instanceof Error).toBe(true);
    }
  });

  it("refuses very long expressions", () => {
    expect(() => compileCel("1 + ".repeat(5000) + "1")).toThrow(/longer than/);
  });
});
