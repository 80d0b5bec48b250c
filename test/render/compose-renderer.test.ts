import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { TargetSpec } from "../../src/core/model/target.js";
import type { RenderOutcome } from "../../src/core/ports.js";
import { createComposeRenderer } from "../../src/render/compose/renderer.js";
import { dirTree } from "../helpers/dir-tree.js";
import { memoryTree } from "../helpers/memory-tree.js";

const tree = dirTree("fixtures/render/compose");
const renderer = createComposeRenderer();
const limits = { timeoutMs: 10_000, maxOutputBytes: 10_000_000 };
const target = (path: string, extra: Partial<TargetSpec> = {}): TargetSpec => ({ id: path, type: "compose", path, ...extra });

async function renderOk(spec: TargetSpec) {
  const outcome = await renderer.render(spec, tree, limits);
  if (outcome.status !== "ok") throw new Error(`expected ok, got ${JSON.stringify(outcome)}`);
  return outcome;
}

function body(outcome: Extract<RenderOutcome, { status: "ok" }>, kind: string, name: string) {
  return outcome.resources.find((r) => r.kind === kind && r.name === name)?.body;
}

describe("discover", () => {
  test("one target per directory with a main Compose file; override files are not targets", async () => {
    const targets = await renderer.discover(tree, { isOwned: () => false });
    expect(targets.map((t) => t.id)).toEqual([
      "basic",
      "errors/bad-yaml",
      "errors/cycle",
      "errors/missing-extends",
      "errors/no-image",
      "errors/required-var",
      "errors/unknown-service",
      "extends",
      "secret-safety",
      "volume-targets",
    ]);
    expect(targets[0]).toEqual({ id: "basic", type: "compose", path: "basic" });
  });

  test("a root project has the id '.' and docker-compose.yml counts", async () => {
    const t = memoryTree("m", { "docker-compose.yml": "services: {}\n", "sub/compose.override.yaml": "services: {}\n" });
    expect(await renderer.discover(t, { isOwned: () => false })).toEqual([{ id: ".", type: "compose", path: "." }]);
  });
});

describe("inputs", () => {
  test("compose files, .env, env_file and configs/secrets files, present or not", async () => {
    const inputs = await renderer.inputs(target("basic"), tree);
    expect(inputs.blocking).toEqual([]);
    expect([...inputs.files]).toEqual(
      expect.arrayContaining([
        "basic/compose.yaml",
        "basic/compose.override.yaml",
        "basic/.env",
        "basic/api.env",
        "basic/nginx.conf",
        "basic/secrets/db_password.txt",
      ]),
    );
  });

  test("extends targets are inputs, transitively", async () => {
    const inputs = await renderer.inputs(target("extends"), tree);
    expect([...inputs.files]).toEqual(expect.arrayContaining(["extends/compose.yaml", "extends/common/services.yml", "extends/common/web.env"]));
  });

  test("a missing extends file blocks the target, naming file and line", async () => {
    const inputs = await renderer.inputs(target("errors/missing-extends"), tree);
    expect(inputs.blocking).toEqual([
      {
        ruleId: "compose/extends-file-missing",
        severity: "error",
        message:
          'errors/missing-extends/compose.yaml:5: service "api" extends a service in errors/missing-extends/does-not-exist.yml, ' +
          "which does not exist or cannot be read; fix extends.file",
        file: "errors/missing-extends/compose.yaml",
        line: 5,
      },
    ]);
  });

  test("a composeFiles entry that does not exist blocks the target", async () => {
    const inputs = await renderer.inputs(target("basic", { composeFiles: ["compose.yaml", "compose.prod.yaml"] }), tree);
    expect(inputs.blocking.map((p) => p.message)).toEqual([
      "basic/compose.prod.yaml: Compose file basic/compose.prod.yaml does not exist; add it or fix the target's composeFiles",
    ]);
  });
});

describe("render", () => {
  test("the basic project: override merged, .env interpolated, canonical bodies", async () => {
    const outcome = await renderOk(target("basic"));
    expect(outcome.warnings).toEqual([]);
    expect(outcome.resources.map((r) => `${r.apiVersion} ${r.kind} ${r.name}`)).toEqual([
      "compose/v1 Service api",
      "compose/v1 Service db",
      "compose/v1 Service web",
      "compose/v1 Network back",
      "compose/v1 Network default",
      "compose/v1 Volume cache",
      "compose/v1 Volume dbdata",
      "compose/v1 Secret db_password",
      "compose/v1 Config nginx",
    ]);
    const web = outcome.resources.find((r) => r.name === "web");
    expect(web?.namespace).toBe("");
    expect(web?.source).toEqual({ file: "basic/compose.yaml", line: 11 });
    expect(web?.body).toEqual({
      image: "nginx:1.27-alpine",
      restart: "unless-stopped",
      logging: { driver: "json-file", options: { "max-size": "10m" } },
      command: ["nginx-debug", "-g", "daemon off;"],
      ports: [
        { mode: "ingress", target: 80, published: "8080", protocol: "tcp" },
        { mode: "ingress", host_ip: "127.0.0.1", target: 9090, published: "9090", protocol: "udp" },
        { mode: "ingress", target: 443, published: "8443", protocol: "tcp" },
      ],
      volumes: [
        { type: "bind", source: "basic/static", target: "/usr/share/nginx/html", read_only: true, bind: { create_host_path: true } },
        { type: "volume", source: "cache", target: "/var/cache/nginx" },
      ],
      depends_on: { api: { condition: "service_started", required: true } },
      configs: [{ source: "nginx" }],
      networks: { default: null },
    });
    expect(body(outcome, "Service", "api")).toEqual({
      restart: "unless-stopped",
      logging: { driver: "json-file", options: { "max-size": "10m" } },
      build: { context: "basic/api", dockerfile: "Dockerfile" },
      env_file: [{ path: "basic/api.env", required: true }],
      environment: { DB_HOST: "db", DB_PORT: "5432", FEATURE_FLAG: "on", LOG_LEVEL: "debug" },
      expose: ["3000"],
      secrets: [{ source: "db_password" }],
      networks: { back: null, default: null },
      deploy: { replicas: 2 },
    });
    expect(body(outcome, "Service", "db")).toEqual({
      image: "postgres:16",
      volumes: [{ type: "bind", source: "basic/pgdata", target: "/var/lib/postgresql/data", bind: { create_host_path: true } }],
      networks: { back: null },
    });
    expect(body(outcome, "Secret", "db_password")).toEqual({ file: "basic/secrets/db_password.txt" });
  });

  test("profiles and composeEnv come from the target", async () => {
    const outcome = await renderOk(target("basic", { composeProfiles: ["debug"], composeEnv: { NGINX_TAG: "1.28" } }));
    expect(body(outcome, "Service", "debug")).toEqual({
      image: "busybox",
      profiles: ["debug"],
      command: ["sleep", "infinity"],
      networks: { default: null },
    });
    expect(body(outcome, "Service", "web")?.image).toBe("nginx:1.28");
  });

  test("explicit composeFiles replace the default main + override pair", async () => {
    const outcome = await renderOk(target("basic", { composeFiles: ["compose.yaml"] }));
    expect(body(outcome, "Service", "web")?.command).toEqual(["nginx", "-g", "daemon off;"]);
  });

  test("extends across files resolves paths from the extended file", async () => {
    const outcome = await renderOk(target("extends"));
    expect(body(outcome, "Service", "api")).toEqual({
      build: { context: "extends/common/app", dockerfile: "Dockerfile" },
      env_file: [{ path: "extends/common/web.env", required: true }],
      environment: { MODE: "production" },
      volumes: [{ type: "bind", source: "extends/common/config", target: "/etc/app", read_only: true, bind: { create_host_path: true } }],
      ports: [
        { mode: "ingress", target: 8000, published: "8000", protocol: "tcp" },
        { mode: "ingress", target: 9000, published: "9000", protocol: "tcp" },
      ],
      networks: { default: null },
    });
    expect(body(outcome, "Service", "worker")).toEqual({
      image: "alpine:3.20",
      command: ["./work.sh", "--fast"],
      environment: { QUEUE: "jobs", TZ: "UTC" },
      labels: { team: "core" },
      networks: { default: null },
    });
    expect(body(outcome, "Service", "chained")).toMatchObject({ image: "example/chained:1", build: { context: "extends/common/app" } });
  });

  test.each([
    ["errors/bad-yaml", "compose/yaml-invalid", 6, "errors/bad-yaml/compose.yaml:6: invalid YAML: "],
    ["errors/cycle", "compose/extends-cycle", 4, "errors/cycle/compose.yaml:4: extends cycle: errors/cycle/compose.yaml#a -> errors/cycle/compose.yaml#b"],
    ["errors/unknown-service", "compose/extends-service-missing", 3, 'errors/unknown-service/compose.yaml:3: service "web" extends "ghost"'],
    ["errors/required-var", "compose/variable-required", 5, "errors/required-var/compose.yaml:5: required variable DB_PASSWORD is missing a value"],
  ])("%s is an invalid render", async (path, ruleId, line, message) => {
    const outcome = await renderer.render(target(path), tree, limits);
    expect(outcome.status).toBe("invalid");
    if (outcome.status !== "invalid") return;
    expect(outcome.problems[0]).toMatchObject({ ruleId, severity: "error", file: `${path}/compose.yaml`, line });
    expect(outcome.problems[0]?.message.startsWith(message)).toBe(true);
  });

  test("a service with neither image nor build is an error at its line, as compose-go refuses it", async () => {
    const outcome = await renderer.render(target("errors/no-image"), tree, limits);
    expect(outcome.status).toBe("invalid");
    if (outcome.status !== "invalid") return;
    // debug is disabled by its profile and llm is managed by a provider: neither is checked.
    expect(outcome.problems).toEqual([
      {
        ruleId: "compose/invalid-value",
        severity: "error",
        message:
          'errors/no-image/compose.yaml:7: service "worker" has neither an image nor a build context specified, so Compose cannot create it; give it an image: or a build:',
        file: "errors/no-image/compose.yaml",
        line: 7,
      },
    ]);
  });

  test("volume targets are cleaned as compose-go cleans them, so a trailing slash changes nothing", async () => {
    const outcome = await renderOk(target("volume-targets"));
    const app = body(outcome, "Service", "app") as { volumes: { type: string; source?: string; target: string }[]; working_dir: string };
    expect(app.volumes.map((v) => [v.type, v.source, v.target])).toEqual([
      ["bind", "volume-targets/data", "/data"],
      ["volume", "db", "/var/lib/db"],
      ["volume", undefined, "/cache"],
      ["bind", "volume-targets/static", "/srv/www"],
    ]);
    // compose-go leaves working_dir as written.
    expect(app.working_dir).toBe("/app/");
    const text = await tree.read("volume-targets/compose.yaml");
    const edits: [string, string][] = [
      ["./data/:/data/", "./data/:/data"],
      ["db:/var/lib/db/:ro", "db:/var/lib/db:ro"],
      ["/cache//", "/cache"],
      ["/srv/./www/", "/srv/www"],
    ];
    const unslashed = memoryTree("m", { "volume-targets/compose.yaml": edits.reduce((t, [from, to]) => t.replace(from, to), text) });
    const other = await renderer.render(target("volume-targets"), unslashed, limits);
    if (other.status !== "ok") throw new Error(JSON.stringify(other));
    expect(body(other, "Service", "app")).toEqual(app);
  });

  test("output over the byte limit is an invalid render, not a crash", async () => {
    const outcome = await renderer.render(target("basic"), tree, { ...limits, maxOutputBytes: 100 });
    expect(outcome.status).toBe("invalid");
    if (outcome.status === "invalid") expect(outcome.problems.map((p) => p.ruleId)).toEqual(["compose/output-too-large"]);
  });

  test("host paths outside the snapshot are never read, and are errors even when optional", async () => {
    const t = memoryTree("m", {
      "app/compose.yaml": "services:\n  s:\n    image: x\n    env_file: [/etc/hostname, ../../../etc/passwd, {path: /etc/environment, required: false}]\n",
    });
    const outcome = await renderer.render(target("app"), t, limits);
    expect(outcome.status).toBe("invalid");
    if (outcome.status === "invalid") {
      expect(outcome.problems.map((p) => p.message)).toEqual([
        'app/compose.yaml:2: service "s" env_file /etc/hostname is outside the repository: Compose would read it from the machine it runs on, which a review cannot see; keep the file in the repository',
        'app/compose.yaml:2: service "s" env_file ../../etc/passwd is outside the repository: Compose would read it from the machine it runs on, which a review cannot see; keep the file in the repository',
        'app/compose.yaml:2: service "s" env_file /etc/environment is outside the repository: Compose would read it from the machine it runs on, which a review cannot see; keep the file in the repository',
      ]);
    }
  });

  test("info names the built-in normaliser", async () => {
    expect(await renderer.info()).toEqual({ name: "compose (built-in)", version: "1.1.0" });
  });
});

describe("secrets of the machine running the review", () => {
  const SENTINEL = "sentinel-ghp-0123456789abcdef";
  const saved = { token: process.env.GITHUB_TOKEN, home: process.env.HOME, tag: process.env.TAG };

  beforeEach(() => {
    process.env.GITHUB_TOKEN = SENTINEL;
    process.env.HOME = `/home/${SENTINEL}`;
    process.env.TAG = SENTINEL;
  });
  afterEach(() => {
    for (const [key, value] of [["GITHUB_TOKEN", saved.token], ["HOME", saved.home], ["TAG", saved.tag]] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  test("process environment values never reach the output or the problems", async () => {
    const outcome = await renderer.render(target("secret-safety"), tree, limits);
    const inputs = await renderer.inputs(target("secret-safety"), tree);
    expect(JSON.stringify([outcome, [...inputs.files], inputs.blocking])).not.toContain(SENTINEL);
    expect(outcome.status).toBe("ok");
    if (outcome.status !== "ok") return;
    expect(body(outcome, "Service", "leak")).toEqual({
      image: "alpine:latest",
      command: ["echo", "", ""],
      environment: { HOME_DIR: "", TOKEN: "", FALLBACK: "fallback", GITHUB_TOKEN: null },
      labels: { token: "" },
      networks: { default: null },
    });
    expect(outcome.warnings.map((w) => [w.ruleId, w.file, w.line, w.message.split(" is not set")[0]])).toEqual([
      ["compose/variable-unset", "secret-safety/compose.yaml", 4, "secret-safety/compose.yaml:4: variable GITHUB_TOKEN"],
      ["compose/variable-unset", "secret-safety/compose.yaml", 4, "secret-safety/compose.yaml:4: variable HOME"],
    ]);
  });
});
