/**
 * One Action case: the pull request as a git history (an origin with the base and head commits
 * and a depth-1 clone of the head, as actions/checkout leaves it), the Action run in-process
 * without a token, then its standard output read the way the runner reads it. The runner takes
 * a line as a workflow command when, after leading spaces, it starts with `::` (or anywhere in
 * it, in the legacy `##[name …]` form); repository text that forms one can forge annotations,
 * set step outputs, mask text or stop every later command. Standard output, the job summary,
 * the step outputs and the report files are also scanned like the CLI's output.
 */
import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run } from "../../../../action/src/main.js";
import { pullRequestPayload, writePayload } from "../../../action/demo-repo.js";
import { actionEnvironment, onRunner } from "../../../action/runner.js";
import { overlay, writeFiles, type FileMap } from "./files.js";
import { slug, type Host } from "./host.js";
import { markersFor, scan, type Violation } from "./scan.js";

export interface ActionCase {
  id: string;
  attack: string;
  base: FileMap;
  /** Written over the base. */
  head: (host: Host, id: string) => FileMap;
  /** A word only the attack's text holds: a workflow command carrying it came from the repository. */
  tag: string;
}

export interface ActionCaseResult {
  violations: Violation[];
  stdout: string;
  code: number;
}

/** Workflow commands the runner knows (actions/runner ActionCommandManager and its extensions). */
const RUNNER_COMMANDS = new Set([
  "set-env",
  "set-output",
  "save-state",
  "add-mask",
  "add-path",
  "add-matcher",
  "remove-matcher",
  "debug",
  "notice",
  "warning",
  "error",
  "group",
  "endgroup",
  "echo",
  "stop-commands",
]);

export interface ParsedCommand {
  name: string;
  /** The `::` form after leading spaces (false: the legacy `##[…]` form). */
  v2: boolean;
  indented: boolean;
  properties: Record<string, string>;
  data: string;
}

const unescape = (s: string) => s.replace(/%0D/g, "\r").replace(/%0A/g, "\n").replace(/%3A/g, ":").replace(/%2C/g, ",").replace(/%25/g, "%");

/** The command a line is for the runner, if any: TryParseV2 first, then the legacy TryParse. */
export function workflowCommand(line: string): ParsedCommand | undefined {
  const v2 = line.trimStart();
  if (v2.startsWith("::")) {
    const end = v2.indexOf("::", 2);
    if (end >= 0) {
      const info = v2.slice(2, end);
      const space = info.indexOf(" ");
      const name = space < 0 ? info : info.slice(0, space);
      if (RUNNER_COMMANDS.has(name.toLowerCase())) {
        const properties: Record<string, string> = {};
        if (space > 0) {
          for (const pair of info.slice(space + 1).trim().split(",")) {
            const eq = pair.indexOf("=");
            if (eq > 0) properties[pair.slice(0, eq)] = unescape(pair.slice(eq + 1));
          }
        }
        return { name, v2: true, indented: v2 !== line, properties, data: unescape(v2.slice(end + 2)) };
      }
    }
  }
  const at = line.indexOf("##[");
  if (at >= 0) {
    const close = line.indexOf("]", at);
    const name = close < 0 ? undefined : line.slice(at + 3, close).split(" ")[0]!;
    if (name && RUNNER_COMMANDS.has(name.toLowerCase())) return { name, v2: false, indented: false, properties: {}, data: line.slice(close + 1) };
  }
  return undefined;
}

/** Commands Shipshape itself prints: annotations, debug lines, log groups and the token's mask, at the start of a line. */
const OWN_COMMANDS = new Set(["error", "warning", "notice", "debug", "group", "endgroup", "add-mask"]);

/**
 * Why a command line cannot be one Shipshape printed, or undefined when it can: a command it
 * never prints, the legacy form, an indented line (its own start at column 0), or a title or
 * mask carrying the attack's tag (an annotation's file and text may hold repository text).
 */
export function injected(command: ParsedCommand, tag: string): string | undefined {
  if (!command.v2) return "the legacy `##[…]` form";
  if (!OWN_COMMANDS.has(command.name.toLowerCase())) return `a command Shipshape never prints`;
  if (command.indented) return "an indented line";
  if ((command.properties.title ?? "").includes(tag)) return "a title written by the repository";
  if (command.name.toLowerCase() === "add-mask" && command.data.includes(tag)) return "a mask written by the repository";
  return undefined;
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", ["-C", cwd, "-c", "user.email=corpus@example.invalid", "-c", "user.name=corpus", ...args], { stdio: "pipe", encoding: "utf8" }).trim();
}

export async function runActionCase(c: ActionCase, host: Host): Promise<ActionCaseResult> {
  const root = await mkdtemp(join(tmpdir(), `corpus-action-${slug(c.id)}-`));
  try {
    const origin = join(root, "origin");
    const checkout = join(root, "checkout");
    execFileSync("git", ["init", "-q", "-b", "main", origin]);
    await writeFiles(origin, { "README.md": "corpus\n", ...c.base });
    git(origin, "add", "-A");
    git(origin, "commit", "-qm", "base");
    const base = git(origin, "rev-parse", "HEAD");
    for (const entry of await readdir(origin)) if (entry !== ".git") await rm(join(origin, entry), { recursive: true });
    await writeFiles(origin, overlay({ "README.md": "corpus\n", ...c.base }, c.head(host, c.id)));
    git(origin, "add", "-A");
    git(origin, "commit", "-qm", "head");
    const head = git(origin, "rev-parse", "HEAD");
    execFileSync("git", ["clone", "-q", "--depth=1", `file://${origin}`, checkout]);

    const runnerTemp = join(root, "temp");
    await mkdir(runnerTemp);
    const env = actionEnvironment({ eventPath: await writePayload(root, pullRequestPayload(base, head)), workspace: checkout, sha: head, runnerTemp });
    const inputs = { "working-directory": ".", comment: "true", "check-run": "true", "fail-on": "never" };
    // Standard output, the job summary and the step outputs as the runner reads them.
    const { result: code, stdout, summary, outputFile } = await onRunner(inputs, () => run(env, { publish: async () => undefined }));

    const violations: Violation[] = [];
    const markers = markersFor(host);
    const files: [string, string][] = [
      ["stdout", stdout],
      ["job summary", summary],
      ["step outputs", outputFile],
    ];
    for (const dir of await readdir(runnerTemp, { withFileTypes: true })) {
      if (!dir.isDirectory()) continue;
      for (const f of await readdir(join(runnerTemp, dir.name))) files.push([f, await readFile(join(runnerTemp, dir.name, f), "utf8")]);
    }
    for (const [where, text] of files) violations.push(...scan(text, where, markers));
    stdout.split(/\r?\n/).forEach((line, i) => {
      const command = workflowCommand(line);
      const why = command && injected(command, c.tag);
      if (command && why) {
        violations.push({ guarantee: "workflow-command", detail: `stdout line ${i + 1} is a \`${command.name}\` workflow command for the runner (${why}): «${line.trim().slice(0, 160)}»` });
      }
    });
    return { violations, stdout, code };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
