import { describe, expect, it } from "vitest";
import { renderGoTemplate } from "../../src/render/argocd/appset/go-template.js";

const params = {
  name: "web",
  env: "prod",
  n: 3,
  cluster: { name: "in-cluster", server: "https://kubernetes.default.svc", labels: { tier: "gold" } },
  components: [
    { name: "api", port: 8080 },
    { name: "worker", port: 0 },
  ],
  path: { path: "apps/web", basename: "web", segments: ["apps", "web"] },
  version: "1.4.2",
};
const render = (t: string, p: Record<string, unknown> = params) => renderGoTemplate(t, p);

describe("Go template control structures", () => {
  it("range over lists (with index and element variables), maps in key order, integers; else when empty", () => {
    expect(render("{{ range .components }}{{ .name }},{{ end }}")).toBe("api,worker,");
    expect(render("{{ range $i, $c := .components }}{{ $i }}={{ $c.name }}:{{ $.name }} {{ end }}")).toBe("0=api:web 1=worker:web ");
    expect(render("{{ range $k, $v := .cluster.labels }}{{ $k }}={{ $v }}{{ end }}")).toBe("tier=gold");
    expect(render('{{ range $k, $v := dict "b" 2 "a" 1 }}{{ $k }}{{ $v }}{{ end }}')).toBe("a1b2");
    expect(render("{{ range 3 }}{{ . }}{{ end }}")).toBe("012");
    expect(render("{{ range .missing }}x{{ else }}none{{ end }}")).toBe("none");
  });

  it("break and continue end the loop or the iteration", () => {
    expect(render("{{ range .path.segments }}{{ if eq . \"web\" }}{{ break }}{{ end }}{{ . }}{{ end }}")).toBe("apps");
    expect(render("{{ range .components }}{{ if not .port }}{{ continue }}{{ end }}{{ .name }}{{ end }}")).toBe("api");
  });

  it("with sets the dot, else with and else take over when empty", () => {
    expect(render("{{ with .cluster.labels }}{{ .tier }}{{ end }}")).toBe("gold");
    expect(render("{{ with .nope }}x{{ else with .env }}{{ . }}{{ else }}y{{ end }}")).toBe("prod");
    expect(render("{{ with .nope }}x{{ else }}y{{ end }}")).toBe("y");
  });

  it("variables: declared, assigned, scoped to their block, $ is the root", () => {
    expect(render('{{ $x := "a" }}{{ if true }}{{ $x = "b" }}{{ $y := 1 }}{{ end }}{{ $x }}')).toBe("b");
    expect(() => render("{{ if true }}{{ $y := 1 }}{{ end }}{{ $y }}")).toThrow(/undefined variable/);
    expect(render("{{ with .cluster }}{{ .name }}/{{ $.name }}{{ end }}")).toBe("in-cluster/web");
    expect(render('{{ $sum := 0 }}{{ range .components }}{{ $sum = add $sum .port }}{{ end }}{{ $sum }}')).toBe("8080");
    expect(render("{{ if $c := .cluster }}{{ $c.name }}{{ end }}")).toBe("in-cluster");
  });

  it("trims spaces around {{- -}}, skips comments, keeps text outside actions", () => {
    expect(render("a  {{- /* a comment */ -}}  b")).toBe("ab");
    expect(render("{{- range .path.segments }}\n- {{ . }}\n{{- end }}")).toBe("\n- apps\n- web");
  });

  it("and/or evaluate only what they need", () => {
    expect(render('{{ if and .cluster (eq .cluster.name "in-cluster") }}yes{{ end }}')).toBe("yes");
    expect(render('{{ or .nope "fallback" }}')).toBe("fallback");
    expect(render("{{ and false (fail \"not reached\") }}")).toBe("false");
  });

  it("parenthesised values can be followed by fields", () => {
    expect(render("{{ (index .components 0).name }}")).toBe("api");
  });
});

describe("sprig functions ApplicationSets use", () => {
  it("text", () => {
    expect(render('{{ trunc 5 "abcdefgh" }} {{ trunc -3 "abcdefgh" }} {{ substr 1 3 "abcdef" }}')).toBe("abcde fgh bc");
    expect(render('{{ "my-app-svc" | trimSuffix "-svc" }} {{ regexReplaceAll "[^a-z]+" "Web_App 2" "-" }}')).toBe("my-app -eb-pp-");
    expect(render('{{ regexReplaceAll "(\\\\w+)@(\\\\w+)" "me@host" "${2}.${1}" }}')).toBe("host.me");
    expect(render('{{ regexMatch "^apps/" .path.path }} {{ regexFind "[0-9]+" "v12x" }}')).toBe("true 12");
    expect(render('{{ "a b" | replace " " "-" }} {{ cat "a" 1 }} {{ repeat 3 "x" }} {{ title "hello world" }}')).toBe("a-b a 1 xxx Hello World");
    expect(render('{{ slugify "Hello, World! This is long" }} {{ slugify 10 true "Hello World Again" }}')).toBe("hello-world-this-is-long hello");
    expect(render('{{ "abc" | sha256sum | trunc 8 }} {{ "abc" | sha1sum | trunc 8 }}')).toBe("ba7816bf a9993e36");
  });

  it("toYaml, fromYaml, toJson, indent and nindent", () => {
    expect(render("{{ toYaml .cluster.labels }}")).toBe("tier: gold");
    expect(render("labels:{{ toYaml .cluster | nindent 2 }}")).toBe("labels:\n  labels:\n    tier: gold\n  name: in-cluster\n  server: https://kubernetes.default.svc");
    expect(render('{{ (fromYaml "a: {b: 1}").a.b }} {{ index (fromYamlArray "[x, y]") 1 }}')).toBe("1 y");
    expect(render("{{ toJson .components }}")).toBe('[{"name":"api","port":8080},{"name":"worker","port":0}]');
    expect(render('{{ toYaml (list "a" "b") | indent 2 }}')).toBe("  - a\n  - b");
    expect(() => render('{{ fromYaml "- a" }}')).toThrow(/not a YAML mapping/);
  });

  it("dict, list, get, hasKey, dig, keys, merge, ternary, default, coalesce, empty", () => {
    expect(render('{{ $d := dict "a" 1 "b" (list 1 2) }}{{ get $d "a" }} {{ hasKey $d "b" }} {{ len (get $d "b") }} {{ get $d "z" | quote }}')).toBe('1 true 2 ""');
    expect(render('{{ dig "cluster" "labels" "tier" "none" . }} {{ dig "cluster" "x" "none" . }}')).toBe("gold none");
    expect(render('{{ ternary "a" "b" (eq .env "prod") }} {{ .nope | default "d" }} {{ coalesce .nope "" "c" }} {{ empty .nope }}')).toBe("a d c true");
    expect(render('{{ keys .cluster.labels | sortAlpha | join "," }} {{ $m := merge (dict "a" 1) (dict "a" 2 "b" 3) }}{{ $m.a }}{{ $m.b }}')).toBe("tier 13");
    expect(render("{{ first .path.segments }} {{ last .path.segments }} {{ has \"web\" .path.segments }}")).toBe("apps web true");
  });

  it("numbers, comparisons and semver", () => {
    expect(render("{{ add 1 2 3 }} {{ sub 5 2 }} {{ mul 2 3 }} {{ div 7 2 }} {{ mod 7 2 }} {{ max 1 5 2 }} {{ atoi \"42\" }}")).toBe("6 3 6 3 1 5 42");
    expect(render('{{ if gt .n 2 }}big{{ end }} {{ lt "a" "b" }}')).toBe("big true");
    expect(render('{{ semverCompare ">=1.4.0 <2.0.0" .version }} {{ semverCompare "~1.3" .version }}')).toBe("true false");
  });

  it("refuses what Argo CD refuses or what is not pure, naming it", () => {
    expect(() => render("{{ env \"HOME\" }}")).toThrow(/not defined/);
    expect(() => render("{{ randAlphaNum 5 }}")).toThrow(/does not evaluate/);
    expect(() => render('{{ define "x" }}{{ end }}')).toThrow(/not supported/);
    expect(() => render("{{ break }}")).toThrow(/outside/);
    expect(() => render("{{ if true }}x")).toThrow(/missing/);
  });
});

describe("budgets", () => {
  it("stops templates that write or loop too much", () => {
    expect(() => render('{{ range until 5000 }}{{ repeat 100 "x" }}{{ end }}')).toThrow(/more than/);
    expect(() => render("{{ range $i := until 10000 }}{{ range until 10000 }}{{ end }}{{ end }}")).toThrow(/more than/);
    expect(() => render('{{ repeat 100000000 "x" }}')).toThrow(/more than/);
    expect(() => render("{{ range 100000000 }}{{ end }}")).toThrow(/more than/);
  });
});

describe("budget errors say the ApplicationSet is not evaluated, not that Argo CD refuses it", () => {
  it("marks them unsupported", () => {
    try {
      render("{{ range 100000000 }}{{ end }}");
      expect.unreachable();
    } catch (err) {
      expect((err as { unsupported: boolean }).unsupported).toBe(true);
    }
  });
});
