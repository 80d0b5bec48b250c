/**
 * The host an attacker aims at, built fresh for each corpus run: a folder of canary files
 * outside every repository, canary values in this process's environment and in the
 * environment of a helper process (reachable as /proc/<pid>/environ), a loopback HTTP
 * server that must receive nothing, and a sentinel folder that attacks try to write into.
 * Every canary is alphanumeric so no output format can escape it into something else.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Prefixes of every planted value: finding one anywhere in an output is a leak, even truncated. */
export const HOST_PREFIX = "HOSTCANARY";
export const ENV_PREFIX = "ENVCANARY";
export const SECRET_PREFIX = "SECRETCANARY";

export interface LoopbackHit {
  method: string;
  url: string;
}

export interface Host {
  /** Folder of canary files outside every repository. */
  dir: string;
  /** What every canary file holds. */
  fileCanary: string;
  files: {
    secretTxt: string;
    cmYaml: string;
    valuesYaml: string;
    envFile: string;
    composeYaml: string;
    reqJson: string;
    /** A kustomization folder on the host (another checkout, say) whose output holds the canary. */
    kustDir: string;
    /** A chart folder on the host whose output holds the canary. */
    chartDir: string;
  };
  /** Values placed in process.env of this process (the App's and the CLI's secrets). */
  envCanaries: Record<string, string>;
  /** A process whose /proc/<pid>/environ holds `childEnvCanary`. */
  childPid: number;
  childEnvCanary: string;
  /** `KEY=VALUE` entries of this process's own /proc/self/environ, as they would leak. */
  ownEnviron: string[];
  sentinel: string;
  loopback: { port: number; hits: LoopbackHit[]; url(caseId: string, file?: string): string };
  /** A unique secret canary for a case. */
  secret(caseId: string, label?: string): string;
  /** `../` enough times to climb from any scratch folder to `/`, then `abs`. */
  climb(abs: string): string;
  close(): Promise<void>;
}

const ENV_KEYS = ["GITHUB_TOKEN", "PRIVATE_KEY", "WEBHOOK_SECRET", "AWS_SECRET_ACCESS_KEY", "SHIPSHAPE_CORPUS_CANARY"] as const;

export async function createHost(): Promise<Host> {
  const tag = randomBytes(6).toString("hex").toUpperCase();
  const fileCanary = `${HOST_PREFIX}${tag}`;
  const dir = await mkdtemp(join(tmpdir(), "corpus-host-"));
  const sentinel = await mkdtemp(join(tmpdir(), "corpus-sentinel-"));
  const files = {
    secretTxt: join(dir, "secret.txt"),
    cmYaml: join(dir, "cm.yaml"),
    valuesYaml: join(dir, "values.yaml"),
    envFile: join(dir, "host.env"),
    composeYaml: join(dir, "compose.yaml"),
    reqJson: join(dir, "req.json"),
    kustDir: join(dir, "kust"),
    chartDir: join(dir, "chart"),
  };
  await writeFile(files.secretTxt, `${fileCanary}\n`);
  await writeFile(files.cmYaml, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: stolen\ndata:\n  stolen: ${fileCanary}\n`);
  await writeFile(files.valuesYaml, `stolen: ${fileCanary}\n`);
  await writeFile(files.envFile, `STOLEN=${fileCanary}\n`);
  await writeFile(files.composeYaml, `services:\n  stolen:\n    image: nginx:1.27\n    environment:\n      STOLEN: ${fileCanary}\n`);
  await writeFile(files.reqJson, JSON.stringify({ type: "object", required: [fileCanary] }));
  await mkdir(files.kustDir);
  await writeFile(join(files.kustDir, "kustomization.yaml"), "configMapGenerator:\n- name: stolen\n  files: [secret.txt]\n");
  await writeFile(join(files.kustDir, "secret.txt"), `${fileCanary}\n`);
  await mkdir(join(files.chartDir, "templates"), { recursive: true });
  await writeFile(join(files.chartDir, "Chart.yaml"), "apiVersion: v2\nname: stolen\nversion: 0.1.0\n");
  await writeFile(join(files.chartDir, "templates/cm.yaml"), `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: stolen-chart\ndata:\n  stolen: ${fileCanary}\n`);

  const envCanaries: Record<string, string> = {};
  const saved: Record<string, string | undefined> = {};
  for (const key of ENV_KEYS) {
    const value = `${ENV_PREFIX}${key.replace(/_/g, "")}${tag}`;
    envCanaries[key] = key === "PRIVATE_KEY" ? `-----BEGIN RSA PRIVATE KEY-----\n${value}\n-----END RSA PRIVATE KEY-----\n` : value;
    saved[key] = process.env[key];
    process.env[key] = envCanaries[key];
  }
  const childEnvCanary = `${ENV_PREFIX}CHILD${tag}`;
  const child = spawn(process.execPath, ["-e", "setTimeout(() => {}, 600000)"], {
    env: { CORPUS_CHILD_SECRET: childEnvCanary },
    stdio: "ignore",
  });
  const ownEnviron = (await readFile("/proc/self/environ", "utf8").catch(() => ""))
    .split("\0")
    .filter((kv) => /^[A-Za-z_][A-Za-z0-9_]*=.{8,}$/s.test(kv));

  const hits: LoopbackHit[] = [];
  const server = await listen(hits, fileCanary);
  const port = (server.address() as { port: number }).port;

  return {
    dir,
    fileCanary,
    files,
    envCanaries,
    childPid: child.pid!,
    childEnvCanary,
    ownEnviron,
    sentinel,
    loopback: { port, hits, url: (caseId, file = "x.yaml") => `http://127.0.0.1:${port}/c/${slug(caseId)}/${file}` },
    secret: (caseId, label = "") => `${SECRET_PREFIX}${slug(caseId).replace(/-/g, "").toUpperCase()}${label}${tag}`,
    climb: (abs) => `${"../".repeat(16)}${abs.replace(/^\/+/, "")}`,
    close: async () => {
      killChild(child);
      await new Promise<void>((done) => server.close(() => done()));
      for (const key of ENV_KEYS) {
        if (saved[key] === undefined) delete process.env[key];
        else process.env[key] = saved[key];
      }
      await rm(dir, { recursive: true, force: true });
      await rm(sentinel, { recursive: true, force: true });
    },
  };
}

/** Case ids as they appear in URLs and file names. */
export function slug(caseId: string): string {
  return caseId.replace(/[^A-Za-z0-9]+/g, "-");
}

/** Answers every request with canary content, so a fetch that happens also leaks visibly. */
function listen(hits: LoopbackHit[], canary: string): Promise<Server> {
  const server = createServer((req, res) => {
    hits.push({ method: req.method ?? "?", url: req.url ?? "?" });
    res.setHeader("content-type", "text/plain");
    if (req.url?.endsWith(".json")) res.end(JSON.stringify({ type: "object", required: [canary] }));
    else if (req.url?.endsWith(".yaml")) res.end(`apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fetched\ndata:\n  fetched: ${canary}\n`);
    else res.end(`${canary}\n`);
  });
  return new Promise((done, fail) => {
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => done(server));
  });
}

function killChild(child: ChildProcess): void {
  if (child.exitCode === null && child.pid !== undefined) child.kill("SIGKILL");
}
