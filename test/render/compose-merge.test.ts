import { describe, expect, test } from "vitest";
import type { ComposeProjectInput } from "../../src/render/compose/normalize.js";
import { run, service } from "../helpers/compose-project.js";

const messages = (files: Record<string, string>, opts: Partial<ComposeProjectInput> = {}) => run(files, opts).problems.map((p) => p.message);

describe("merging files", () => {
  const base = `
services:
  web:
    image: web:1
    command: ["serve", "--port", "80"]
    entrypoint: /bin/sh
    ports: ["8080:80", "9000:9000"]
    dns: [1.1.1.1]
    environment:
      A: "1"
      FOO: bar
    labels: [x=1]
    volumes: ["./a:/data", "logs:/logs"]
    secrets: [token]
    extra_hosts: ["db:10.0.0.1"]
    healthcheck:
      test: ["CMD", "true"]
      interval: 10s
volumes:
  logs:
secrets:
  token:
    file: ./t
`;

  test("compose.override.yaml is merged per the spec rules", () => {
    const web = service(
      {
        "compose.yaml": base,
        "compose.override.yaml": `
services:
  web:
    image: web:2
    command: serve --debug
    ports: ["8080:80", "8443:443"]
    dns: [8.8.8.8, 1.1.1.1]
    environment: [B=2, A=one]
    labels: {y: "2"}
    volumes: ["./b:/data"]
    secrets: [{source: token, mode: 0400}]
    extra_hosts: ["db=10.0.0.1", "cache:10.0.0.2"]
    healthcheck:
      test: ["CMD", "curl", "-f", "localhost"]
`,
      },
      "web",
    );
    expect(web).toEqual({
      image: "web:2",
      command: ["serve", "--debug"],
      entrypoint: ["/bin/sh"],
      ports: [
        { mode: "ingress", target: 80, published: "8080", protocol: "tcp" },
        { mode: "ingress", target: 9000, published: "9000", protocol: "tcp" },
        { mode: "ingress", target: 443, published: "8443", protocol: "tcp" },
      ],
      dns: ["1.1.1.1", "8.8.8.8"],
      environment: { A: "one", B: "2", FOO: "bar" },
      labels: { x: "1", y: "2" },
      volumes: [
        { type: "bind", source: "app/b", target: "/data", bind: { create_host_path: true } },
        { type: "volume", source: "logs", target: "/logs" },
      ],
      secrets: [{ source: "token", mode: 256 }],
      extra_hosts: ["db=10.0.0.1", "cache=10.0.0.2"],
      healthcheck: { test: ["CMD", "curl", "-f", "localhost"], interval: "10s" },
      networks: { default: null },
    });
  });

  test("!reset removes values and !override replaces them", () => {
    const web = service(
      {
        "compose.yaml": base,
        "compose.override.yaml": `
services:
  web:
    ports: !override ["8443:443"]
    dns: !reset []
    environment:
      FOO: !reset null
    healthcheck: !reset
    labels: !override {z: "3"}
`,
      },
      "web",
    );
    expect(web?.ports).toEqual([{ mode: "ingress", target: 443, published: "8443", protocol: "tcp" }]);
    expect(web?.environment).toEqual({ A: "1" });
    expect(web?.labels).toEqual({ z: "3" });
    expect(web).not.toHaveProperty("dns");
    expect(web).not.toHaveProperty("healthcheck");
  });

  test("!reset can remove a whole service; an explicit null keeps the earlier value", () => {
    const result = run({
      "compose.yaml": "services:\n  a:\n    image: a\n    restart: always\n  b:\n    image: b\n",
      "compose.override.yaml": "services:\n  a:\n    restart: null\n  b: !reset {}\n",
    });
    expect(Object.keys(result.project.services)).toEqual(["a"]);
    expect(result.project.services.a?.restart).toBe("always");
  });

  test("explicit composeFiles are merged in order, relative to the project directory", () => {
    const result = run(
      {
        "compose.yaml": "services:\n  s:\n    image: base\n",
        "deploy/prod.yaml": "services:\n  s:\n    image: prod\n    volumes: ['./data:/data']\n",
        "compose.override.yaml": "services:\n  s:\n    image: ignored\n",
      },
      { files: ["compose.yaml", "deploy/prod.yaml"] },
    );
    expect(result.composeFiles).toEqual(["app/compose.yaml", "app/deploy/prod.yaml"]);
    expect(result.project.services.s).toMatchObject({ image: "prod", volumes: [{ source: "app/data" }] });
  });

  test("interpolation happens per file, before merging", () => {
    const s = service(
      {
        "compose.yaml": "services:\n  s:\n    image: 'x:${TAG}'\n    ports: ['${PORT:-80}:80']\n",
        "compose.override.yaml": "services:\n  s:\n    ports: ['${PORT:-80}:80', '${EXTRA}:443']\n",
        ".env": "TAG=1.0\nEXTRA=8443\n",
      },
      "s",
      { env: { TAG: "2.0" } },
    );
    expect(s?.image).toBe("x:2.0");
    expect(s?.ports).toEqual([
      { mode: "ingress", target: 80, published: "80", protocol: "tcp" },
      { mode: "ingress", target: 443, published: "8443", protocol: "tcp" },
    ]);
  });

  test("the main file is chosen like docker compose does, with a warning when several exist", () => {
    const result = run({
      "docker-compose.yml": "services:\n  s:\n    image: old\n",
      "compose.yaml": "services:\n  s:\n    image: new\n",
      "docker-compose.override.yml": "services:\n  s:\n    restart: always\n",
    });
    expect(result.composeFiles).toEqual(["app/compose.yaml", "app/docker-compose.override.yml"]);
    expect(result.project.services.s).toMatchObject({ image: "new", restart: "always" });
    expect(result.problems.map((p) => p.ruleId)).toEqual(["compose/multiple-main-files"]);
  });
});


describe("extends", () => {
  test("same file and another file, with paths relative to the file that defines them", () => {
    const result = run({
      "compose.yaml": `
services:
  base:
    image: alpine
    environment: {A: "1"}
    command: base
  child:
    extends: base
    environment: {B: "2"}
  grandchild:
    extends: {service: child}
    command: child
  remote:
    extends:
      file: lib/common.yaml
      service: svc
    image: override
`,
      "lib/common.yaml": "services:\n  svc:\n    image: lib\n    build: ./ctx\n    env_file: lib.env\n    volumes: ['./conf:/conf']\n",
      "lib/lib.env": "FROM_LIB=1\n",
    });
    expect(result.problems).toEqual([]);
    const { child, grandchild, remote } = result.project.services;
    expect(child).toMatchObject({ image: "alpine", environment: { A: "1", B: "2" }, command: ["base"] });
    expect(child).not.toHaveProperty("extends");
    expect(grandchild).toMatchObject({ image: "alpine", environment: { A: "1", B: "2" }, command: ["child"] });
    expect(remote).toMatchObject({
      image: "override",
      build: { context: "app/lib/ctx", dockerfile: "Dockerfile" },
      env_file: [{ path: "app/lib/lib.env", required: true }],
      environment: { FROM_LIB: "1" },
      volumes: [{ type: "bind", source: "app/lib/conf", target: "/conf" }],
    });
    expect(result.reads).toContain("app/lib/common.yaml");
  });

  test("a cycle is an error naming the chain and the line", () => {
    const yaml = "services:\n  a:\n    extends: b\n  b:\n    extends:\n      service: c\n  c:\n    extends: a\n";
    const problems = run({ "compose.yaml": yaml }).problems;
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ ruleId: "compose/extends-cycle", file: "app/compose.yaml", line: 3 });
    expect(problems[0]?.message).toBe(
      "app/compose.yaml:3: extends cycle: " +
        "app/compose.yaml#a -> app/compose.yaml#b -> app/compose.yaml#c -> app/compose.yaml#a; remove one of these extends",
    );
  });

  test("a cycle through another file is detected", () => {
    const problems = run({
      "compose.yaml": "services:\n  a:\n    extends: {file: other.yaml, service: b}\n",
      "other.yaml": "services:\n  b:\n    extends: {file: compose.yaml, service: a}\n",
    }).problems;
    expect(problems.map((p) => p.ruleId)).toContain("compose/extends-cycle");
  });

  test("unknown services and missing files are errors with file and line", () => {
    expect(messages({ "compose.yaml": "services:\n  web:\n    image: x\n    extends: ghost\n" })).toEqual([
      'app/compose.yaml:4: service "web" extends "ghost", which is not defined in app/compose.yaml; define it there or fix extends.service',
    ]);
    expect(messages({ "compose.yaml": "services:\n  web:\n    extends: {file: nope.yaml, service: x}\n" })).toEqual([
      'app/compose.yaml:3: service "web" extends a service in app/nope.yaml, which does not exist or cannot be read; fix extends.file',
    ]);
  });
});


describe("profiles", () => {
  const files = {
    "compose.yaml": `
services:
  app:
    image: a
    depends_on: [debug]
  debug:
    image: d
    profiles: [debug]
  tools:
    image: t
    profiles: [tools, ops]
`,
  };

  test("services with profiles are left out unless a profile is active", () => {
    const result = run(files);
    expect(Object.keys(result.project.services)).toEqual(["app"]);
    expect(result.problems).toEqual([
      expect.objectContaining({ ruleId: "compose/depends-on-disabled", severity: "warning", file: "app/compose.yaml", line: 3 }),
    ]);
  });

  test.each([
    [["debug"], ["app", "debug"]],
    [["ops"], ["app", "tools"]],
    [["*"], ["app", "debug", "tools"]],
  ])("profiles %j → %j", (profiles, names) => {
    expect(Object.keys(run(files, { profiles }).project.services)).toEqual(names);
  });
});
