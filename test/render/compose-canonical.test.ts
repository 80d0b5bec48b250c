import { describe, expect, test } from "vitest";
import { run, service } from "../helpers/compose-project.js";

describe("canonical form", () => {
  test("short syntax expands to the long form docker compose config prints", () => {
    const result = run({
      "compose.yaml": `
services:
  web:
    image: nginx
    build: ./web
    ports: ["8080:80", 9000]
    volumes: ["./data:/data:ro", "cache:/cache", "/tmp/x"]
    environment: [A=1, B, C=]
    labels: [team=core, flag]
    depends_on: [db]
    env_file: web.env
    networks: [front]
    secrets: [token]
    configs: [conf]
    command: echo "hello world"
    healthcheck:
      test: curl -f http://localhost
  db:
    image: postgres
    network_mode: host
networks:
  front:
volumes:
  cache:
secrets:
  token:
    file: ./token.txt
configs:
  conf:
    file: ../shared/conf.ini
`,
      "web.env": "FROM_FILE=yes\nA=from-file\n",
    });
    expect(result.problems).toEqual([]);
    expect(result.project).toEqual({
      services: {
        db: { image: "postgres", network_mode: "host" },
        web: {
          image: "nginx",
          build: { context: "app/web", dockerfile: "Dockerfile" },
          command: ["echo", "hello world"],
          configs: [{ source: "conf" }],
          depends_on: { db: { condition: "service_started", required: true } },
          env_file: [{ path: "app/web.env", required: true }],
          environment: { A: "1", B: null, C: "", FROM_FILE: "yes" },
          healthcheck: { test: ["CMD-SHELL", "curl -f http://localhost"] },
          labels: { flag: "", team: "core" },
          networks: { front: null },
          ports: [
            { mode: "ingress", target: 80, published: "8080", protocol: "tcp" },
            { mode: "ingress", target: 9000, protocol: "tcp" },
          ],
          secrets: [{ source: "token" }],
          volumes: [
            { type: "bind", source: "app/data", target: "/data", read_only: true, bind: { create_host_path: true } },
            { type: "volume", source: "cache", target: "/cache" },
            { type: "volume", target: "/tmp/x" },
          ],
        },
      },
      networks: { front: {} },
      volumes: { cache: {} },
      secrets: { token: { file: "app/token.txt" } },
      configs: { conf: { file: "shared/conf.ini" } },
    });
    expect(result.references).toEqual(["app/token.txt", "shared/conf.ini"]);
    expect(result.sources.services.web).toEqual({ file: "app/compose.yaml", line: 3 });
  });

  test.each([
    ["3000", [{ mode: "ingress", target: 3000, protocol: "tcp" }]],
    ["8080:80", [{ mode: "ingress", target: 80, published: "8080", protocol: "tcp" }]],
    ["127.0.0.1:8080:80/udp", [{ mode: "ingress", host_ip: "127.0.0.1", target: 80, published: "8080", protocol: "udp" }]],
    ["127.0.0.1::80", [{ mode: "ingress", host_ip: "127.0.0.1", target: 80, protocol: "tcp" }]],
    ["[::1]:8080:80", [{ mode: "ingress", host_ip: "::1", target: 80, published: "8080", protocol: "tcp" }]],
    [
      "8000-8001:9000-9001",
      [
        { mode: "ingress", target: 9000, published: "8000", protocol: "tcp" },
        { mode: "ingress", target: 9001, published: "8001", protocol: "tcp" },
      ],
    ],
    [
      "3000-3001",
      [
        { mode: "ingress", target: 3000, protocol: "tcp" },
        { mode: "ingress", target: 3001, protocol: "tcp" },
      ],
    ],
    ["9090-9091:80", [{ mode: "ingress", target: 80, published: "9090-9091", protocol: "tcp" }]],
  ])("port %s", (spec, expected) => {
    expect(service({ "compose.yaml": `services:\n  s:\n    image: x\n    ports: ["${spec}"]\n` }, "s")?.ports).toEqual(expected);
  });

  test("long-syntax ports get defaults and a string published port", () => {
    const yaml = "services:\n  s:\n    image: x\n    ports:\n      - target: 80\n        published: 8080\n        host_ip: 0.0.0.0\n";
    const s = service({ "compose.yaml": yaml }, "s");
    expect(s?.ports).toEqual([{ mode: "ingress", target: 80, published: "8080", protocol: "tcp", host_ip: "0.0.0.0" }]);
  });

  test.each([
    ["./data:/data", { type: "bind", source: "app/data", target: "/data", bind: { create_host_path: true } }],
    ["../up:/z:rw", { type: "bind", source: "up", target: "/z", bind: { create_host_path: true } }],
    ["/abs:/abs:ro,z", { type: "bind", source: "/abs", target: "/abs", read_only: true, bind: { create_host_path: true, selinux: "z" } }],
    ["~/cfg:/cfg", { type: "bind", source: "~/cfg", target: "/cfg", bind: { create_host_path: true } }],
    ["named:/x:nocopy", { type: "volume", source: "named", target: "/x", volume: { nocopy: true } }],
  ])("volume %s", (spec, expected) => {
    const files = { "compose.yaml": `services:\n  s:\n    image: x\n    volumes: ["${spec}"]\nvolumes:\n  named:\n` };
    expect(service(files, "s")?.volumes).toEqual([expected]);
  });

  test("environment: env_file values are overridden by environment; bare keys come from .env", () => {
    const s = service(
      {
        "compose.yaml": `
services:
  s:
    image: x
    env_file: [a.env, {path: missing.env, required: false}, b.env]
    environment:
      SHARED: inline
      FROM_DOTENV:
      NOWHERE:
`,
        "a.env": "SHARED=a\nONLY_A=a\nOVERRIDDEN=a\n",
        "b.env": "OVERRIDDEN=b\n",
        ".env": "FROM_DOTENV=dotenv\n",
      },
      "s",
    );
    expect(s?.environment).toEqual({ SHARED: "inline", ONLY_A: "a", OVERRIDDEN: "b", FROM_DOTENV: "dotenv", NOWHERE: null });
  });

  test("numbers and booleans in environment and labels become strings", () => {
    const s = service({ "compose.yaml": "services:\n  s:\n    image: x\n    environment: {PORT: 8080, DEBUG: true}\n    labels: {n: 1}\n" }, "s");
    expect(s?.environment).toEqual({ PORT: "8080", DEBUG: "true" });
    expect(s?.labels).toEqual({ n: "1" });
  });

  test("YAML anchors and merge keys are expanded", () => {
    const s = service(
      { "compose.yaml": "x-base: &base\n  image: x\n  restart: always\nservices:\n  s:\n    <<: *base\n    restart: no\n" },
      "s",
    );
    expect(s).toMatchObject({ image: "x", restart: "no" });
  });

  test("an anchor shared by two services stays independent through the merge", () => {
    const result = run({
      "compose.yaml": "x-env: &env {A: '1'}\nservices:\n  a:\n    image: x\n    environment: *env\n  b:\n    image: x\n    environment: *env\n",
      "compose.override.yaml": "services:\n  a:\n    environment: {B: '2'}\n",
    });
    expect(result.project.services.a?.environment).toEqual({ A: "1", B: "2" });
    expect(result.project.services.b?.environment).toEqual({ A: "1" });
  });

  test("the implicit default network is declared only when a service uses it", () => {
    expect(run({ "compose.yaml": "services:\n  s:\n    image: x\n" }).project.networks).toEqual({ default: {} });
    expect(run({ "compose.yaml": "services:\n  s:\n    image: x\n    network_mode: none\n" }).project.networks).toEqual({});
  });
});


describe("interpolation in files", () => {
  test("unset variables warn once per file with the line; keys are never interpolated", () => {
    const result = run({ "compose.yaml": "services:\n  s:\n    image: 'x:${TAG}'\n    labels:\n      ${KEY}: '${TAG}'\n    command: echo $$HOME\n" });
    expect(result.problems).toEqual([
      {
        ruleId: "compose/variable-unset",
        severity: "warning",
        message:
          "app/compose.yaml:3: variable TAG is not set; an empty string is used instead. " +
          "Define it in the project's .env file or in the target's composeEnv",
        file: "app/compose.yaml",
        line: 3,
      },
    ]);
    expect(result.project.services.s).toMatchObject({ image: "x:", labels: { "${KEY}": "" }, command: ["echo", "$HOME"] });
  });

  test("a required variable without a value makes the render invalid", () => {
    const problems = run({ "compose.yaml": "services:\n  s:\n    image: x\n    environment:\n      P: ${P:?set P}\n" }).problems;
    expect(problems).toEqual([
      expect.objectContaining({
        ruleId: "compose/variable-required",
        severity: "error",
        line: 5,
        message: expect.stringContaining("required variable P is missing a value: set P"),
      }),
    ]);
  });

  test("an invalid .env is reported with its line", () => {
    expect(run({ "compose.yaml": "services: {}\n", ".env": "OK=1\nNOT OK=2\n" }).problems).toEqual([
      expect.objectContaining({ ruleId: "compose/dotenv-invalid", file: "app/.env", line: 2 }),
    ]);
  });
});


describe("errors", () => {
  test.each([
    ["malformed YAML", "services:\n  web:\n    image: x\n   bad: y\n", "compose/yaml-invalid", 4],
    ["duplicate keys", "services:\n  web:\n    image: x\n    image: y\n", "compose/yaml-invalid", 4],
    ["not a mapping", "- a\n- b\n", "compose/not-a-mapping", 1],
    ["invalid port", "services:\n  web:\n    image: x\n    ports: ['80:abc']\n", "compose/invalid-value", 4],
    ["unknown top-level key", "servics:\n  web: {}\n", "compose/invalid-value", 1],
    ["service not a mapping", "services:\n  web: nginx\n", "compose/invalid-value", 2],
    ["undefined network", "services:\n  web:\n    image: x\n    networks: [nope]\n", "compose/undefined-reference", 2],
    ["undefined volume", "services:\n  web:\n    image: x\n    volumes: ['data:/data']\n", "compose/undefined-reference", 2],
    ["undefined dependency", "services:\n  web:\n    image: x\n    depends_on: [db]\n", "compose/undefined-reference", 2],
    ["missing env_file", "services:\n  web:\n    image: x\n    env_file: nope.env\n", "compose/env-file-missing", 2],
    ["alias bomb", `a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [${"*a, ".repeat(9)}*a]\nc: &c [${"*b, ".repeat(9)}*b]\n`, "compose/yaml-invalid", 3],
  ])("%s", (_name, text, ruleId, line) => {
    const problems = run({ "compose.yaml": text }).problems.filter((p) => p.severity === "error");
    expect(problems[0]).toMatchObject({ ruleId, severity: "error", file: "app/compose.yaml", line });
    expect(problems[0]?.message).toMatch(new RegExp(`^app/compose\\.yaml:${line}: .+; .+`));
  });

  test("a missing compose file is named", () => {
    expect(run({}, { files: ["compose.yaml", "prod.yaml"] }).problems.map((p) => p.message)).toEqual([
      "app/compose.yaml: Compose file app/compose.yaml does not exist; add it or fix the target's composeFiles",
      "app/prod.yaml: Compose file app/prod.yaml does not exist; add it or fix the target's composeFiles",
    ]);
    expect(run({}).problems.map((p) => p.ruleId)).toEqual(["compose/file-missing"]);
  });

  test("include is an error rather than silently dropped: the services it brings in would run unreviewed", () => {
    const result = run({ "compose.yaml": "include: [other.yaml]\nservices:\n  s:\n    image: x\n" });
    expect(result.problems).toEqual([expect.objectContaining({ ruleId: "compose/unsupported", severity: "error", line: 1 })]);
  });
});
