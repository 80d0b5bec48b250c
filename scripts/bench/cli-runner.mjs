// Runs `shipshape check` on one base/head pair and measures it. Peak RSS comes from GNU time
// when it works on this machine, otherwise from a wrapper that calls the CLI's `main` in
// process and prints `process.resourceUsage().maxRSS` at the end.
import { access, readFile, rm } from "node:fs/promises";
import { constants } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { gnuTimeWorks, parseKb, parseWrapperRss, run } from "./measure.mjs";

const GNU_TIME = "/usr/bin/time";
const SUCCESS_EXIT_CODES = new Set([0, 1]);

export class CliMissingError extends Error {
  constructor(message) {
    super(message);
    this.name = "CliMissingError";
  }
}

async function exists(path, mode = constants.F_OK) {
  try {
    await access(path, mode);
    return true;
  } catch {
    return false;
  }
}

/**
 * Finds the built CLI and picks the RSS method. Throws CliMissingError with the fix when the
 * CLI is not there, so the bench stops before generating anything.
 */
export async function prepareCli({ projectRoot, scratchDir, forceWrapper = false }) {
  const binPath = join(projectRoot, "bin", "shipshape.js");
  const modulePath = join(projectRoot, "dist", "cli.js");
  const useTime = !forceWrapper && (await exists(GNU_TIME, constants.X_OK)) && (await gnuTimeWorks(GNU_TIME, join(scratchDir, "time-probe.txt")));
  if (useTime && !(await exists(binPath))) {
    throw new CliMissingError(`Shipshape CLI not found at ${binPath}. The bench runs the built CLI: run \`npm run bench\` (it builds first) or \`npm run build\`.`);
  }
  if (!(await exists(modulePath))) {
    throw new CliMissingError(`Built CLI module not found at ${modulePath}. Run \`npm run build\` (or \`npm run bench\`, which builds first).`);
  }
  if (!useTime) {
    const mod = await import(pathToFileURL(modulePath).href);
    if (typeof mod.main !== "function") throw new CliMissingError(`${modulePath} does not export main(argv); the RSS wrapper needs it.`);
  }
  return { projectRoot, binPath, modulePath, rssMethod: useTime ? "GNU time (%M: the CLI process or its largest child)" : "in-process maxRSS of the CLI" };
}

/** One measured `check` run. Returns timing, RSS (KB) and the parsed JSON report, or an error. */
export async function runCheck(cli, { baseDir, headDir, outputFile, env, extraArgs = [] }) {
  const cliArgs = ["check", "--base", baseDir, "--head", headDir, "--format", "json", "--output", outputFile, ...extraArgs];
  await rm(outputFile, { force: true });
  const rssFile = `${outputFile}.rss`;
  const { command, args } = cli.rssMethod.startsWith("GNU")
    ? { command: GNU_TIME, args: ["-f", "%M", "-o", rssFile, process.execPath, cli.binPath, ...cliArgs] }
    : { command: process.execPath, args: ["--input-type=module", "-e", wrapperSource(cli.modulePath), "--", ...cliArgs] };
  const result = await run(command, args, { cwd: cli.projectRoot, env });
  const commandLine = `node bin/shipshape.js ${cliArgs.join(" ")}`;
  if (result.spawnError) return { ok: false, error: `could not start: ${result.spawnError.message}`, commandLine };
  if (!SUCCESS_EXIT_CODES.has(result.exitCode)) {
    return { ok: false, error: `exit code ${result.exitCode}\n${result.stderr.trim()}`, commandLine };
  }
  const maxRssKb = cli.rssMethod.startsWith("GNU") ? parseKb(await readFile(rssFile, "utf8").catch(() => "")) : parseWrapperRss(result.stderr);
  await rm(rssFile, { force: true });
  return { ok: true, wallMs: result.wallMs, exitCode: result.exitCode, maxRssKb, report: await readReport(outputFile), commandLine };
}

function wrapperSource(modulePath) {
  const url = JSON.stringify(pathToFileURL(modulePath).href);
  return [
    `const { main } = await import(${url});`,
    "try { process.exitCode = await main(process.argv.slice(1)); }",
    "catch (err) { console.error(err); process.exitCode = 3; }",
    "finally { console.error('maxRSS', process.resourceUsage().maxRSS); }",
  ].join("\n");
}

/** Counts from the JSON report, or null when the output is missing or not the expected shape. */
async function readReport(file) {
  let parsed;
  try {
    parsed = JSON.parse(await readFile(file, "utf8"));
  } catch {
    return null;
  }
  if (!Array.isArray(parsed?.targets) || !Array.isArray(parsed?.changes)) return null;
  return {
    targets: parsed.targets.length,
    affected: parsed.targets.filter((t) => t?.affected).length,
    changes: parsed.changes.length,
  };
}
