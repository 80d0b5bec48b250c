import { describe, expect, test } from "vitest";
import { createComposeRenderer } from "../../src/render/compose/renderer.js";
import { normalizeProjectName } from "../../src/render/compose/settings.js";
import { run, service } from "../helpers/compose-project.js";
import { memoryTree } from "../helpers/memory-tree.js";

const WEB = "services:\n  web:\n    image: nginx\n";
const messages = (r: ReturnType<typeof run>) => r.problems.filter((p) => p.severity === "error").map((p) => `${p.ruleId} ${p.message}`);

describe("COMPOSE_FILE and COMPOSE_PATH_SEPARATOR", () => {
  test("replace the default pair (no override), relative to the project directory, in order", () => {
    const result = run({
      "compose.yaml": WEB,
      "compose.override.yaml": "services:\n  web:\n    image: from-override\n",
      "ops/extra.yaml": "services:\n  web:\n    image: from-extra\n",
      ".env": "COMPOSE_FILE=compose.yaml:ops/extra.yaml\n",
    });
    expect(result.composeFiles).toEqual(["app/compose.yaml", "app/ops/extra.yaml"]);
    expect(result.project.services.web?.image).toBe("from-extra");
    expect(result.reads).toEqual(expect.arrayContaining(["app/.env", "app/ops/extra.yaml"]));
  });

  test("a custom separator splits the list; the default ':' then does not", () => {
    const files = { "a.yaml": WEB, "b.yaml": "services:\n  b:\n    image: busybox\n" };
    expect(run({ ...files, ".env": "COMPOSE_PATH_SEPARATOR=,\nCOMPOSE_FILE=a.yaml,b.yaml\n" }).composeFiles).toEqual(["app/a.yaml", "app/b.yaml"]);
    expect(run({ ...files, ".env": "COMPOSE_PATH_SEPARATOR=,\nCOMPOSE_FILE=a.yaml:b.yaml\n" }).composeFiles).toEqual(["app/a.yaml:b.yaml"]);
  });

  test("composeFiles (-f) win over COMPOSE_FILE; composeEnv (the shell) wins over .env", () => {
    const files = { "compose.yaml": WEB, "b.yaml": WEB, "c.yaml": WEB, ".env": "COMPOSE_FILE=b.yaml\n" };
    expect(run(files, { files: ["compose.yaml"] }).composeFiles).toEqual(["app/compose.yaml"]);
    expect(run(files, { env: { COMPOSE_FILE: "c.yaml" } }).composeFiles).toEqual(["app/c.yaml"]);
  });

  test("a missing file names the setting that listed it", () => {
    expect(messages(run({ "compose.yaml": WEB, ".env": "COMPOSE_FILE=compose.yaml:gone.yaml\n" }))).toEqual([
      "compose/file-missing app/gone.yaml: Compose file app/gone.yaml does not exist; add it or fix COMPOSE_FILE in app/.env",
    ]);
  });

  test("empty entries, standard input, absolute paths and paths above the repository are errors; nothing outside is read", () => {
    const reads: string[] = [];
    const result = run({ "compose.yaml": WEB, ".env": "\nCOMPOSE_FILE=compose.yaml::-:/etc/compose.yaml:../../up.yaml\n" }, {});
    for (const p of result.reads) reads.push(p);
    expect(messages(result)).toEqual([
      "compose/setting-invalid app/.env:2: COMPOSE_FILE has an empty entry, which docker compose cannot load; remove it",
      'compose/unsupported app/.env:2: COMPOSE_FILE names "-", a Compose file read from standard input, which a review does not have; name the file instead',
      "render/outside-repo app/.env:2: COMPOSE_FILE names a file outside the repository, which Shipshape does not read; keep the project's Compose files in the repository",
    ]);
    expect(result.composeFiles).toEqual(["app/compose.yaml"]);
    expect(reads.filter((p) => p.startsWith("/") || p.startsWith(".."))).toEqual([]);
  });

  test("COMPOSE_FILE from composeEnv is named as such", () => {
    expect(messages(run({ "compose.yaml": WEB }, { env: { COMPOSE_FILE: "" } }))).toEqual([
      "compose/setting-invalid the target's composeEnv COMPOSE_FILE has an empty entry, which docker compose cannot load; remove it",
    ]);
  });
});

describe("the working directory is the first file's folder", () => {
  test("relative paths resolve there, and its .env adds only the variables still unset", () => {
    const result = run({
      ".env": "COMPOSE_FILE=deploy/compose.yaml\nTAG=from-project\n",
      "deploy/.env": "TAG=from-deploy\nEXTRA=from-deploy\n",
      "deploy/compose.yaml": "services:\n  web:\n    image: nginx:${TAG}-${EXTRA}\n    build: .\n    env_file: web.env\n",
      "deploy/web.env": "A=1\n",
    });
    expect(result.workingDir).toBe("app/deploy");
    expect(result.problems).toEqual([]);
    expect(result.project.services.web).toMatchObject({
      image: "nginx:from-project-from-deploy",
      build: { context: "app/deploy" },
      environment: { A: "1" },
    });
  });

  test("with composeFiles in a subfolder, that folder's .env is the one Compose reads", () => {
    const files = { ".env": "TAG=project\n", "deploy/.env": "TAG=deploy\n", "deploy/compose.yaml": "services:\n  web:\n    image: nginx:${TAG}\n" };
    expect(service(files, "web", { files: ["deploy/compose.yaml"] })?.image).toBe("nginx:deploy");
  });
});

describe("COMPOSE_PROFILES", () => {
  const files = { "compose.yaml": "services:\n  web:\n    image: nginx\n  debug:\n    image: busybox\n    profiles: [debug]\n  ops:\n    image: busybox\n    profiles: [ops]\n" };

  test("activates profiles (comma-separated, spaces trimmed)", () => {
    expect(Object.keys(run({ ...files, ".env": "COMPOSE_PROFILES=debug , ops\n" }).project.services)).toEqual(["debug", "ops", "web"]);
  });

  test("composeProfiles (--profile) win over it", () => {
    expect(Object.keys(run({ ...files, ".env": "COMPOSE_PROFILES=debug\n" }, { profiles: ["ops"] }).project.services)).toEqual(["ops", "web"]);
  });
});

describe("COMPOSE_DISABLE_ENV_FILE", () => {
  const compose = "services:\n  web:\n    image: nginx:${TAG:-none}\n  debug:\n    image: busybox\n    profiles: [debug]\n";

  test("true in composeEnv: the .env is not read at all", () => {
    const result = run({ "compose.yaml": compose, ".env": "COMPOSE_PROFILES=debug\nTAG=1\n" }, { env: { COMPOSE_DISABLE_ENV_FILE: "true" } });
    expect(Object.keys(result.project.services)).toEqual(["web"]);
    expect(result.project.services.web?.image).toBe("nginx:none");
  });

  test("true in the .env itself: its COMPOSE_* settings still apply, its other variables do not", () => {
    const result = run({ "compose.yaml": compose, ".env": "COMPOSE_DISABLE_ENV_FILE=1\nCOMPOSE_PROFILES=debug\nTAG=1\n" });
    expect(Object.keys(result.project.services)).toEqual(["debug", "web"]);
    expect(result.project.services.web?.image).toBe("nginx:none");
  });

  test("a value that is not a boolean stops Compose, so it is an error", () => {
    expect(messages(run({ "compose.yaml": compose, ".env": "COMPOSE_DISABLE_ENV_FILE=maybe\n" }))).toEqual([
      "compose/setting-invalid app/.env:1: COMPOSE_DISABLE_ENV_FILE must be true or false (or 1 or 0); docker compose stops on any other value",
    ]);
  });
});

describe("the project name", () => {
  const uses = "services:\n  web:\n    image: nginx\n    container_name: ${COMPOSE_PROJECT_NAME}-web\n";

  test("${COMPOSE_PROJECT_NAME} is COMPOSE_PROJECT_NAME, else the files' name:, else the folder's name", () => {
    expect(service({ "compose.yaml": uses, ".env": "COMPOSE_PROJECT_NAME=shop\n" }, "web")?.container_name).toBe("shop-web");
    expect(service({ "compose.yaml": `name: My_Shop\n${uses}` }, "web")?.container_name).toBe("my_shop-web");
    expect(service({ "compose.yaml": uses }, "web")?.container_name).toBe("app-web");
  });

  test("COMPOSE_PROJECT_NAME wins over name: and becomes the project's name", () => {
    const result = run({ "compose.yaml": `name: other\n${uses}`, ".env": "COMPOSE_PROJECT_NAME=shop\n" });
    expect(result.project.name).toBe("shop");
    expect(result.project.services.web?.container_name).toBe("shop-web");
  });

  test("an invalid COMPOSE_PROJECT_NAME is an error, without its value", () => {
    expect(messages(run({ "compose.yaml": WEB, ".env": "COMPOSE_PROJECT_NAME=Not Valid\n" }))).toEqual([
      "compose/setting-invalid app/.env:1: COMPOSE_PROJECT_NAME is not a valid project name, so docker compose refuses the project; use lower-case letters, digits, - and _, starting with a letter or digit",
    ]);
  });

  test("at the repository root the folder's name is unknown: an error only when the files use it", () => {
    const root = (compose: string) => run({ "/compose.yaml": compose }, { projectDir: "." });
    expect(root(WEB).problems).toEqual([]);
    expect(messages(root(uses))).toEqual([expect.stringContaining("compose/unsupported compose.yaml: the project uses ${COMPOSE_PROJECT_NAME}")]);
    expect(root(`name: shop\n${uses}`).project.services.web?.container_name).toBe("shop-web");
  });

  test("normalised as compose-go does", () => {
    expect(normalizeProjectName("My Shop.v2")).toBe("myshopv2");
    expect(normalizeProjectName("__x")).toBe("x");
  });
});

describe("DOCKER_DEFAULT_PLATFORM", () => {
  test("is the platform of every service that names none", () => {
    const result = run({ "compose.yaml": "services:\n  a:\n    image: x\n  b:\n    image: y\n    platform: linux/amd64\n", ".env": "DOCKER_DEFAULT_PLATFORM=linux/arm64\n" });
    expect([result.project.services.a?.platform, result.project.services.b?.platform]).toEqual(["linux/arm64", "linux/amd64"]);
  });
});

describe("typed fields are cast after interpolation, as compose-go does", () => {
  test("booleans from .env, quoted strings and YAML 1.1 words", () => {
    const result = run({
      "compose.yaml": 'services:\n  a:\n    image: x\n    privileged: ${PRIV}\n  b:\n    image: x\n    privileged: "true"\n  c:\n    image: x\n    privileged: yes\n    read_only: "off"\n',
      ".env": "PRIV=TRUE\n",
    });
    expect(result.problems).toEqual([]);
    const s = result.project.services;
    expect([s.a?.privileged, s.b?.privileged, s.c?.privileged, s.c?.read_only]).toEqual([true, true, true, false]);
  });

  test("numbers, nested paths, top-level resources", () => {
    const result = run({
      "compose.yaml":
        'services:\n  a:\n    image: x\n    scale: "2"\n    ulimits:\n      nproc: "65535"\n      nofile: {soft: "1024", hard: "2048"}\n    deploy: {replicas: "3"}\nnetworks:\n  n:\n    internal: "true"\n',
    });
    expect(result.problems).toEqual([]);
    expect(result.project.services.a).toMatchObject({ scale: 2, ulimits: { nproc: 65535, nofile: { soft: 1024, hard: 2048 } }, deploy: { replicas: 3 } });
    expect(result.project.networks.n).toEqual({ internal: true });
  });

  test("a value that does not cast is an error naming the field and line, not the value", () => {
    expect(messages(run({ "compose.yaml": "services:\n  a:\n    image: x\n    privileged: ${PRIV}\n", ".env": "PRIV=sometimes\n" }))).toEqual([
      "compose/invalid-value app/compose.yaml:4: services.a.privileged must be true or false (after interpolation); fix the value",
    ]);
  });
});

describe("files a service reads", () => {
  test("env_file format raw is read as docker run --env-file reads it", () => {
    const env = service({ "compose.yaml": "services:\n  a:\n    image: x\n    env_file: {path: a.env, format: raw}\n", "a.env": "  A=x # not a comment\nB='q'\nC=${NOPE}\n# c\n" }, "a")?.environment;
    expect(env).toEqual({ A: "x # not a comment", B: "q", C: "${NOPE}" });
  });

  test("an unknown env_file format is an error", () => {
    expect(messages(run({ "compose.yaml": "services:\n  a:\n    image: x\n    env_file: {path: a.env, format: yaml}\n", "a.env": "A=1\n" }))).toEqual([
      'compose/invalid-value app/compose.yaml:2: service "a" env_file app/a.env: unsupported format; use raw or leave format out',
    ]);
  });

  test("label_file labels are folded in under the service's own labels, and the files are inputs", () => {
    const result = run({ "compose.yaml": "services:\n  a:\n    image: x\n    label_file: [a.labels]\n    labels: {team: core}\n", "a.labels": "team=other\ntraefik.enable=true\n" });
    expect(result.project.services.a?.labels).toEqual({ team: "core", "traefik.enable": "true" });
    expect(result.reads).toContain("app/a.labels");
  });

  test("a missing or outside label_file is an error", () => {
    expect(messages(run({ "compose.yaml": "services:\n  a:\n    image: x\n    label_file: [gone.labels, /etc/x.labels]\n" }))).toEqual([
      'compose/env-file-missing app/compose.yaml:2: service "a" label_file app/gone.labels does not exist; add the file or remove the entry',
      'render/outside-repo app/compose.yaml:2: service "a" label_file /etc/x.labels is outside the repository: Compose would read it from the machine it runs on, which a review cannot see; keep the file in the repository',
    ]);
  });

  test("extends.file outside the repository is an error and is not read", () => {
    const result = run({ "compose.yaml": "services:\n  a:\n    extends: {file: /etc/compose.yaml, service: x}\n" });
    expect(messages(result)).toEqual([
      'render/outside-repo app/compose.yaml:3: service "a" extends a service in /etc/compose.yaml, outside the repository: Compose would read it from the machine it runs on, which a review cannot see; keep the file in the repository',
    ]);
    expect(result.reads).not.toContain("/etc/compose.yaml");
  });
});

describe("discovery", () => {
  test("a folder with a .env that sets COMPOSE_FILE is a project; one whose .env does not is not", async () => {
    const tree = memoryTree("m", { "a/.env": "COMPOSE_FILE=app.yaml\n", "a/app.yaml": WEB, "b/.env": "TAG=1\n", "c/compose.yaml": WEB, "c/.env": "COMPOSE_FILE=x.yaml\n" });
    expect((await createComposeRenderer().discover(tree, { isOwned: () => false })).map((t) => t.id)).toEqual(["a", "c"]);
  });

  test("the inputs of a COMPOSE_FILE project are the .env and the files it names", async () => {
    const tree = memoryTree("m", { "a/.env": "COMPOSE_FILE=app.yaml:ops.yaml\n", "a/app.yaml": WEB, "a/ops.yaml": WEB });
    const inputs = await createComposeRenderer().inputs({ id: "a", type: "compose", path: "a" }, tree);
    expect([...inputs.files].sort()).toEqual(["a/.env", "a/app.yaml", "a/ops.yaml"]);
    expect(inputs.blocking).toEqual([]);
  });

  test("a COMPOSE_FILE entry outside the repository blocks the target", async () => {
    const tree = memoryTree("m", { "a/.env": "COMPOSE_FILE=../../etc/compose.yaml\n" });
    const inputs = await createComposeRenderer().inputs({ id: "a", type: "compose", path: "a" }, tree);
    expect(inputs.blocking.map((p) => p.ruleId)).toEqual(["render/outside-repo"]);
  });
});

describe("env_file variables", () => {
  test("take ${VAR} from the project's variables first, then the service's own environment", () => {
    const env = service(
      { "compose.yaml": "services:\n  a:\n    image: x\n    env_file: a.env\n    environment: {OWN: own-value, TAG: service}\n", "a.env": "FROM_OWN=${OWN}\nFROM_TAG=${TAG}\n", ".env": "TAG=project\n" },
      "a",
    )?.environment;
    expect(env).toMatchObject({ FROM_OWN: "own-value", FROM_TAG: "project" });
  });
});

describe("top-level keys the renderer does not render", () => {
  test("models is a warning, not silently dropped", () => {
    const result = run({ "compose.yaml": "services:\n  a:\n    image: x\nmodels:\n  llm:\n    model: ai/smollm2\n" });
    expect(result.problems).toEqual([expect.objectContaining({ ruleId: "compose/unsupported", severity: "warning", line: 4 })]);
  });
});
