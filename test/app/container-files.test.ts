/**
 * No Docker engine runs the tests, so the container files are checked as text: the
 * invariants a reviewer would look for, and that every COPY names something that exists.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import picomatch from "picomatch";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { packageRoot } from "../../src/package-root.js";

const root = packageRoot();
const read = (name: string) => readFileSync(join(root, name), "utf8");

interface Instruction {
  keyword: string;
  args: string;
}

interface Stage {
  image: string;
  name?: string;
  instructions: Instruction[];
}

/** Comments and blank lines dropped, `\` continuations joined, one entry per instruction. */
function parseDockerfile(text: string): Instruction[] {
  const out: Instruction[] = [];
  let pending = "";
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line.startsWith("#") || (line === "" && pending === "")) continue;
    const continued = line.endsWith("\\");
    pending += `${continued ? line.slice(0, -1) : line} `;
    if (continued) continue;
    const [, keyword = "", args = ""] = /^(\S+)\s*(.*)$/.exec(pending.trim()) ?? [];
    out.push({ keyword: keyword.toUpperCase(), args: args.trim() });
    pending = "";
  }
  return out;
}

function stages(instructions: Instruction[]): Stage[] {
  const out: Stage[] = [];
  for (const ins of instructions) {
    if (ins.keyword === "FROM") {
      const words = ins.args.split(/\s+/).filter((w) => !w.startsWith("--"));
      const as = words.findIndex((w) => w.toUpperCase() === "AS");
      out.push({ image: words[0]!, ...(as > 0 ? { name: words[as + 1]! } : {}), instructions: [] });
    } else {
      expect(out.length, `${ins.keyword} before the first FROM`).toBeGreaterThan(0);
      out[out.length - 1]!.instructions.push(ins);
    }
  }
  return out;
}

interface Copy {
  from?: string;
  sources: string[];
  dest: string;
}

function parseCopy(args: string): Copy {
  const words = args.split(/\s+/);
  const flags = words.filter((w) => w.startsWith("--"));
  const paths = words.filter((w) => !w.startsWith("--"));
  expect(paths.length, `COPY ${args}`).toBeGreaterThanOrEqual(2);
  const from = flags.find((f) => f.startsWith("--from="))?.slice("--from=".length);
  return { ...(from ? { from } : {}), sources: paths.slice(0, -1), dest: paths[paths.length - 1]! };
}

/** .dockerignore patterns, matched like Docker: from the context root, a match excludes everything below. */
function dockerignore(): (path: string) => boolean {
  const patterns = read(".dockerignore")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"));
  expect(patterns.filter((p) => p.startsWith("!")), "exceptions are not handled by this test").toEqual([]);
  const matchers = patterns.map((p) => picomatch(p.replace(/^\/|\/$/g, ""), { dot: true }));
  return (path) => {
    const parts = path.replace(/^\.\//, "").replace(/\/$/, "").split("/");
    return parts.some((_, i) => matchers.some((m) => m(parts.slice(0, i + 1).join("/"))));
  };
}

const dockerfile = stages(parseDockerfile(read("Dockerfile")));
const build = dockerfile[0]!;
const runtime = dockerfile[dockerfile.length - 1]!;
const runs = (stage: Stage) => stage.instructions.filter((i) => i.keyword === "RUN").map((i) => i.args);
const copies = (stage: Stage) => stage.instructions.filter((i) => i.keyword === "COPY").map((i) => parseCopy(i.args));

/** What the build stage makes, and the command that makes it: these need not exist in the repo. */
const BUILD_OUTPUTS: Record<string, RegExp> = {
  node_modules: /\bnpm ci\b/,
  "tools/bin": /\bnpm run postinstall\b|\bnpm ci\b(?!.*--ignore-scripts)/,
  dist: /\bnpm run build\b/,
};

describe("Dockerfile", () => {
  it("builds in one stage and runs in another", () => {
    expect(dockerfile.length).toBeGreaterThanOrEqual(2);
    expect(build.name).toBe("build");
    expect(runtime.name).toBeUndefined();
  });

  it("pins every base image to a version tag, never latest", () => {
    for (const stage of dockerfile) {
      const [, image, tag] = /^([^:@]+)(?::([^@]+))?/.exec(stage.image) ?? [];
      expect(image, stage.image).toBe("node");
      expect(tag, stage.image).toMatch(/^\d+(\.\d+)*(-[a-z0-9.]+)*$/);
      expect(tag).not.toMatch(/latest/);
    }
  });

  it("provisions helm and kubectl, builds, and prunes dev dependencies in the build stage", () => {
    const script = runs(build).join("\n");
    expect(script).toMatch(/\bnpm ci\b/);
    expect(script).toMatch(/test -x tools\/bin\/helm && test -x tools\/bin\/kubectl/);
    expect(script).toMatch(/\bnpm run build\b/);
    const prune = runs(build).findIndex((r) => /\bnpm prune --omit=dev\b/.test(r));
    const buildStep = runs(build).findIndex((r) => /\bnpm run build\b/.test(r));
    expect(prune).toBeGreaterThan(buildStep);
    // The postinstall must not be re-run by prune: scripts stay off there.
    expect(runs(build)[prune]).toMatch(/--ignore-scripts/);
    // The script the build stage runs is the one in the repository.
    expect(JSON.parse(read("package.json")).scripts.postinstall).toBe("node scripts/provision-tools.mjs");
  });

  it("runs as a non-root user, with a health check, on port 3000", () => {
    const keywords = runtime.instructions.map((i) => i.keyword);
    const user = keywords.lastIndexOf("USER");
    const cmd = keywords.lastIndexOf("CMD");
    expect(user).toBeGreaterThanOrEqual(0);
    expect(user).toBeLessThan(cmd);
    expect(runtime.instructions[user]!.args).toBe("node");
    expect(keywords).not.toContain("ENTRYPOINT");
    const healthcheck = runtime.instructions.find((i) => i.keyword === "HEALTHCHECK");
    expect(healthcheck?.args).toMatch(/\bCMD\b.*\/healthz/);
    expect(JSON.parse(runtime.instructions[cmd]!.args)).toEqual(["node", "dist/server.js"]);
    expect(runtime.instructions.find((i) => i.keyword === "EXPOSE")?.args).toBe("3000");
    const env = runtime.instructions.filter((i) => i.keyword === "ENV").map((i) => i.args).join(" ");
    // Probot's server binds to localhost unless HOST says otherwise: unreachable through a published port.
    expect(env.split(/\s+/)).toEqual(expect.arrayContaining(["NODE_ENV=production", "HOST=0.0.0.0", "PORT=3000"]));
  });

  it("copies only paths that exist in the repository or that the build stage makes", () => {
    const ignored = dockerignore();
    const stageNames = new Set(dockerfile.map((s) => s.name).filter(Boolean));
    for (const stage of dockerfile) {
      for (const copy of copies(stage)) {
        for (const source of copy.sources) {
          if (copy.from === undefined) {
            expect(existsSync(join(root, source)), `COPY ${source}: not in the repository`).toBe(true);
            expect(ignored(source), `COPY ${source}: excluded by .dockerignore`).toBe(false);
            continue;
          }
          expect(stageNames.has(copy.from), `COPY --from=${copy.from}: no such stage`).toBe(true);
          const path = source.replace(/^\/app\//, "");
          const made = BUILD_OUTPUTS[path];
          if (made) expect(runs(build).some((r) => made.test(r)), `${path}: nothing in the build stage makes it`).toBe(true);
          else expect(existsSync(join(root, path)), `COPY --from=${copy.from} ${source}: neither in the repository nor a build output`).toBe(true);
        }
      }
    }
  });

  it("gives the runtime what the App reads from its package root", () => {
    const dests = copies(runtime).map((c) => c.dest.replace(/^\.\//, "").replace(/\/$/, ""));
    // packageRoot() looks for package.json and bin/shipshape.js; the rest is read below it.
    for (const needed of ["package.json", "bin", "dist", "node_modules", "tools/bin", "policies", "schemas", "schema", "app.yml"]) {
      expect(dests, needed).toContain(needed);
    }
  });
});

describe(".dockerignore", () => {
  it("keeps host builds, tools, tests and secrets out of the build context", () => {
    const ignored = dockerignore();
    for (const path of ["node_modules", "dist", "tools/bin/helm", ".git", "test", "fixtures/demo", "coverage", ".env", ".env.local"]) {
      expect(ignored(path), path).toBe(true);
    }
    for (const path of ["src/app/metrics.ts", "package.json", "scripts/provision-tools.mjs", "policies"]) {
      expect(ignored(path), path).toBe(false);
    }
  });
});

describe("docker-compose.yml", () => {
  // Merge keys: the Shipshape services share their settings through `<<: *app`.
  const compose = parse(read("docker-compose.yml"), { merge: true }) as { services?: Record<string, Record<string, any>>; volumes?: Record<string, unknown> };
  const services = compose.services ?? {};
  const service = services.shipshape;
  const apps = Object.entries(services).filter(([, s]) => s.image === "shipshape:local");

  it("builds and runs the App's web role with its settings from .env", () => {
    expect(service).toBeDefined();
    expect(service!.build).toBe(".");
    expect([service!.env_file].flat()).toEqual([".env"]);
    expect(service!.ports).toEqual(["3000:3000"]);
    expect(service!.restart).toBe("unless-stopped");
    expect(service!.environment).toMatchObject({ SHIPSHAPE_ROLE: "web", REDIS_URL: "redis://redis:6379" });
  });

  it("runs two workers on the same Redis, publishing no port", () => {
    const worker = services.worker!;
    expect(worker.environment).toMatchObject({ SHIPSHAPE_ROLE: "worker", REDIS_URL: "redis://redis:6379" });
    expect(worker.deploy?.replicas).toBe(2);
    expect(worker.ports).toBeUndefined();
    expect(worker.mem_limit).toBeDefined();
    expect(apps.map(([name]) => name).sort()).toEqual(["shipshape", "worker"]);
  });

  it("runs every Shipshape process read-only with a scratch /tmp and an init, keeping the image's health check", () => {
    for (const [name, s] of apps) {
      expect(s.read_only, name).toBe(true);
      expect([s.tmpfs].flat(), name).toContain("/tmp");
      expect(s.init, name).toBe(true);
      expect(s.healthcheck, name).toBeUndefined();
      expect(s.privileged, name).toBeUndefined();
      expect(s.depends_on?.redis?.condition, name).toBe("service_healthy");
    }
  });

  it("keeps the queue in a Redis that persists to a volume and never evicts it", () => {
    const redis = services.redis!;
    expect(redis.image).toMatch(/^redis:7/);
    expect(redis.read_only).toBe(true);
    expect(redis.volumes).toEqual(["redis-data:/data"]);
    expect(Object.keys(compose.volumes ?? {})).toContain("redis-data");
    const command = (redis.command as string[]).join(" ");
    expect(command).toContain("--appendonly yes");
    expect(command).toContain("--maxmemory-policy noeviction");
    expect(redis.ports).toBeUndefined();
  });
});

describe(".env.example", () => {
  const names = new Set([...read(".env.example").matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]));

  it("lists the settings the App and Probot read", () => {
    for (const name of ["APP_ID", "PRIVATE_KEY", "PRIVATE_KEY_PATH", "WEBHOOK_SECRET", "GHE_HOST", "LOG_LEVEL", "PORT", "SHIPSHAPE_CONCURRENCY", "SHIPSHAPE_QUEUE_LIMIT"]) {
      expect(names.has(name), name).toBe(true);
    }
  });

  it("lists every SHIPSHAPE_ variable the App's code reads", () => {
    const dir = join(root, "src", "app");
    // `env.NAME`, or a name handed to a reader with the environment (`integer(env, "NAME", …)`), in src/app and below.
    const used = readdirSync(dir, { recursive: true, encoding: "utf8" })
      .filter((f) => f.endsWith(".ts"))
      .flatMap((f) => [...readFileSync(join(dir, f), "utf8").matchAll(/\benv(?:\.|, ")(SHIPSHAPE_[A-Z0-9_]+)/g)].map((m) => m[1]!));
    expect(used).toContain("SHIPSHAPE_JOB_LOCK_MS");
    for (const name of used) expect(names.has(name), name).toBe(true);
  });
});
