/**
 * Second red team, Compose: `docker compose up` reads its own settings from the project's
 * `.env` (COMPOSE_PROFILES, COMPOSE_FILE, COMPOSE_PROJECT_NAME, COMPOSE_DISABLE_ENV_FILE...),
 * so a pull request that only touches `.env` changed what runs while Shipshape reviewed the
 * files without them. Each test here is a base and a head checked with the CLI: the hidden
 * change must show as a risk reason or an error that says why it cannot be reviewed.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../../src/core/model/report.js";
import { runCli } from "../helpers/cli.js";
import { writeTree } from "../helpers/write-tree.js";

const WEB = "services:\n  web:\n    image: nginx:1.27.0\n";
const DEBUGGER = `${WEB}  debugger:\n    image: busybox:1.36.1\n    profiles: [debug]\n    privileged: true\n    network_mode: host\n`;
const PRIVILEGED_WEB = "services:\n  web:\n    privileged: true\n    network_mode: host\n";

let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "shipshape-compose-dotenv-"));
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});


async function check(base: Record<string, string>, head: Record<string, string>): Promise<Report> {
  const dir = await mkdtemp(join(work, "case-"));
  await writeTree(join(dir, "base"), base);
  await writeTree(join(dir, "head"), head);
  const run = await runCli(["check", "--base", join(dir, "base"), "--head", join(dir, "head"), "--format", "json"]);
  expect(run.stderr).not.toMatch(/TypeError|at .*\.ts:/);
  return JSON.parse(run.stdout) as Report;
}

/** The risk reasons about privilege, as "Service <name>: <message>". */
const privilege = (r: Report) => (r.risk?.reasons ?? []).filter((x) => x.ruleId === "workload-privilege").map((x) => x.message);
const errors = (r: Report) => r.findings.filter((f) => f.severity === "error").map((f) => [f.ruleId, f.file, f.line, f.message]);
const headServices = (r: Report, target = "shop") => r.targets.find((t) => t.id === target);

describe("a .env that changes what docker compose up runs", () => {
  it("COMPOSE_PROFILES switches on a privileged host-network service: the report sees it", async () => {
    const r = await check({ "shop/compose.yaml": DEBUGGER }, { "shop/compose.yaml": DEBUGGER, "shop/.env": "COMPOSE_PROFILES=debug\n" });
    // Only .env changed: the project is affected and rendered.
    expect(headServices(r)).toMatchObject({ affected: true, status: "rendered" });
    expect(privilege(r)).toEqual(["Service debugger gains privileged mode and the host's network"]);
  });

  it("a .env line read as compose-go reads it: a tab before # does not start a comment", async () => {
    const r = await check({ "shop/compose.yaml": DEBUGGER }, { "shop/compose.yaml": DEBUGGER, "shop/.env": "COMPOSE_PROFILES=safe\t#,debug\n" });
    expect(privilege(r)).toEqual(["Service debugger gains privileged mode and the host's network"]);
  });

  it("COMPOSE_FILE adds a file that makes web privileged: the file is merged and is an input of the target", async () => {
    const r = await check(
      { "shop/compose.yaml": WEB, "shop/ops.yaml": PRIVILEGED_WEB },
      { "shop/compose.yaml": WEB, "shop/ops.yaml": PRIVILEGED_WEB, "shop/.env": "COMPOSE_FILE=compose.yaml:ops.yaml\n" },
    );
    expect(privilege(r)).toEqual(["Service web gains privileged mode and the host's network"]);
    // ops.yaml belongs to the Compose project, not to a plain-manifests target.
    expect(r.targets.map((t) => [t.id, t.type])).toEqual([["shop", "compose"]]);
  });

  it("a change to a file named only by COMPOSE_FILE marks the project affected", async () => {
    const env = { "shop/compose.yaml": WEB, "shop/.env": "COMPOSE_FILE=compose.yaml:ops.yaml\n" };
    const r = await check({ ...env, "shop/ops.yaml": "services:\n  web:\n    environment: {A: b}\n" }, { ...env, "shop/ops.yaml": PRIVILEGED_WEB });
    expect(headServices(r)?.affected).toBe(true);
    expect(privilege(r)).toEqual(["Service web gains privileged mode and the host's network"]);
  });

  it("COMPOSE_PATH_SEPARATOR splits COMPOSE_FILE", async () => {
    const r = await check(
      { "shop/compose.yaml": WEB, "shop/ops.yaml": PRIVILEGED_WEB },
      { "shop/compose.yaml": WEB, "shop/ops.yaml": PRIVILEGED_WEB, "shop/.env": "COMPOSE_PATH_SEPARATOR=;\nCOMPOSE_FILE=compose.yaml;ops.yaml\n" },
    );
    expect(privilege(r)).toEqual(["Service web gains privileged mode and the host's network"]);
  });

  it("a project with no compose.yaml, only a .env naming its file, is discovered", async () => {
    const r = await check({ "shop/app.yaml": WEB, "shop/.env": "COMPOSE_FILE=app.yaml\n" }, { "shop/app.yaml": DEBUGGER.replace("    profiles: [debug]\n", ""), "shop/.env": "COMPOSE_FILE=app.yaml\n" });
    expect(r.targets.map((t) => [t.id, t.type])).toEqual([["shop", "compose"]]);
    expect(privilege(r)).toEqual(["Service debugger gains privileged mode and the host's network"]);
  });

  it("COMPOSE_FILE naming a file outside the repository or an absolute path is an error, and nothing is read", async () => {
    const canary = join(work, "outside.yaml");
    await writeFile(canary, "services:\n  web:\n    environment: {HOSTCANARY: HOSTCANARY_COMPOSE_FILE_1}\n");
    const r = await check({ "shop/compose.yaml": WEB }, { "shop/compose.yaml": WEB, "shop/.env": `COMPOSE_FILE=compose.yaml:${canary}:../../../x/compose.yaml\n` });
    expect(errors(r)).toEqual([
      [
        "render/outside-repo",
        "shop/.env",
        1,
        "shop/.env:1: COMPOSE_FILE names a file outside the repository, which Shipshape does not read; keep the project's Compose files in the repository",
      ],
    ]);
    expect(JSON.stringify(r)).not.toContain("HOSTCANARY_COMPOSE_FILE_1");
  });

  it("COMPOSE_FILE=- (standard input) cannot be reviewed and says so", async () => {
    const r = await check({ "shop/compose.yaml": WEB }, { "shop/compose.yaml": WEB, "shop/.env": "COMPOSE_FILE=-\n" });
    expect(errors(r).map((e) => e[0])).toContain("compose/unsupported");
  });

  it("COMPOSE_DISABLE_ENV_FILE=true in .env keeps its COMPOSE_* settings but drops its other variables", async () => {
    const head = {
      "shop/compose.yaml": `${DEBUGGER}  tool:\n    image: busybox:1.36.1\n    cap_add: ["\${CAP:-CHOWN}"]\n`,
      "shop/.env": "COMPOSE_DISABLE_ENV_FILE=true\nCOMPOSE_PROFILES=debug\nCAP=SYS_ADMIN\n",
    };
    const r = await check({ "shop/compose.yaml": WEB }, head);
    expect(privilege(r)).toEqual(["Service debugger gains privileged mode and the host's network"]);
    const added = JSON.stringify(r.changes);
    expect(added).toContain("CHOWN");
    expect(added).not.toContain("SYS_ADMIN");
  });

  it("${COMPOSE_PROJECT_NAME} is the project's name, as Compose sets it, not an unset variable", async () => {
    const head = { "shop/compose.yaml": "services:\n  web:\n    image: nginx:1.27.0\n    privileged: ${COMPOSE_PROJECT_NAME:+true}\n" };
    const r = await check({ "shop/compose.yaml": WEB }, head);
    expect(privilege(r)).toEqual(["Service web gains privileged mode"]);
  });

  it("a typed field set from .env, quoted or in YAML 1.1 words is cast as Compose casts it: privileged: ${PRIV}, yes", async () => {
    const head = {
      "shop/.env": "PRIV=true\n",
      "shop/compose.yaml": "services:\n  web:\n    image: nginx:1.27.0\n    privileged: ${PRIV}\n  worker:\n    image: busybox:1.36.1\n    privileged: yes\n",
    };
    const r = await check({ "shop/compose.yaml": WEB }, head);
    expect(privilege(r)).toEqual(["Service web gains privileged mode", "Service worker gains privileged mode"]);
  });

  it("a root project whose name would come from the checkout folder cannot interpolate it, and says so", async () => {
    const r = await check({ "compose.yaml": WEB }, { "compose.yaml": "services:\n  web:\n    image: nginx:1.27.0\n    privileged: ${COMPOSE_PROJECT_NAME:+true}\n" });
    expect(errors(r).map((e) => e[0])).toContain("compose/unsupported");
  });
});
